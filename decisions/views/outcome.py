"""The National Panel, the practice review and the no-review outcome."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import executive_chair
from rapidreview.clocks.models import Clock
from rapidreview.formviews import handle_form

from ..forms import (
    ActionFormSet,
    CsprCommissionForm,
    CsprUpdateForm,
    DateNotesForm,
    MilestoneForm,
    NationalPanelCorrectForm,
    NationalPanelResponseForm,
    NationalPanelSendForm,
    NoCsprForm,
    ParallelProcessForm,
    ParticipationForm,
    PublicationCorrectionForm,
    PublishForm,
    ReportSentForm,
)
from ..models import Cspr, CsprMilestone, CsprParticipation, NationalPanelSubmission, ParallelProcess
from ..selectors import SHEET_READERS, cspr_actions, sheet_for
from ..services import (
    cspr_commission,
    cspr_correct_publication,
    cspr_publish,
    cspr_record_implementation_review,
    cspr_record_workshop,
    cspr_report_sent,
    cspr_update,
    milestone_add,
    milestone_complete,
    national_panel_correct_sent,
    national_panel_record_response,
    national_panel_send,
    no_cspr_record,
    parallel_process_save,
    participation_update,
)
from ..services.national_panel import national_panel_deadline
from .common import form_page, led_case, visible_case

BU = Role.BUSINESS_UNIT


def _sheet_url(case):
    return reverse("decisions:sheet", args=[case.pk])


@role_required(BU)
@require_http_methods(["GET", "POST"])
def national_panel_send_view(request, case_id):
    case = led_case(request, case_id)
    form = NationalPanelSendForm(request.POST or None, partnership=case.partnership,
                                 initial={"sent_for": executive_chair(partnership=case.partnership)})
    if saved := handle_form(request, form, save=lambda data: national_panel_send(case=case, actor=request.user, **data),
                            success="Date sent to the National Panel recorded.", next_url=_sheet_url(case)):
        return saved
    deadline = national_panel_deadline(case)
    intro = (f"The deadline is {deadline:%-d %B %Y}. After it, give the reason for the delay." if deadline else "")
    return form_page(request, form=form, case=case, title="Send the decision to the National Panel", intro=intro,
                     back_url=_sheet_url(case))


@role_required(BU)
@require_http_methods(["GET", "POST"])
def national_panel_correct_view(request, case_id):
    case = led_case(request, case_id)
    submission = NationalPanelSubmission.objects.filter(case=case).first()
    if submission is None:
        raise Http404("Not sent to the National Panel")
    form = NationalPanelCorrectForm(request.POST or None, partnership=case.partnership, initial={
        "sent_on": submission.sent_on, "sent_for": submission.sent_for_id, "late_reason": submission.late_reason})
    if saved := handle_form(request, form,
                            save=lambda data: national_panel_correct_sent(case=case, actor=request.user, **data),
                            success="The correction is recorded.", next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Correct the date sent to the National Panel",
                     intro=f"Recorded as sent on {submission.sent_on.day} {submission.sent_on:%B %Y}. The date must "
                           "be on or after the day the decision sheet was signed, and not in the future.",
                     back_url=_sheet_url(case))


@role_required(BU)
@require_http_methods(["GET", "POST"])
def national_panel_response_view(request, case_id):
    case = led_case(request, case_id)
    sheet = sheet_for(case)
    answers = {r["letter"]: r["answer"] for r in sheet.current.regulation_3()} if sheet and sheet.current else {}
    form = NationalPanelResponseForm(request.POST or None, answers=answers)
    if saved := handle_form(request, form,
                            save=lambda data: national_panel_record_response(
                                case=case, actor=request.user, response_on=data["response_on"],
                                response=data["response"], text=data["text"], criteria=form.criteria()),
                            success="The National Panel's response has been recorded.", next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="Record the National Panel's response",
                     back_url=_sheet_url(case))


@role_required(BU)
@require_http_methods(["GET", "POST"])
def no_cspr_view(request, case_id):
    case = led_case(request, case_id)
    form = NoCsprForm(request.POST or None)
    formset = ActionFormSet(request.POST or None, prefix="actions")
    if saved := handle_form(
            request, form, formsets=[formset],
            save=lambda data: no_cspr_record(case=case, actor=request.user, **data, actions=[
                row.cleaned_data for row in formset if row.cleaned_data.get("description")]),
            success="Outcome recorded. The learning and actions are in the statutory review action plan.",
            next_url=_sheet_url(case)):
        return saved
    return form_page(request, form=form, case=case, title="No practice review: what happens instead",
                     template="decisions/no_cspr.html", formset=formset, back_url=_sheet_url(case))


@role_required(BU)
@require_http_methods(["GET", "POST"])
def cspr_commission_view(request, case_id):
    case = led_case(request, case_id)
    sheet = sheet_for(case)
    form = CsprCommissionForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda data: cspr_commission(case=case, actor=request.user, **data),
                            success="Practice review commissioned. The 6-month clock has started.",
                            next_url=reverse("decisions:cspr", args=[case.pk])):
        return saved
    recommendation = sheet.current.get_recommendation_display() if sheet and sheet.current else ""
    return form_page(request, form=form, case=case, title="Commission a Child Safeguarding Practice Review",
                     intro=f"The signed decision recommends: {recommendation}." if recommendation else "",
                     back_url=_sheet_url(case))


def _cspr(request, case_id, *, led: bool = True) -> Cspr:
    """The case's practice review. ``led``: for pages that change it, which only the leading partnership opens."""
    case = led_case(request, case_id) if led else visible_case(request, case_id)
    cspr = Cspr.objects.filter(case=case).select_related("case").first()
    if cspr is None:
        raise Http404("No practice review")
    return cspr


