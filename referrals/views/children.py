"""Further children in the same incident: added, corrected and removed by the leading partnership's business unit
or rapid review chair (``get_led_case``). The pages name the child; nothing sent by e-mail does."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form

from ..forms import IncidentChildForm, RemoveChildForm
from ..selectors import get_incident_child, get_led_case
from ..services import CHILD_FIELDS, incident_child_add, incident_child_edit, incident_child_remove


def _page(request, case, form, title, **extra):
    return render(request, "form_page.html", {
        "form": form, "case": case, "caption": case.reference, "title": title, "back_url": case.get_absolute_url(),
        "cancel_url": case.get_absolute_url(), **extra})


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def child_add(request, case_id):
    """Add another child in the same incident (one notification covers up to four)."""
    case = get_led_case(request.user, case_id)
    access_log(request, obj=case, case_id=case.pk)
    form = IncidentChildForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda data: incident_child_add(case=case, actor=request.user,
                                                                                **data),
                            success="The child has been added to the incident.", next_url=case):
        return saved
    return _page(request, case, form, "Add another child in this incident",
                 intro="One notification covers every child harmed or at risk in the same incident, up to four. "
                       "The child the referral named is the first.")


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def child_edit(request, case_id, child_id):
    """Correct a further child's details."""
    case = get_led_case(request.user, case_id)
    child = get_incident_child(case, child_id)
    access_log(request, obj=case, case_id=case.pk)
    form = IncidentChildForm(request.POST or None, initial={name: getattr(child, name) for name in CHILD_FIELDS})
    if saved := handle_form(request, form, save=lambda data: incident_child_edit(child=child, actor=request.user,
                                                                                 **data),
                            success="The child's details have been saved.", next_url=case):
        return saved
    return _page(request, case, form, "Change another child's details")


@role_required(Role.BUSINESS_UNIT, Role.RR_CHAIR)
@require_http_methods(["GET", "POST"])
def child_remove(request, case_id, child_id):
    """Confirm removing a further child recorded in error."""
    case = get_led_case(request.user, case_id)
    child = get_incident_child(case, child_id)
    access_log(request, obj=case, case_id=case.pk)
    form = RemoveChildForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda data: incident_child_remove(child=child, actor=request.user,
                                                                                   **data),
                            success="The child has been removed from the incident.", next_url=case):
        return saved
    return _page(request, case, form, f"Remove {child.name or 'the unnamed child'} from this incident")
