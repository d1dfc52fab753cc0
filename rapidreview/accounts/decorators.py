"""View guards by role and by how recently the person proved who they are. Object access is in selectors."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

# Session keys written at sign-in (rapidreview.accounts.signals) and at re-authentication.
AUTH_AT_SESSION_KEY = "auth_at"
LOGIN_AT_SESSION_KEY = "login_at"


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


def is_installation_admin(user) -> bool:
    """The installation's administrator: staff (or a superuser), whatever roles they hold. They add partnerships
    and their first business unit user; being staff gives no role in any partnership, so no case content."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def installation_admin_required(view):
    """Allow the view only to the installation's administrator; everyone else gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_installation_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.installation_admin_only = True
    return wrapped


def authenticated_recently(request, minutes: int = 15) -> bool:
    """True when the person typed their password (and second factor, if they have one) in the last ``minutes``."""
    auth_at = request.session.get(AUTH_AT_SESSION_KEY)
    return bool(auth_at) and time.time() - float(auth_at) <= minutes * 60


def recent_auth_required(minutes: int = 15):
    """Ask for the password again unless the person proved who they are in the last ``minutes``.

    Used before signing a decision sheet and before changing anyone's roles. A GET or POST without a recent
    proof is sent to the re-authentication page, which returns to the same address afterwards (a POST's data is
    not replayed: the person submits again).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                raise PermissionDenied
            if not authenticated_recently(request, minutes):
                return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': request.path})}")
            return view(request, *args, **kwargs)

        wrapped.recent_auth_minutes = minutes
        return wrapped

    return decorator
