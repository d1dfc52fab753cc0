"""Second-factor enforcement: a signed-in person who has not yet given their code reaches only the MFA pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device


class MFARequiredMiddleware:
    """Send a signed-in but unverified person to enter their code, or to set up an authenticator app.

    Applies to everyone who has an authenticator set up, and to every account when ``MFA_REQUIRED`` is on (it
    is in production). Pages open to the public and the MFA pages themselves (marked ``mfa_exempt``) stay open.
    Must come after ``django_otp.middleware.OTPMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        view = getattr(view_func, "view_class", view_func)
        if getattr(view_func, "mfa_exempt", False) or getattr(view, "mfa_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if user.is_verified():
            return None
        has_device = user_has_device(user, confirmed=True)
        if not has_device and not settings.MFA_REQUIRED:
            return None
        target = "accounts:mfa_verify" if has_device else "accounts:mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def mfa_exempt(view):
    """Mark a view as reachable before the second factor is given."""
    view.mfa_exempt = True
    return view


# What a signed-in person with no current role may still open: their own account, its security pages, signing
# out, and the public pages (which are ``login_not_required`` and pass anyway).
NO_ROLE_PAGES = frozenset({
    "accounts:account", "accounts:password_change", "accounts:mfa_setup", "accounts:mfa_backup_codes",
    "accounts:mfa_verify", "accounts:reauthenticate", "accounts:logout",
})


class NoCurrentRoleMiddleware:
    """A person whose every role has ended sees nothing but their account page.

    Each access rule already requires a current role; this is the backstop for any page that forgets (issue 21,
    finding 1). The home page sends them to their account page; every other page answers 403. Staff keep the
    Django admin, which checks its own permissions.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.role_names:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in NO_ROLE_PAGES or (user.is_staff and match and match.app_name == "admin"):
            return None
        if name == "home":
            return redirect("accounts:account")
        raise PermissionDenied
