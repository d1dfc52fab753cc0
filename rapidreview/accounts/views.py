"""Signing in and out, the second factor, password changes, and the business unit's administration of people."""

import time
import uuid
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rapidreview.notifications.services import notify

from .decorators import AUTH_AT_SESSION_KEY, authenticated_recently, recent_auth_required, role_required
from .forms import (
    AgencyForm,
    GovUKPasswordChangeForm,
    GovUKPasswordResetForm,
    GovUKSetPasswordForm,
    PartnershipForm,
    PersonForm,
    ReauthenticateForm,
    RoleAssignmentForm,
    SignInForm,
    TokenForm,
)
from .middleware import mfa_exempt
from .models import Agency, Partnership, Role, RoleAssignment
from .selectors import people_list
from .services import agency_save, partnership_update, person_save, role_assign, role_end

LOCKOUT_MINUTES = 15
BACKUP_CODE_COUNT = 10


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
    mfa_exempt = True


@method_decorator(login_not_required, name="dispatch")
class ResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = GovUKPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = GovUKSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        _security_notice(form.user, what="password", kind="accounts.password_changed")
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def partnership_edit(request):
    form = PartnershipForm(request.POST or None, instance=Partnership.load())
    if request.method == "POST" and form.is_valid():
        partnership_update(form=form, actor=request.user)
        messages.success(request, "Partnership settings saved. Running clocks keep their due dates.")
        return redirect("accounts:partnership")
    return render(request, "accounts/partnership.html",
                  {"form": form, "title": "Partnership settings", "submit_label": "Save settings"})


@role_required(Role.BUSINESS_UNIT)
def people(request):
    return render(request, "accounts/people.html", {"people": people_list(), "roles": Role})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id=None):
    person = get_object_or_404(people_list(), public_id=person_id) if person_id else None
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = person_save(form=form, actor=request.user)
        messages.success(request, f"{person.full_name} saved.")
        return redirect("accounts:person", person_id=person.public_id)
    title = f"Change {person.full_name}'s details" if person else "Add a person"
    return render(request, "accounts/person_edit.html",
                  {"form": form, "person": person, "title": title, "submit_label": "Save"})


@role_required(Role.BUSINESS_UNIT)
def person_detail(request, person_id):
    person = get_object_or_404(people_list(), public_id=person_id)
    return render(request, "accounts/person.html", {"person": person})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def role_add(request, person_id):
    person = get_object_or_404(people_list(), public_id=person_id)
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role_assign(form=form, user=person, actor=request.user)
        messages.success(request, f"Role added for {person.full_name}.")
        return redirect("accounts:person", person_id=person.public_id)
    return render(request, "accounts/role_add.html", {"form": form, "person": person, "title": "Add a role",
                                                      "caption": person.full_name, "submit_label": "Add role"})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_POST
def role_remove(request, assignment_id):
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id)
    role_end(assignment=assignment, actor=request.user)
    messages.success(request, f"{assignment.get_role_display()} role ended for {assignment.user.full_name}.")
    return redirect("accounts:person", person_id=assignment.user.public_id)


@role_required(Role.BUSINESS_UNIT)
def agencies(request):
    return render(request, "accounts/agencies.html", {"agencies": Agency.objects.all()})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id=None):
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        agency = agency_save(form=form, actor=request.user)
        messages.success(request, f"{agency.name} saved.")
        return redirect("accounts:agencies")
    return render(request, "accounts/agency_edit.html", {"form": form, "agency": agency, "submit_label": "Save",
                                                        "title": agency.name if agency else "Add an agency"})


# --- Lockout, your account, second factor and re-authentication -------------------------------------------------

def locked_out(request, response=None, credentials=None):
    """What django-axes shows after too many failed sign-ins. It says nothing about whether the account exists."""
    return render(request, "accounts/locked_out.html", {"minutes": LOCKOUT_MINUTES}, status=429)


def _safe_next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(default)


def _security_notice(user, *, what: str, kind: str) -> None:
    """Tell the person by e-mail that their password or second factor changed, in case it was not them."""
    notify(to=user, subject=f"Your Rapid Review {what} was changed", template="accounts/email/security_change",
           context={"what": what, "when": timezone.now()}, kind=kind,
           key=f"{kind}:{user.pk}:{uuid.uuid4()}")


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
        _security_notice(self.request.user, what="password", kind="accounts.password_changed")
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
            _security_notice(user, what="second factor (authenticator app)", kind="accounts.mfa_changed")
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
    _security_notice(request.user, what="backup codes", kind="accounts.backup_codes_changed")
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
