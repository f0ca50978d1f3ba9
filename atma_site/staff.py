from functools import wraps

from django.core.exceptions import PermissionDenied


def staff_only(view):
    """Refuse (403) anyone but active staff: for editor endpoints called by script, not people."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