@role_required(*SHEET_READERS)
@require_http_methods(["GET"])
def cspr_detail(request, case_id):
    cspr = _cspr(request, case_id, led=False)
    processes = list(cspr.parallel_processes.all())
    clocks = list(Clock.objects.filter(case_id=cspr.case_id, kind__in=[
        "cspr_report", "pre_publication", "implementation_review", "cspr_checkpoint", "reviewer_request"]))
    return render(request, "decisions/cspr.html", {
        "case": cspr.case, "cspr": cspr, "actions": cspr_actions(request.user, cspr), "has_cspr": True,
        "milestones": cspr.milestones.all(), "participations": cspr.participations.select_related("agency"),
        "processes": processes, "delays": cspr.publication_delays(),
        "checkpoints": cspr.checkpoints.select_related("recorded_by"),
        "requests": cspr.information_requests.select_related("requested_by"),
        "family_contacts": cspr.family_contacts.all(),
        "clocks": clocks,
        "next_check": next((c for c in clocks if c.kind == "cspr_checkpoint" and c.state in ("running", "overdue")),
                           None),
    })


def _cspr_form(request, cspr, *, form_class, title, save, success, obj=None, initial=None, **extra):
    """A form page of the practice review: ``save(cspr, cleaned_data)``, then back to the review.

    ``cspr`` comes from ``_cspr``, which writes the access log: fetch it once per request.
    """
    form_kwargs = {"initial": initial or {}}
    if obj is not None and issubclass(form_class, forms.ModelForm):
        form_kwargs = {"instance": obj}
    form = form_class(request.POST or None, **form_kwargs)
    cspr_url = reverse("decisions:cspr", args=[cspr.case_id])
    if saved := handle_form(request, form, save=lambda data: save(cspr, data), success=success, next_url=cspr_url):
        return saved
    return form_page(request, form=form, case=cspr.case, title=title, caption=cspr.case.reference, back_url=cspr_url,
                     **extra)


