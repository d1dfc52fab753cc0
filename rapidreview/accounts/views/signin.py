"""Signing in and out, the lockout page after too many failed sign-ins, and resetting a forgotten password."""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from kombu.exceptions import OperationalError

from rapidreview.audit.services import client_ip
from rapidreview.ratelimit import hit

from ..forms import GovUKPasswordResetForm, GovUKSetPasswordForm, SignInForm
from ..lockout import address_locked
from ..services import password_reset_send
from ..tasks import send_password_reset
from .common import security_notice

LOCKOUT_MINUTES = 15

logger = logging.getLogger(__name__)


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]
    mfa_exempt = True


def locked_out(request, response=None, credentials=None):
    """What django-axes shows after too many failed sign-ins. It says nothing about whether the account exists,
    and says which lock it is: the e-mail address from this connection, or the whole connection."""
    return render(request, "accounts/locked_out.html",
                  {"minutes": LOCKOUT_MINUTES, "whole_address": address_locked(request)}, status=429)


@method_decorator(login_not_required, name="dispatch")
class ResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The page answers the same, in the same time, whether or not the account exists: it
    only hands the address to a background task (issue 21, finding 6). Limited per network address (a clear
    message) and per e-mail address (silently: saying so would tell who has an account)."""

    template_name = "accounts/password_reset.html"
    form_class = GovUKPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if hit(f"password-reset-address:{client_ip(self.request) or 'unknown'}",
               limit=settings.PASSWORD_RESET_ADDRESS_LIMIT, window=60 * 60):
            return render(self.request, "accounts/password_reset_limited.html", status=429)
        email = form.cleaned_data["email"].strip().lower()
        if not hit(f"password-reset-account:{email}", limit=settings.PASSWORD_RESET_ACCOUNT_LIMIT, window=60 * 60):
            try:
                send_password_reset.delay(email)
            except OperationalError:
                # The broker is down: queue the e-mail in the outbox now; it goes when the broker is back.
                logger.warning("Broker unavailable; password reset e-mail written to the outbox directly.")
                password_reset_send(email=email)
        return redirect(self.get_success_url())


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
        security_notice(form.user, what="password", kind="accounts.password_changed")
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
