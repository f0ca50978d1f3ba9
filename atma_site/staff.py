from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


def staff_with_permission(permission):
    """Refuse (403) anyone but active staff holding `permission`.

    For editor endpoints called by script, not people: markdownx's upload and
    preview belong to those who may edit content, not to every staff account.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff and user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permission_denied(request, exception=None):
    """The 403 page: in the admin's style, saying what the account lacks and what to do.

    Only staff meet it: public pages refuse nobody, and previews ask anonymous visitors to
    sign in first.
    """
    context = {**admin.site.each_context(request), "title": "You can't open this page"}
    return TemplateResponse(request, "403.html", context, status=403).render()


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page, in the admin's style, saying how long the lock lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in temporarily locked",
        "cooloff_minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return TemplateResponse(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    ).render()
