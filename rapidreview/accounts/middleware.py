"""Second-factor enforcement: a signed-in person who has not yet given their code reaches only the MFA pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .decorators import is_installation_admin
from .models import Partnership
from .selectors import partnerships_of

PARTNERSHIP_SESSION_KEY = "partnership_id"
# A link may name the partnership it belongs to (e-mails do): ?partnership=<slug> switches to it when the reader
# holds a role there, and is ignored otherwise.
PARTNERSHIP_PARAM = "partnership"


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
# What the installation's administrator (staff, usually with no role in any partnership) may open besides: the
# partnerships of the installation. Never a case page (ADR 0015).
INSTALLATION_PAGES = frozenset({"accounts:installation", "accounts:partnership_new",
                                "partnership_export:import_start", "partnership_export:import",
                                "partnership_export:import_cancel", "partnership_export:import_done"})


class NoCurrentRoleMiddleware:
    """A person whose every role has ended sees nothing but their account page.

    Each access rule already requires a current role; this is the backstop for any page that forgets (issue 21,
    finding 1). The home page sends them to their account page; every other page answers 403. Staff keep the
    Django admin, which checks its own permissions, and the installation's pages, where the home page sends them.
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
        if is_installation_admin(user) and name in INSTALLATION_PAGES:
            return None
        if name == "home":
            return redirect("accounts:installation" if is_installation_admin(user) else "accounts:account")
        raise PermissionDenied


class PartnershipMiddleware:
    """Choose the partnership a signed-in person acts in for this request (ADR 0015).

    The choice lives in the session: the person picks it with the switcher (``accounts:switch_partnership``) or
    follows a link carrying ``?partnership=<slug>``. Without a choice, or when the chosen partnership is no
    longer theirs, it is the first of their partnerships by name. ``request.partnership`` is that partnership
    (None for the public and for people with no current role), and ``request.user`` reads its roles there.
    Must come after authentication and before anything reads roles.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.partnership = self.choose(request, user)
            user.act_in(request.partnership)
        return self.get_response(request)

    @staticmethod
    def choose(request, user) -> Partnership | None:
        # The person's partnerships come with their roles (``User.current_assignments``): no query of their own.
        mine = {p.pk: p for p in partnerships_of(user)}
        if not mine:
            return None
        wanted = request.GET.get(PARTNERSHIP_PARAM)
        chosen = None
        if wanted:
            chosen = next((p for p in mine.values() if p.slug == wanted), None)
        if chosen is None:
            chosen = mine.get(request.session.get(PARTNERSHIP_SESSION_KEY))
        if chosen is None:
            chosen = next(iter(mine.values()))  # the first by name
        if chosen is not None and request.session.get(PARTNERSHIP_SESSION_KEY) != chosen.pk:
            request.session[PARTNERSHIP_SESSION_KEY] = chosen.pk
        return chosen
