"""Pages for agency check forms: issue, the lead's task list and section pages, check answers, quality assurance,
versions, the case board, the pack (on screen and as PDF) and the glossary.

Every form is fetched through ``selectors.get_visible_form``: a form the user may not see answers 404.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from referrals.models import Stage
from referrals.selectors import get_visible_case
from themes.models import Theme
from themes.selectors import recurrence

from . import selectors, services
from .compare import compare_snapshots
from .forms import (
    SECTION_FORMS,
    AcceptForm,
    DistributeForm,
    GlossaryTermForm,
    IssueForm,
    ReturnForm,
    chronology_formset,
)
from .models import EDITABLE_STATUSES, FormStatus, GlossaryTerm
from .pdf import render_pack_pdf
from .sections import BY_KEY, all_missing, section_of, section_status, sections_for, snapshot

STAFF = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
FORM_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.AGENCY_LEAD)


def _lead_may_edit(user, form) -> bool:
    return selectors.is_agency_lead_for(user, form) and form.status in EDITABLE_STATUSES


def _latest_return(form):
    review = form.reviews.select_related("version", "reviewer").first()
    return review if review and review.outcome == FormStatus.RETURNED else None


def _findings_by_field(form) -> dict:
    return {name: f.messages for name, f in services.form_findings(form).items()}


def _signature(messages_: list[str]) -> str:
    return hashlib.sha256("\n".join(messages_).encode()).hexdigest()[:16] if messages_ else ""


PAGE_SIZE = 50
AWAITING_SHOWN = 20


# --- lists ---------------------------------------------------------------------------------------------------
@role_required(*FORM_ROLES)
@require_GET
def index(request):
    """Agency leads: their agency's forms. Business unit and chair: every form, the ones to quality-assure first."""
    forms = selectors.my_forms(request.user)
    status = request.GET.get("status", "")
    if status in FormStatus.values:
        forms = forms.filter(status=status)
    is_staff = request.user.has_role(*STAFF)
    page = Paginator(forms, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    awaiting = selectors.forms_awaiting_qa() if is_staff and not status else None
    context = {"forms": page.object_list, "page": page, "query": query.urlencode(), "is_staff": is_staff,
               "status": status, "statuses": FormStatus.choices,
               "awaiting": list(awaiting[:AWAITING_SHOWN]) if awaiting is not None else [],
               "awaiting_count": awaiting.count() if awaiting is not None else 0}
    return render(request, "agencychecks/index.html", context)


@role_required(*STAFF)
@require_GET
def board(request, case_id):
    case = get_visible_case(request.user, case_id)
    forms = list(selectors.case_forms(case))
    columns = [(key, label, [f for f in forms if f.board_status == key]) for key, label in (
        ("issued", "Issued"), ("draft", "Draft"), ("submitted", "Submitted"), ("returned", "Returned"),
        ("accepted", "Accepted"), ("overdue", "Overdue"))]
    invited = list(selectors.invited_agencies(case))
    have = {f.agency_id for f in forms}
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "agencychecks/board.html", {
        "case": case, "forms": forms, "columns": columns, "pack": selectors.pack_for(case),
        "not_issued": [a for a in invited if a.pk not in have],
        "can_issue": case.stage == Stage.RAPID_REVIEW and request.user.has_role(Role.BUSINESS_UNIT),
        "all_accepted": bool(forms) and all(f.status == FormStatus.ACCEPTED for f in forms),
        "any_accepted": any(f.status == FormStatus.ACCEPTED for f in forms),
    })


# --- issuing -------------------------------------------------------------------------------------------------
@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def issue(request, case_id):
    case = get_visible_case(request.user, case_id)
    earliest, latest = services.due_date_bounds()
    before_panel = services.latest_date_before_panel(case)
    form = IssueForm(request.POST or None, earliest=earliest, latest=latest, latest_before_panel=before_panel,
                     initial={"due_on": latest})
    have = set(case.agency_forms.values_list("agency_id", flat=True))
    agencies = [a for a in selectors.invited_agencies(case) if a.pk not in have]
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.forms_issue(case=case, due_on=form.cleaned_data["due_on"], actor=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{len(issued)} agency check forms issued. Each agency's safeguarding leads "
                                      "have been sent a link.")
            return redirect("agencychecks:board", case_id=case.pk)
    return render(request, "agencychecks/issue.html", {
        "form": form, "case": case, "agencies": agencies, "before_panel": before_panel,
        "meeting": selectors.panel_meeting_date(case), "late_by_default": bool(before_panel and latest > before_panel),
        "title": "Issue agency check forms", "caption": case.reference, "submit_label": "Issue forms",
        "back_url": reverse("agencychecks:board", args=[case.pk])})


