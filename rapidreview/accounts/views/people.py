"""The business unit's administration of people: the list, a person's details and their roles."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..decorators import recent_auth_required, role_required
from ..forms import PersonForm, RoleAssignmentForm
from ..models import Role, RoleAssignment
from ..selectors import people_list
from ..services import person_save, role_assign, role_end


@role_required(Role.BUSINESS_UNIT)
@require_GET
def people(request):
    access_log(request)  # the list of everyone and their roles (issue 21, finding 12)
    return render(request, "accounts/people.html", {"people": people_list(), "roles": Role})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id=None):
    person = get_object_or_404(people_list(), public_id=person_id) if person_id else None
    form = PersonForm(request.POST or None, instance=person)
    if saved := handle_form(request, form, save=lambda data: person_save(form=form, actor=request.user),
                            success=lambda saved: f"{saved.full_name} saved.",
                            next_url=lambda saved: reverse("accounts:person", args=[saved.public_id])):
        return saved
    title = f"Change {person.full_name}'s details" if person else "Add a person"
    return render(request, "accounts/person_edit.html",
                  {"form": form, "person": person, "title": title, "submit_label": "Save"})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def person_detail(request, person_id):
    person = get_object_or_404(people_list(), public_id=person_id)
    access_log(request, obj=person)
    return render(request, "accounts/person.html", {"person": person})


@role_required(Role.BUSINESS_UNIT)
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def role_add(request, person_id):
    person = get_object_or_404(people_list(), public_id=person_id)
    form = RoleAssignmentForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda data: role_assign(form=form, user=person, actor=request.user),
                            success=f"Role added for {person.full_name}.",
                            next_url=reverse("accounts:person", args=[person.public_id])):
        return saved
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
