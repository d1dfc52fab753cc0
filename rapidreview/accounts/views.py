"""Signing in and out, password reset, and the business unit's administration of people and settings."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST

from .decorators import role_required
from .forms import (
    AgencyForm,
    GovUKPasswordResetForm,
    GovUKSetPasswordForm,
    PartnershipForm,
    PersonForm,
    RoleAssignmentForm,
    SignInForm,
)
from .models import Agency, Partnership, Role, RoleAssignment
from .selectors import people_list, user_with_roles
from .services import agency_save, partnership_update, person_save, role_assign, role_end


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


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
def person_edit(request, user_id=None):
    person = user_with_roles(user_id) if user_id else None
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = person_save(form=form, actor=request.user)
        messages.success(request, f"{person.full_name} saved.")
        return redirect("accounts:person", user_id=person.pk)
    title = f"Change {person.full_name}'s details" if person else "Add a person"
    return render(request, "accounts/person_edit.html",
                  {"form": form, "person": person, "title": title, "submit_label": "Save"})


@role_required(Role.BUSINESS_UNIT)
def person_detail(request, user_id):
    person = get_object_or_404(people_list(), pk=user_id)
    return render(request, "accounts/person.html", {"person": person})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def role_add(request, user_id):
    person = get_object_or_404(people_list(), pk=user_id)
    form = RoleAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        role_assign(form=form, user=person, actor=request.user)
        messages.success(request, f"Role added for {person.full_name}.")
        return redirect("accounts:person", user_id=person.pk)
    return render(request, "accounts/role_add.html", {"form": form, "person": person, "title": "Add a role",
                                                      "caption": person.full_name, "submit_label": "Add role"})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def role_remove(request, assignment_id):
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id)
    role_end(assignment=assignment, actor=request.user)
    messages.success(request, f"{assignment.get_role_display()} role ended for {assignment.user.full_name}.")
    return redirect("accounts:person", user_id=assignment.user_id)


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