# --- the form ------------------------------------------------------------------------------------------------
@role_required(*FORM_ROLES)
@require_GET
def form_detail(request, form_id):
    """The lead's task list while the form is open to them; otherwise the form to read."""
    form = selectors.get_visible_form(request.user, form_id)
    access_log(request, obj=form, case_id=form.case_id)
    findings = _findings_by_field(form)
    count = form.chronology.count()
    if _lead_may_edit(request.user, form):
        tasks = []
        for section in sections_for(form):
            fields = set(section.fields) | ({"chronology"} if section.key == "chronology" else set())
            notes = sum(len(v) for k, v in findings.items() if k in fields or
                        (section.key == "chronology" and k.startswith("chronology-")))
            tasks.append({"section": section, "status": section_status(form, section.key, count), "notes": notes})
        return render(request, "agencychecks/form_tasks.html", {
            "form": form, "tasks": tasks, "summary": selectors.case_summary(form.case),
            "review": _latest_return(form), "done": sum(t["status"] == "done" for t in tasks),
            "versions": form.versions.count()})
    can_qa = request.user.has_role(Role.BUSINESS_UNIT) and form.status == FormStatus.SUBMITTED
    theme_recurrence = recurrence(case=form.case, user=request.user,
                                  themes=Theme.objects.filter(name__in=form.themes or [])) if can_qa else None
    return render(request, "agencychecks/form_read.html", {
        "form": form, "snap": snapshot(form), "findings": findings, "summary": selectors.case_summary(form.case),
        "recurrence": theme_recurrence,
        "reviews": form.reviews.select_related("reviewer", "version"), "versions": form.versions.count(),
        "can_qa": can_qa})


@role_required(Role.AGENCY_LEAD)
@require_http_methods(["GET", "POST"])
def section(request, form_id, key):
    form = selectors.get_visible_form(request.user, form_id)
    if key not in {s.key for s in sections_for(form)}:
        raise Http404("No such section.")
    if not _lead_may_edit(request.user, form):
        messages.info(request, "This form cannot be changed now.")
        return redirect(form.get_absolute_url())
    sec = BY_KEY[key]
    is_chronology = key == "chronology"
    data = request.POST if request.method == "POST" else None
    bound = chronology_formset(form, data) if is_chronology else SECTION_FORMS[key](data, instance=form)
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        if bound.is_valid():
            try:
                if is_chronology:
                    services.form_save_section(form=form, section=key, actor=request.user, chronology_formset=bound)
                else:
                    values = {k: v for k, v in bound.cleaned_data.items() if k in sec.fields}
                    if key == "involvement":
                        values["involved"] = bound.cleaned_data.get("involved")
                    services.form_save_section(form=form, section=key, actor=request.user, data=values)
            except DomainError as error:
                messages.error(request, str(error))
                return redirect(form.get_absolute_url())
            form.refresh_from_db()
            url = reverse("agencychecks:section", args=[form.pk, key])
            if action == "add":
                return redirect(f"{url}?add=1#chronology-rows")
            if action == "draft":
                messages.success(request, f"Draft saved at {timezone.localtime():%H:%M}. You can come back to it at "
                                          "any time before the due date.")
                return redirect(form.get_absolute_url())
            notes = _section_findings(form, key)
            if notes and _signature([m for _, ms in notes for m in ms]) != request.POST.get("findings_seen", ""):
                messages.warning(request, "Saved. The writing assistant has notes on this section: they are next to "
                                          "the answers they are about.")
                return redirect(url)
            return redirect(_next_url(form, key))
        form.refresh_from_db()
    elif is_chronology and request.GET.get("add"):
        bound = _with_extra_row(form)
    access_log(request, obj=form, case_id=form.case_id)
    notes = _section_findings(form, key)
    return render(request, "agencychecks/section.html", {
        "form": form, "section": sec, "bound": bound, "is_chronology": is_chronology,
        "rows": _field_rows(bound, notes) if not is_chronology else None,
        "chronology_notes": dict(notes) if is_chronology else {},
        "findings_seen": _signature([m for _, ms in notes for m in ms]),
        "review_comment": (_latest_return(form).comments.get(key) if _latest_return(form) else ""),
        "summary": selectors.case_summary(form.case)})