@role_required(BU)
@require_http_methods(["GET", "POST"])
def cspr_edit(request, case_id):
    cspr = _cspr(request, case_id)
    initial = {f: getattr(cspr, f) for f in ("methodology", "methodology_detail", "reviewers", "terms_of_reference",
                                             "planned_publication_on")}
    return _cspr_form(request, cspr, form_class=CsprUpdateForm, title="Practice review details", initial=initial,
                      save=lambda cspr, data: cspr_update(cspr=cspr, actor=request.user, **data),
                      success="Details saved.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def milestone_new(request, case_id):
    return _cspr_form(request, _cspr(request, case_id), form_class=MilestoneForm, title="Add a milestone",
                      save=lambda cspr, data: _milestone_add(cspr, data, request.user), success="Milestone added.")


def _milestone_add(cspr, data, actor):
    milestone = milestone_add(cspr=cspr, actor=actor, kind=data["kind"], planned_on=data["planned_on"],
                              notes=data["notes"], attendees=data["attendees"])
    if data["completed_on"]:
        milestone_complete(milestone=milestone, actor=actor, planned_on=data["planned_on"],
                           completed_on=data["completed_on"], notes=data["notes"], attendees=data["attendees"])


@role_required(BU)
@require_http_methods(["GET", "POST"])
def milestone_edit(request, case_id, milestone_id):
    cspr = _cspr(request, case_id)
    milestone = get_object_or_404(CsprMilestone, pk=milestone_id, cspr=cspr)
    return _cspr_form(request, cspr, form_class=MilestoneForm, obj=milestone,
                      title=f"Update milestone: {milestone.get_kind_display()}",
                      save=lambda cspr, data: milestone_complete(
                          milestone=milestone, actor=request.user, planned_on=data["planned_on"],
                          completed_on=data["completed_on"], notes=data["notes"], attendees=data["attendees"]),
                      success="Milestone saved.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def participation_edit(request, case_id, participation_id):
    cspr = _cspr(request, case_id)
    participation = get_object_or_404(CsprParticipation.objects.select_related("agency"), pk=participation_id,
                                      cspr=cspr)
    return _cspr_form(request, cspr, form_class=ParticipationForm, obj=participation,
                      title=f"Participation: {participation.agency.name}",
                      save=lambda cspr, data: participation_update(participation=participation, actor=request.user,
                                                                   **data),
                      success="Participation saved.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def process_edit(request, case_id, process_id=None):
    cspr = _cspr(request, case_id)
    process = get_object_or_404(ParallelProcess, pk=process_id, cspr=cspr) if process_id else None
    return _cspr_form(request, cspr, form_class=ParallelProcessForm, obj=process or ParallelProcess(cspr=cspr),
                      title="Parallel process" if process else "Add a parallel process",
                      save=lambda cspr, data: parallel_process_save(cspr=cspr, actor=request.user, process=process,
                                                                    **data),
                      success="Process saved.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def report_sent(request, case_id):
    return _cspr_form(request, _cspr(request, case_id), form_class=ReportSentForm,
                      title="Report sent to the National Panel and the Secretary of State",
                      save=lambda cspr, data: cspr_report_sent(cspr=cspr, actor=request.user, **data),
                      success="Date sent recorded.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def publish(request, case_id):
    cspr = _cspr(request, case_id)
    # A warning, never a block: parallel processes may hold back publication, not the learning or actions.
    return _cspr_form(request, cspr, form_class=PublishForm, title="Record publication",
                      template="decisions/publish.html", delays=cspr.publication_delays(),
                      save=lambda cspr, data: cspr_publish(cspr=cspr, actor=request.user, **data),
                      success="Publication recorded. The one-year implementation review clock has started.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def publication_correct(request, case_id):
    cspr = _cspr(request, case_id)
    if not cspr.published_on:
        messages.error(request, "Record the publication first: there is nothing to correct yet.")
        return redirect("decisions:cspr", case_id=cspr.case_id)
    return _cspr_form(request, cspr, form_class=PublicationCorrectionForm, title="Correct the publication details",
                      initial={"pseudonym": cspr.case.pseudonym, "published_url": cspr.published_url},
                      save=lambda cspr, data: cspr_correct_publication(cspr=cspr, actor=request.user, **data),
                      success="Publication details corrected. The reason is kept in the history.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def workshop(request, case_id):
    return _cspr_form(request, _cspr(request, case_id), form_class=DateNotesForm,
                      title="Learning workshop at publication",
                      save=lambda cspr, data: cspr_record_workshop(cspr=cspr, actor=request.user, **data),
                      success="Learning workshop recorded.")


@role_required(BU)
@require_http_methods(["GET", "POST"])
def implementation_review(request, case_id):
    return _cspr_form(request, _cspr(request, case_id), form_class=DateNotesForm,
                      title="One-year implementation review",
                      save=lambda cspr, data: cspr_record_implementation_review(cspr=cspr, actor=request.user,
                                                                               **data),
                      success="Implementation review recorded. The case is closed.")
