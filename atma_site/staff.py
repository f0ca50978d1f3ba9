from functools import wraps

from django.core.exceptions import PermissionDenied


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
