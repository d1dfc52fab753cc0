"""Your account: changing your password, setting up and using the second factor, backup codes, confirming it's you
before a sensitive step, and choosing which of your partnerships you act in."""

import time
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log

from ..decorators import AUTH_AT_SESSION_KEY, authenticated_recently, recent_auth_required
from ..forms import GovUKPasswordChangeForm, ReauthenticateForm, TokenForm
from ..middleware import PARTNERSHIP_SESSION_KEY, mfa_exempt
from ..selectors import partnerships_of
from .common import security_notice

BACKUP_CODE_COUNT = 10


def _safe_next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(default)


@require_GET
@mfa_exempt
def account(request):
    devices = list(devices_for_user(request.user, confirmed=True))
    return render(request, "accounts/account.html", {
        "has_authenticator": any(isinstance(d, TOTPDevice) for d in devices),
        "backup_codes_left": sum(d.token_set.count() for d in devices if isinstance(d, StaticDevice)),
        "mfa_required": settings.MFA_REQUIRED,
    })


class PasswordChange(auth_views.PasswordChangeView):
    http_method_names = ["get", "post", "head", "options"]
    template_name = "form_page.html"
    form_class = GovUKPasswordChangeForm
    success_url = reverse_lazy("accounts:account")
    extra_context = {"title": "Change your password", "submit_label": "Change password"}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[AUTH_AT_SESSION_KEY] = time.time()
        security_notice(self.request.user, what="password", kind="accounts.password_changed")
        messages.success(self.request, "Your password has been changed.")
        return response


def _new_backup_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


@require_http_methods(["GET", "POST"])
@mfa_exempt
def mfa_setup(request):
    """Set up (or replace) an authenticator app: scan the code, type the first code it shows."""
    user = request.user
    replacing = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if replacing and not (user.is_verified() and authenticated_recently(request)):
        if not user.is_verified():
            return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.path})}")
        return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': request.path})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, devices=[device])
    form.fields["token"].help_text = "The 6-digit code your authenticator app shows for Rapid Review."
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_backup_codes(user)
            security_notice(user, what="second factor (authenticator app)", kind="accounts.mfa_changed")
        otp_login(request, device)
        request.session[AUTH_AT_SESSION_KEY] = time.time()
        return render(request, "accounts/backup_codes.html",
                      {"codes": codes, "next": _safe_next(request), "first_time": not replacing})
    return render(request, "accounts/mfa_setup.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "replacing": replacing,
        "secret": b32encode(device.bin_key).decode().rstrip("="), "next": request.GET.get("next", ""),
        "mfa_required": settings.MFA_REQUIRED,
    })


@require_http_methods(["GET", "POST"])
@mfa_exempt
def mfa_verify(request):
    """The second step of signing in: the code from the authenticator app (or a backup code)."""
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:mfa_setup')}?{urlencode({'next': _safe_next(request)})}")
    if request.user.is_verified():
        return redirect(_safe_next(request))
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        request.session[AUTH_AT_SESSION_KEY] = time.time()
        if isinstance(form.device, StaticDevice):
            messages.info(request, f"You used a backup code. You have {form.device.token_set.count()} left.")
        return redirect(_safe_next(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
@recent_auth_required(minutes=15)
def mfa_backup_codes(request):
    """Replace the backup codes; the new ones are shown once."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:mfa_setup")
    codes = _new_backup_codes(request.user)
    security_notice(request.user, what="backup codes", kind="accounts.backup_codes_changed")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:account")})


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Ask for the password (and code) again before signing a decision sheet or changing someone's roles."""
    devices = list(devices_for_user(request.user, confirmed=True))
    form = ReauthenticateForm(request.POST or None, user=request.user, devices=devices)
    if request.method == "POST" and form.is_valid():
        request.session[AUTH_AT_SESSION_KEY] = time.time()
        return redirect(_safe_next(request))
    return render(request, "accounts/reauthenticate.html", {
        "form": form, "title": "Confirm it's you", "submit_label": "Confirm it's you",
        "next": request.GET.get("next") or request.POST.get("next", ""),
    })


@require_POST
def switch_partnership(request):
    """Act in another of your partnerships (the header's switcher), then start from its home page.

    Only a partnership in which you hold a role today: any other slug changes nothing and answers 404, like a link
    to something you may not see. The switch is logged in the partnership switched to.
    """
    wanted = request.POST.get("partnership", "")
    chosen = next((p for p in partnerships_of(request.user) if p.slug == wanted), None)
    if chosen is None:
        raise Http404
    request.session[PARTNERSHIP_SESSION_KEY] = chosen.pk
    request.partnership = chosen
    request.user.act_in(chosen)
    access_log(request, action=AccessAction.SWITCH, obj=chosen)
    messages.success(request, f"You are now working in {chosen.name}.")
    return redirect("home")
