"""The form itself: the lead's task list, section pages and check answers while it is open to them; the form to
read for everyone else."""

import hashlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from themes.models import Theme
from themes.selectors import recurrence

from .. import selectors, services
from ..forms import SECTION_FORMS, chronology_formset
from ..models import EDITABLE_STATUSES, FormStatus
from ..sections import BY_KEY, all_missing, section_of, section_status, sections_for, snapshot
from .common import FORM_ROLES


def _lead_may_edit(user, form) -> bool:
    return selectors.is_agency_lead_for(user, form) and form.status in EDITABLE_STATUSES


def _latest_return(form):
    review = form.reviews.select_related("version", "reviewer").first()
    return review if review and review.outcome == FormStatus.RETURNED else None


def _findings_by_field(form) -> dict:
    return {name: f.messages for name, f in services.form_findings(form).items()}


def _signature(messages_: list[str]) -> str:
    return hashlib.sha256("\n".join(messages_).encode()).hexdigest()[:16] if messages_ else ""


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
            "taking_part": selectors.case_partnerships(form.case)[1:],
            "review": _latest_return(form), "done": sum(t["status"] == "done" for t in tasks),
            "versions": form.versions.count()})
    can_qa = selectors.may_review(request.user, form)
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
        bound = chronology_formset(form, add_row=True)
    access_log(request, obj=form, case_id=form.case_id)
    notes = _section_findings(form, key)
    return render(request, "agencychecks/section.html", {
        "form": form, "section": sec, "bound": bound, "is_chronology": is_chronology,
        "rows": _field_rows(bound, notes) if not is_chronology else None,
        "chronology_notes": dict(notes) if is_chronology else {},
        "findings_seen": _signature([m for _, ms in notes for m in ms]),
        "review_comment": (_latest_return(form).comments.get(key) if _latest_return(form) else ""),
        "summary": selectors.case_summary(form.case)})


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
