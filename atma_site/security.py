"""Content-Security-Policy for public pages and for the admin.

Public pages load only this site's own files: a CDN, web font or analytics
script added by mistake is blocked by the browser, not just by review. The
admin shows stored HTML (previews, formatted references), so it gets a policy
too: its own scripts only, never inline ones; inline styles are allowed, since
Django's and markdownx's widgets set style attributes.
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


ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
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
            response.headers.setdefault("Content-Security-Policy", ADMIN_POLICY)
        return response
