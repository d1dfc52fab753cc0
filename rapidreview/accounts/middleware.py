"""Second-factor enforcement: a signed-in person who has not yet given their code reaches only the MFA pages."""

from urllib.parse import urlencode

from django.conf import settings
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
