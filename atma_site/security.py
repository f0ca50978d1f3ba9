"""A Content-Security-Policy for public pages.

Public pages load only this site's own files: a CDN, web font or analytics
script added by mistake is blocked by the browser, not just by review. The
admin, whose widgets use inline styles, gets only a ban on being framed.
"""

PUBLIC_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/admin/", "/markdownx/")):
            response.headers.setdefault("Content-Security-Policy", PUBLIC_POLICY)
        else:
            # Besides X-Frame-Options: DENY, for browsers that only honour CSP.
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        return response
