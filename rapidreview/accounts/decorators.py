"""View guards by role. Object-level access is decided by each app's selectors."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Allow the view only to people who hold one of ``roles`` today; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = tuple(roles)
        return wrapped

    return decorator
