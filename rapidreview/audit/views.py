"""The business unit's audit pages: the access log, a case's change history, legal holds, retention and
subject access requests. Every page here is itself logged. Each shows the acting partnership's entries only (the
selectors decide); legal holds and retention belong to the partnership that leads the case."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_action, handle_form
from rapidreview.pagination import paginate
from rapidreview.registry import visible_case

from .filters import AccessLogFilter
from .forms import LegalHoldForm, RetentionRuleForm, SubjectAccessForm
from .models import AccessAction, LegalHold, RecordType, RetentionProposal, RetentionRule
from .retention import cases_past_retention, retention_confirm, retention_propose, retention_withdraw
from .selectors import (
    access_log_rows,
    case_access_lines,
    case_history,
    get_led_case,
    get_open_retention_proposal,
    legal_holds,
    open_retention_proposals,
    retention_actions,
    subject_access_search,
)
from .services import (
    access_log,
    legal_hold_remove,
    legal_hold_set,
    retention_rule_update,
    subject_access_export,
)

PAGE_SIZE = 50  # lines of the access log, and of who opened a case on its history page
HISTORY_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


@role_required(Role.BUSINESS_UNIT)
@require_GET
def access_log_list(request):
    """Who looked at or did what, filtered by person, action, kind of record and dates, 50 to a page."""
    rows = access_log_rows(request.user)
    filterset = AccessLogFilter(request.GET or None, queryset=rows, reader=request.user)
    logs = filterset.qs if filterset.is_bound and filterset.is_valid() else rows
    form = filterset.form
    access_log(request)  # reading the log is itself logged (issue 21, finding 12); before counting the page
    page = paginate(request, logs, PAGE_SIZE, count_in_order=True)  # newest first: the partnership's index
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_log.html", {
        "form": form, "page": page, "query": query.urlencode(), "title": "Access log",
    })


@role_required(*HISTORY_ROLES)
@require_GET
def case_history_view(request, case_id):
    """Every change to the case and its records, and every time someone opened it (newest first, 50 to a page:
    every line can be reached, however often the case was opened)."""
    case = visible_case(request.user, case_id)
    access_log(request, action=AccessAction.VIEW, obj=case, case_id=case.pk)
    opened = paginate(request, case_access_lines(request.user, case), PAGE_SIZE, count_in_order=True)
    hold = LegalHold.objects.filter(case_id=case.pk).select_related("set_by").first()
    return render(request, "audit/case_history.html", {
        "case": case, "entries": case_history(case), "opened": opened, "hold": hold,
        "retention_steps": RetentionProposal.objects.filter(case_id=case.pk).select_related(
            "proposed_by", "confirmed_by", "withdrawn_by").order_by("created_at"),
        "can_hold": request.user.has_role(Role.BUSINESS_UNIT),
    })


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def legal_hold_edit(request, case_id):
    case = get_led_case(request.user, case_id)
    hold = LegalHold.objects.filter(case_id=case.pk).first()
    form = LegalHoldForm(request.POST or None, initial={"reason": hold.reason if hold else ""})
    if saved := handle_form(request, form,
                            save=lambda data: legal_hold_set(case_id=case.pk, reason=data["reason"],
                                                             actor=request.user),
                            success=f"{case.reference} is under a legal hold. It will not be anonymised or deleted.",
                            next_url=reverse("audit:case_history", args=[case.pk])):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Place a legal hold", "caption": case.reference, "submit_label": "Place legal hold",
        "intro": "While a legal hold is in place the case is kept, whatever its retention period.",
        "back_url": reverse("audit:case_history", args=[case.pk]),
    })


@role_required(Role.BUSINESS_UNIT)
@require_POST
def legal_hold_release(request, case_id):
    case = get_led_case(request.user, case_id)
    history_url = reverse("audit:case_history", args=[case.pk])
    return handle_action(request, lambda: legal_hold_remove(case_id=case.pk, actor=request.user),
                         success=f"Legal hold removed from {case.reference}.", next_url=history_url,
                         refused_url=history_url)


@role_required(Role.BUSINESS_UNIT)
@require_GET
def retention(request):
    """The retention periods, and the closed cases past them (nothing is changed from this page)."""
    rules = [RetentionRule.for_type(t, partnership=request.partnership) for t in RecordType.values]
    due = cases_past_retention(partnership=request.partnership)
    proposals = {p.case_id: p for p in open_retention_proposals(request.user).filter(
        case_id__in=[item.case_id for item in due]).select_related("proposed_by")}
    for item in due:
        item.proposal = proposals.get(item.case_id)
    return render(request, "audit/retention.html", {
        "rules": rules, "due": due, "done": retention_actions(request.user)[:50],
        "holds": legal_holds(request.user),
        "today": timezone.localdate(),
    })


@role_required(Role.BUSINESS_UNIT)
@require_POST
def retention_propose_view(request, case_id):
    """First of two steps: propose anonymising a case past its retention period."""
    case = get_led_case(request.user, case_id)
    return handle_action(request, lambda: retention_propose(case_id=case.pk, actor=request.user,
                                                            note=request.POST.get("note", "")),
                         success=f"Anonymising {case.reference} proposed. Another member of the business unit must "
                                 f"confirm it.", next_url="audit:retention", refused_url="audit:retention")


def _proposal_step(request, proposal_id, step, success: str):
    """Confirm or withdraw an open proposal; a refusal (such as confirming your own) shows on the retention page."""
    proposal = get_open_retention_proposal(request.user, proposal_id)
    return handle_action(request, lambda: step(proposal=proposal, actor=request.user),
                         success=success.format(reference=proposal.reference), next_url="audit:retention",
                         refused_url="audit:retention")


@role_required(Role.BUSINESS_UNIT)
@require_POST
def retention_confirm_view(request, proposal_id):
    """Second step, by a different person: confirm, and the case is anonymised."""
    return _proposal_step(request, proposal_id, retention_confirm, "{reference} has been anonymised.")


@role_required(Role.BUSINESS_UNIT)
@require_POST
def retention_withdraw_view(request, proposal_id):
    return _proposal_step(request, proposal_id, retention_withdraw, "Proposal to anonymise {reference} withdrawn.")


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def retention_rule_edit(request, rule_id):
    rule = get_object_or_404(RetentionRule, pk=rule_id, partnership=request.partnership)
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if saved := handle_form(request, form, save=lambda data: retention_rule_update(form=form, actor=request.user),
                            success="Retention period saved.", next_url="audit:retention"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Change a retention period", "caption": rule.get_record_type_display(),
        "submit_label": "Save retention period", "back_url": reverse("audit:retention"),
    })


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def subject_access(request):
    """Find everything held about a named person, then download it. The name travels only in POST bodies."""
    form = SubjectAccessForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = subject_access_search(request.user, form.cleaned_data["name"])
        access_log(request, action=AccessAction.VIEW)
        if request.POST.get("download") and found:
            content = subject_access_export(request, name=form.cleaned_data["name"], found=found)
            response = HttpResponse(content, content_type="application/zip")
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.zip"'
            return response
        if request.POST.get("download"):
            raise Http404
    return render(request, "audit/subject_access.html", {"form": form, "found": found})