def _with_extra_row(form):
    from django.forms import modelformset_factory

    from .forms import ChronologyEntryForm
    from .models import ChronologyEntry

    formset_class = modelformset_factory(ChronologyEntry, form=ChronologyEntryForm, extra=1, can_delete=True,
                                         max_num=200, validate_max=True)
    return formset_class(queryset=form.chronology.all(), prefix="chronology")


def _section_findings(form, key) -> list[tuple[str, list[str]]]:
    findings = _findings_by_field(form)
    if key == "chronology":
        return [(k, v) for k, v in findings.items() if k.startswith("chronology-")]
    return [(k, v) for k, v in findings.items() if k in BY_KEY[key].fields]


def _field_rows(bound, notes) -> list[tuple]:
    notes = dict(notes)
    return [(bound[name], notes.get(name, [])) for name in bound.fields]


def _next_url(form, key) -> str:
    keys = [s.key for s in sections_for(form)]
    index = keys.index(key) if key in keys else -1
    if 0 <= index < len(keys) - 1:
        return reverse("agencychecks:section", args=[form.pk, keys[index + 1]])
    return reverse("agencychecks:check", args=[form.pk])


@role_required(Role.AGENCY_LEAD)
@require_http_methods(["GET", "POST"])
def check(request, form_id):
    """Check your answers, then submit."""
    form = selectors.get_visible_form(request.user, form_id)
    if not _lead_may_edit(request.user, form):
        return redirect(form.get_absolute_url())
    error = ""
    if request.method == "POST":
        try:
            version = services.form_submit(form=form, actor=request.user)
        except DomainError as exc:
            error = str(exc)
        else:
            return render(request, "agencychecks/submitted.html", {"form": form, "version": version})
    access_log(request, obj=form, case_id=form.case_id)
    findings = _findings_by_field(form)
    gaps = all_missing(form, form.chronology.count())
    blocking = [(section_of(name), a) for name, f in services.form_findings(form).items() for a in f.acronyms]
    return render(request, "agencychecks/check.html", {
        "form": form, "snap": snapshot(form), "findings": findings, "gaps": gaps, "blocking": blocking,
        "error": error, "sections": {s.key: s for s in sections_for(form)}}, status=400 if error else 200)


# --- quality assurance ---------------------------------------------------------------------------------------
def _submitted_form_for_qa(request, form_id):
    form = selectors.get_visible_form(request.user, form_id)
    if form.status != FormStatus.SUBMITTED:
        messages.info(request, "Only a submitted form can be returned or accepted.")
        return form, redirect(form.get_absolute_url())
    return form, None


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def return_form(request, form_id):
    form, done = _submitted_form_for_qa(request, form_id)
    if done:
        return done
    qa = ReturnForm(request.POST or None, sections=sections_for(form))
    if request.method == "POST" and qa.is_valid():
        try:
            services.form_return(form=form, actor=request.user, comments=qa.comments(),
                                 note=qa.cleaned_data.get("note", ""))
        except DomainError as error:
            qa.add_error(None, str(error))
        else:
            messages.success(request, f"{form.agency.name}'s form returned. Their safeguarding leads have been told.")
            return redirect("agencychecks:board", case_id=form.case_id)
    access_log(request, obj=form, case_id=form.case_id)
    return render(request, "agencychecks/return.html", {
        "form": qa, "check_form": form, "snap": snapshot(form), "title": "Return the form with comments",
        "caption": f"{form.case.reference} – {form.agency.name}", "submit_label": "Return the form",
        "back_url": form.get_absolute_url()})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def accept_form(request, form_id):
    form, done = _submitted_form_for_qa(request, form_id)
    if done:
        return done
    qa = AcceptForm(request.POST)
    if qa.is_valid():
        try:
            services.form_accept(form=form, actor=request.user, note=qa.cleaned_data.get("note", ""))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{form.agency.name}'s form accepted. It will be in the panel pack.")
            return redirect("agencychecks:board", case_id=form.case_id)
    else:
        messages.error(request, "; ".join(e for errs in qa.errors.values() for e in errs))
    return redirect(form.get_absolute_url())


