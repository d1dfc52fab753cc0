"""Signing in and out, the lockout page after too many failed sign-ins, and resetting a forgotten password."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from ..forms import GovUKPasswordResetForm, GovUKSetPasswordForm, SignInForm
from ..lockout import address_locked
from .common import security_notice

LOCKOUT_MINUTES = 15


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
        security_notice(form.user, what="password", kind="accounts.password_changed")
        return response


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
