"""The business unit's administration of its own partnership's people: the list, a person's details and their
roles here. A person who also works for another partnership keeps their roles there out of sight, and their
account (name, e-mail, whether it is active) is not this partnership's to change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..decorators import recent_auth_required, role_required
from ..forms import ExistingPersonRoleForm, PersonForm, RoleAssignmentForm
from ..models import Role, RoleAssignment
from ..selectors import partnership_role, people_list, works_elsewhere
from ..services import person_save, role_assign, role_end


def _person(request, person_id):
    """A person of the acting partnership (404 for anyone else, whoever they work for)."""
    return get_object_or_404(people_list(partnership=request.partnership), public_id=person_id)


@role_required(Role.BUSINESS_UNIT)
@require_GET
def people(request):
    access_log(request)  # the list of everyone and their roles (issue 21, finding 12)
    return render(request, "accounts/people.html",
                  {"people": people_list(partnership=request.partnership), "roles": Role})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def person_new(request):
    """A new account, with its first role in the acting partnership."""
    form = PersonForm(request.POST or None, partnership=request.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: person_save(form=form, actor=request.user,
                                                          partnership=request.partnership,
                                                          first_role=data["first_role"]),
                            success=lambda saved: f"{saved.full_name} added.",
                            next_url=lambda saved: reverse("accounts:person", args=[saved.public_id])):
        return saved
    return render(request, "accounts/person_edit.html",
                  {"form": form, "person": None, "title": "Add a person", "submit_label": "Save"})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = _person(request, person_id)
    if works_elsewhere(person, request.partnership):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person, partnership=request.partnership)
    if saved := handle_form(request, form, save=lambda data: person_save(form=form, actor=request.user),
                            success=lambda saved: f"{saved.full_name} saved.",
                            next_url=lambda saved: reverse("accounts:person", args=[saved.public_id])):
        return saved
    return render(request, "accounts/person_edit.html", {"form": form, "person": person, "submit_label": "Save",
                                                         "title": f"Change {person.full_name}'s details"})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def person_detail(request, person_id):
    person = _person(request, person_id)
    access_log(request, obj=person)
    return render(request, "accounts/person.html",
                  {"person": person, "can_change": not works_elsewhere(person, request.partnership)})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def role_add(request, person_id):
    person = _person(request, person_id)
    form = RoleAssignmentForm(request.POST or None, partnership=request.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: role_assign(form=form, user=person, partnership=request.partnership,
                                                          actor=request.user),
                            success=f"Role added for {person.full_name}.",
                            next_url=reverse("accounts:person", args=[person.public_id])):
        return saved
    return render(request, "accounts/role_add.html", {"form": form, "person": person, "title": "Add a role",
                                                      "caption": person.full_name, "submit_label": "Add role"})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def person_add_existing(request):
    """A role here for someone who already has an account, found by e-mail: nothing about their roles elsewhere is
    shown, and their account is not changed."""
    form = ExistingPersonRoleForm(request.POST or None, partnership=request.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: role_assign(form=form, user=form.person,
                                                          partnership=request.partnership, actor=request.user),
                            success=lambda saved: f"{saved.get_role_display()} role added for {saved.user.full_name}.",
                            next_url=lambda saved: reverse("accounts:person", args=[saved.user.public_id])):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Add someone who already has an account", "submit_label": "Add role",
        "intro": "For someone who already signs in to this service, for example for another partnership. They "
                 "keep one account; the role you give them here is for this partnership only.",
        "back_url": reverse("accounts:people")})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_POST
def role_remove(request, assignment_id):
    try:
        assignment = partnership_role(assignment_id, partnership=request.partnership)
    except RoleAssignment.DoesNotExist as missing:
        raise Http404 from missing
    role_end(assignment=assignment, actor=request.user)
    messages.success(request, f"{assignment.get_role_display()} role ended for {assignment.user.full_name}.")
    return redirect("accounts:person", person_id=assignment.user.public_id)