@role_required(*FORM_ROLES)
@require_GET
def versions(request, form_id):
    """Every submitted version; two of them side by side."""
    form = selectors.get_visible_form(request.user, form_id)
    all_versions = list(form.versions.select_related("submitted_by").order_by("number"))
    if not all_versions:
        raise Http404("This form has not been submitted yet.")
    numbers = [v.number for v in all_versions]

    def pick(param, default):
        try:
            value = int(request.GET.get(param, default))
        except (TypeError, ValueError):
            return default
        return value if value in numbers else default

    b = pick("b", numbers[-1])
    a = pick("a", numbers[-2] if len(numbers) > 1 else numbers[-1])
    by_number = {v.number: v for v in all_versions}
    access_log(request, obj=form, case_id=form.case_id)
    return render(request, "agencychecks/versions.html", {
        "form": form, "versions": all_versions, "a": by_number[a], "b": by_number[b],
        "rows": compare_snapshots(by_number[a].snapshot, by_number[b].snapshot)})


# --- distribution and the pack -------------------------------------------------------------------------------
@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def distribute(request, case_id):
    case = get_visible_case(request.user, case_id)
    forms = list(selectors.case_forms(case))
    left_out = [f for f in forms if f.status != FormStatus.ACCEPTED]
    form = DistributeForm(request.POST or None, needs_reason=bool(left_out))
    if request.method == "POST" and form.is_valid():
        try:
            services.pack_distribute(case=case, actor=request.user, reason=form.cleaned_data.get("reason", ""))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The pack has been distributed. Each panel member has been sent a link.")
            return redirect("agencychecks:board", case_id=case.pk)
    members = list(selectors.case_panel_members(case))
    return render(request, "agencychecks/distribute.html", {
        "form": form, "case": case, "accepted": [f for f in forms if f.status == FormStatus.ACCEPTED],
        "left_out": left_out, "members": members, "title": "Distribute the pack to the panel",
        "caption": case.reference, "submit_label": "Distribute the pack",
        "back_url": reverse("agencychecks:board", args=[case.pk])})


def _pack_case(request, case_id):
    if not request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.PANEL_MEMBER):
        raise PermissionDenied
    case = get_visible_case(request.user, case_id)
    if not selectors.can_see_pack(request.user, case):
        raise Http404("No pack.")
    return case


@require_GET
def pack(request, case_id):
    case = _pack_case(request, case_id)
    forms = list(selectors.accepted_forms(case))
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "agencychecks/pack.html", {
        "case": case, "pack": selectors.pack_for(case), "entries": [(f, snapshot(f)) for f in forms]})


@require_GET
def pack_pdf(request, case_id):
    case = _pack_case(request, case_id)
    forms = list(selectors.accepted_forms(case))
    access_log(request, action=AccessAction.PDF, obj=case, case_id=case.pk)
    pdf = render_pack_pdf(case=case, pack=selectors.pack_for(case), entries=[(f, snapshot(f)) for f in forms],
                          base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agency-check-forms-{case.reference}.pdf"'
    return response


# --- the glossary --------------------------------------------------------------------------------------------
@role_required(*FORM_ROLES)
@require_GET
def glossary(request):
    return render(request, "agencychecks/glossary.html", {
        "terms": GlossaryTerm.objects.all(), "can_edit": request.user.has_role(Role.BUSINESS_UNIT)})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def glossary_edit(request, term_id=None):
    term = get_object_or_404(GlossaryTerm, pk=term_id) if term_id else None
    form = GlossaryTermForm(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        saved = services.glossary_term_save(form=form, actor=request.user)
        messages.success(request, f"{saved.term} saved in the glossary.")
        return redirect("agencychecks:glossary")
    return render(request, "form_page.html", {
        "form": form, "title": f"Change {term.term}" if term else "Add a term to the glossary",
        "caption": "Glossary", "submit_label": "Save", "back_url": reverse("agencychecks:glossary")})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def glossary_delete(request, term_id):
    term = get_object_or_404(GlossaryTerm, pk=term_id)
    services.glossary_term_delete(term=term, actor=request.user)
    messages.success(request, f"{term.term} removed from the glossary.")
    return redirect("agencychecks:glossary")

