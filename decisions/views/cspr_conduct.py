"""The partners' oversight of a practice review (regulation 14) and the family's involvement: business unit pages."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role

from ..forms import CheckpointForm, FamilyContactForm, FamilyDraftForm, InformationRequestForm, RequestAnsweredForm
from ..models import CsprInformationRequest, FamilyContact
from ..services import (
    cspr_checkpoint_record,
    cspr_record_family_draft,
    cspr_request_answered,
    cspr_request_information,
    family_contact_save,
)
from .outcome import _cspr, _cspr_form

BU = Role.BUSINESS_UNIT


@role_required(BU)
@require_http_methods(["GET", "POST"])
def checkpoint_new(request, case_id):
    return _cspr_form(request, _cspr(request, case_id), form_class=CheckpointForm,
                      title="Check the review's time and quality",
                      save=lambda cspr, data: cspr_checkpoint_record(cspr=cspr, actor=request.user, **data),
                      success="Check recorded. The next one is on the deadlines list.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def request_new(request, case_id):
    cspr = _cspr(request, case_id)
    return _cspr_form(request, cspr, form_class=InformationRequestForm,
                      title="Ask the reviewer for information or a draft, in writing",
                      initial={"addressed_to": cspr.reviewers},
                      save=lambda cspr, data: cspr_request_information(cspr=cspr, actor=request.user, **data),
                      success="Written request sent to the reviewer.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def request_answered(request, case_id, reviewer_request_id):
    cspr = _cspr(request, case_id)
    written = get_object_or_404(CsprInformationRequest, pk=reviewer_request_id, cspr=cspr)
    return _cspr_form(request, cspr, form_class=RequestAnsweredForm, title="The reviewer's reply",
                      save=lambda cspr, data: cspr_request_answered(request=written, actor=request.user, **data),
                      success="Reply recorded.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def family_contact_edit(request, case_id, family_contact_id=None):
    cspr = _cspr(request, case_id)
    contact = get_object_or_404(FamilyContact, pk=family_contact_id, cspr=cspr) if family_contact_id else None
    return _cspr_form(request, cspr, form_class=FamilyContactForm, obj=contact or FamilyContact(cspr=cspr),
                      title="Contact with the family" if contact else "Record contact with the family",
                      save=lambda cspr, data: family_contact_save(cspr=cspr, actor=request.user, contact=contact,
                                                                  **data),
                      success="Family contact saved.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def family_draft(request, case_id):
    cspr = _cspr(request, case_id)
    return _cspr_form(request, cspr, form_class=FamilyDraftForm, title="Draft report shared with the family",
                      initial={"shared_on": cspr.draft_shared_with_family_on,
                               "response": cspr.family_draft_response},
                      save=lambda cspr, data: cspr_record_family_draft(cspr=cspr, actor=request.user, **data),
                      success="Saved.")
