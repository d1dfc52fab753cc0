"""Writes on agency check forms: issue, save, submit, return, accept, distribute; and the glossary."""

import datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role
from rapidreview.accounts.selectors import users_with_role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.workdays import add_working_days, is_working_day
from referrals.models import Case, Stage
from referrals.services import case_record_event

from . import assistant, selectors
from .models import (
    EDITABLE_STATUSES,
    AgencyCheckForm,
    FormReview,
    FormStatus,
    FormVersion,
    GlossaryTerm,
    Pack,
    PackRender,
)
from .sections import BY_KEY, SECTION_KEYS, TEXT_FIELDS, all_missing, snapshot
from .tasks import render_pack

# A pack PDF asked for this long ago and still not rendered: its task was lost (a worker died), so queue it again.
PACK_RENDER_RETRY_AFTER = datetime.timedelta(minutes=2)

# A returned form is due this many working days after it is returned, or on its original due date if later.
RETURN_WORKING_DAYS = 2


# --- due dates -----------------------------------------------------------------------------------------------
def due_date_bounds(*, partnership: Partnership, today: datetime.date | None = None) -> tuple[datetime.date,
                                                                                              datetime.date]:
    """The earliest and the latest (default) due date a form issued ``today`` may have, by the durations and
    calendar of ``partnership`` (the case's leading partnership)."""
    today = today or timezone.localdate()
    shortest = min(partnership.agency_form_min_working_days, partnership.agency_form_working_days)
    return (add_working_days(today, shortest, partnership=partnership),
            add_working_days(today, partnership.agency_form_working_days, partnership=partnership))


def latest_date_before_panel(case) -> datetime.date | None:
    """One working day before the panel meeting: a form due later than this leaves no time to read it."""
    meeting = selectors.panel_meeting_date(case)
    return add_working_days(meeting, -1, partnership=case.partnership_id) if meeting else None


def check_due_date(due_on: datetime.date, *, partnership: Partnership, today: datetime.date | None = None) -> None:
    earliest, latest = due_date_bounds(partnership=partnership, today=today)
    if not is_working_day(due_on, partnership=partnership):
        raise DomainError("The due date must be a working day.")
    if not earliest <= due_on <= latest:
        raise DomainError(f"The due date must be between {earliest.day} {earliest:%B %Y} and "
                          f"{latest.day} {latest:%B %Y}.")


def _form_url(form) -> str:
    return reverse("agencychecks:form", args=[form.pk])


def _notify_leads(form, *, subject: str, template: str, kind: str, key: str, context: dict | None = None):
    """E-mail the form's agency's leads in the case's partnerships; each link opens in the partnership where the
    lead holds that role (the e-mail itself comes from the case's leading partnership)."""
    for lead, link_partnership in selectors.form_leads(form):
        notify(to=lead, subject=subject, template=template, kind=kind, key=f"{key}:{lead.pk}", related=form,
               partnership=form.case.partnership,
               context={"form": form, "reference": form.case.reference, "agency": form.agency.name,
                        "url": _form_url(form), "due_on": form.due_on, "link_partnership": link_partnership,
                        **(context or {})})


# --- issuing -------------------------------------------------------------------------------------------------
@transaction.atomic
def forms_issue(*, case: Case, agencies, due_on: datetime.date, actor) -> list[AgencyCheckForm]:
    """Issue a form to each of ``agencies``; start a clock and e-mail the agency's leads.

    Each must be an agency of the case's leading partnership or of a partnership taking part in it, without a
    form on the case yet.
    """
    locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
    if locked.stage != Stage.RAPID_REVIEW:
        raise DomainError("Agency check forms can only be issued while the case is at rapid review.")
    check_due_date(due_on, partnership=locked.partnership)
    agencies = list(agencies)
    if not agencies:
        raise DomainError("Choose the agencies to send a form to.")
    allowed = {row.agency.pk for row in selectors.issuable_agencies(locked)}
    if any(a.pk not in allowed for a in agencies):
        raise DomainError("Forms go only to the agencies of the partnerships leading or taking part in the case.")
    have = set(AgencyCheckForm.objects.filter(case=locked).values_list("agency_id", flat=True))
    if any(a.pk in have for a in agencies):
        raise DomainError("An agency chosen already has a form on this case.")
    today = timezone.localdate()
    issued = []
    for agency in sorted(agencies, key=lambda a: a.name):
        form = AgencyCheckForm.objects.create(case=locked, agency=agency, due_on=due_on, issued_on=today,
                                              issued_by=actor)
        clock_start(kind=ClockKind.AGENCY_FORM, subject=form, start=today, due=due_on, case_id=locked.pk,
                    partnership=locked.partnership, label=agency.name)
        _notify_leads(form, subject=f"Agency check form for {locked.reference}: due {due_on.day} {due_on:%B %Y}",
                      template="agencychecks/email/issued", kind="agencychecks.issued", key=f"form-issued:{form.pk}")
        issued.append(form)
    names = ", ".join(a.name for a in agencies)
    case_record_event(case=locked, kind="agency_forms_issued", actor=actor,
                      summary=f"Agency check forms issued to {len(agencies)} agencies, due {due_on.day} "
                              f"{due_on:%B %Y}", note=names)
    return issued


# --- completing ----------------------------------------------------------------------------------------------
def _lock_editable(form) -> AgencyCheckForm:
    locked = AgencyCheckForm.objects.select_for_update(of=("self",)).select_related("case", "agency").get(pk=form.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise DomainError(f"This form is {locked.get_status_display().lower()} and cannot be changed now.")
    return locked


@transaction.atomic
def form_save_section(*, form: AgencyCheckForm, section: str, actor, data: dict | None = None,
                      chronology_formset=None) -> AgencyCheckForm:
    """Save one section as a draft. ``data`` holds cleaned field values; the chronology comes as a formset."""
    if section not in SECTION_KEYS:
        raise DomainError("There is no such section.")
    locked = _lock_editable(form)
    allowed = set(BY_KEY[section].fields)
    for name, value in (data or {}).items():
        if name in allowed:
            setattr(locked, name, value)
    if section == "chronology" and chronology_formset is not None:
        for entry_form in chronology_formset.forms:
            # UUID primary keys are set before saving, so "new" is _state.adding, not a missing pk.
            is_new = entry_form.instance._state.adding
            if is_new and not entry_form.has_changed():
                continue
            if chronology_formset.can_delete and chronology_formset._should_delete_form(entry_form):
                if not is_new:
                    entry_form.instance.delete()
                continue
            entry = entry_form.save(commit=False)
            entry.form = locked
            entry.save()
    if locked.status == FormStatus.ISSUED:
        locked.status = FormStatus.DRAFT
    locked.last_edited_by = actor
    locked._history_user = actor
    locked.save()
    form.status = locked.status
    return locked


def form_text_fields(form: AgencyCheckForm) -> dict[str, str]:
    """The free text a reader from another agency will meet, in order, including each chronology entry."""
    fields = {name: getattr(form, name) for name in TEXT_FIELDS}
    if form.involved is False:
        fields = {"no_involvement_note": form.no_involvement_note}
    else:
        fields.pop("no_involvement_note")
        for i, entry in enumerate(form.chronology.all(), start=1):
            fields[f"chronology-{i}"] = entry.summary
    return fields


def form_findings(form: AgencyCheckForm) -> dict[str, assistant.Findings]:
    return assistant.check_fields(form_text_fields(form), selectors.glossary())


@transaction.atomic
def form_submit(*, form: AgencyCheckForm, actor) -> FormVersion:
    """Submit the form for quality assurance: every section complete, no unexplained acronyms. Keeps a version."""
    locked = _lock_editable(form)
    gaps = all_missing(locked, locked.chronology.count())
    if gaps:
        raise DomainError("Complete every section before you submit the form.")
    if assistant.blocking_acronyms(form_findings(locked)):
        raise DomainError("Write out the acronyms the writing assistant found before you submit the form.")
    number = locked.versions.count() + 1
    version = FormVersion.objects.create(form=locked, number=number, submitted_by=actor, snapshot=snapshot(locked))
    locked.status = FormStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.last_edited_by = actor
    locked._history_user = actor
    locked.save()
    clock_meet(subject=locked, kind=ClockKind.AGENCY_FORM)
    again = " again" if number > 1 else ""
    case_record_event(case=locked.case, kind="agency_form_submitted", actor=actor,
                      summary=f"{locked.agency.name} submitted its agency check form{again}")
    for person in users_with_role(Role.BUSINESS_UNIT, partnership=locked.case.partnership):
        notify(to=person, subject=f"Agency check form submitted for {locked.case.reference}",
               template="agencychecks/email/submitted", kind="agencychecks.submitted",
               key=f"form-submitted:{locked.pk}:{number}:{person.pk}", related=locked,
               partnership=locked.case.partnership,
               context={"reference": locked.case.reference, "agency": locked.agency.name,
                        "url": reverse("agencychecks:form", args=[locked.pk])})
    form.status = locked.status
    return version


# --- quality assurance ---------------------------------------------------------------------------------------
def _lock_submitted(form) -> tuple[AgencyCheckForm, FormVersion]:
    locked = AgencyCheckForm.objects.select_for_update(of=("self",)).select_related("case", "agency").get(pk=form.pk)
    if locked.status != FormStatus.SUBMITTED:
        raise DomainError("Only a submitted form can be quality-assured.")
    return locked, locked.versions.order_by("-number").first()


@transaction.atomic
def form_return(*, form: AgencyCheckForm, actor, comments: dict[str, str], note: str = "") -> FormReview:
    """Send the form back to the agency with a comment on each section concerned; a short clock restarts."""
    comments = {k: v.strip() for k, v in comments.items() if k in SECTION_KEYS and v and v.strip()}
    if not comments:
        raise DomainError("Comment on at least one section to say what the agency needs to change.")
    locked, version = _lock_submitted(form)
    review = FormReview.objects.create(form=locked, version=version, outcome=FormStatus.RETURNED, reviewer=actor,
                                       comments=comments, note=note)
    today = timezone.localdate()
    locked.due_on = max(locked.due_on, add_working_days(today, RETURN_WORKING_DAYS,
                                                        partnership=locked.case.partnership_id))
    locked.status = FormStatus.RETURNED
    locked._history_user = actor
    locked.save()
    clock_start(kind=ClockKind.AGENCY_FORM, subject=locked, start=today, due=locked.due_on, case_id=locked.case_id,
                partnership=locked.case.partnership, label=locked.agency.name)
    case_record_event(case=locked.case, kind="agency_form_returned", actor=actor,
                      summary=f"{locked.agency.name}'s agency check form returned for changes")
    _notify_leads(locked, subject=f"Agency check form for {locked.case.reference} returned: please update it",
                  template="agencychecks/email/returned", kind="agencychecks.returned",
                  key=f"form-returned:{review.pk}")
    form.status = locked.status
    return review


@transaction.atomic
def form_accept(*, form: AgencyCheckForm, actor, note: str = "") -> FormReview:
    locked, version = _lock_submitted(form)
    review = FormReview.objects.create(form=locked, version=version, outcome=FormStatus.ACCEPTED, reviewer=actor,
                                       note=note)
    locked.status = FormStatus.ACCEPTED
    locked.accepted_at = timezone.now()
    locked._history_user = actor
    locked.save()
    case_record_event(case=locked.case, kind="agency_form_accepted", actor=actor,
                      summary=f"{locked.agency.name}'s agency check form accepted")
    _notify_leads(locked, subject=f"Agency check form for {locked.case.reference} accepted",
                  template="agencychecks/email/accepted", kind="agencychecks.accepted",
                  key=f"form-accepted:{review.pk}")
    form.status = locked.status
    return review


# --- distribution --------------------------------------------------------------------------------------------
@transaction.atomic
def pack_distribute(*, case: Case, actor, reason: str = "") -> Pack:
    """Send the accepted forms to the case's panel members. Forms not accepted need a recorded reason."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != Stage.RAPID_REVIEW:
        raise DomainError("The pack can only be distributed while the case is at rapid review.")
    if Pack.objects.filter(case=locked).exists():
        raise DomainError("The pack for this case has already been distributed.")
    forms = list(selectors.case_forms(locked))
    accepted = [f for f in forms if f.status == FormStatus.ACCEPTED]
    if not accepted:
        raise DomainError("Accept at least one agency check form before distributing the pack.")
    left_out = [f for f in forms if f.status != FormStatus.ACCEPTED]
    reason = reason.strip()
    if left_out and not reason:
        raise DomainError("Give a reason for distributing the pack without every agency's form.")
    pack = Pack.objects.create(case=locked, distributed_by=actor, reason=reason if left_out else "")
    pack.left_out.set(left_out)
    for form in left_out:  # the panel goes ahead without these: stop chasing them
        clock_cancel(subject=form, kind=ClockKind.AGENCY_FORM)
    url = reverse("agencychecks:pack", args=[locked.pk])
    sent = 0
    for member in selectors.case_panel_members(locked):
        if selectors.is_conflicted(member, locked):
            continue
        _send_pack(pack, member, url=url, count=len(accepted))
        sent += 1
    note = ""
    if left_out:
        note = "Without: " + ", ".join(f.agency.name for f in left_out) + f". Reason: {reason}"
    case_record_event(case=locked, kind="agency_pack_distributed", actor=actor, note=note,
                      summary=f"Agency check form pack ({len(accepted)} forms) sent to {sent} panel members")
    return pack


def _send_pack(pack: Pack, member, *, url: str, count: int) -> None:
    notify(to=member, subject=f"Agency check forms for {pack.case.reference} are ready to read",
           template="agencychecks/email/pack", kind="agencychecks.pack", key=f"pack:{pack.pk}:{member.pk}",
           partnership=pack.case.partnership, related=pack,
           context={"reference": pack.case.reference, "url": url, "count": count})


def pack_send_to_seated_substitute(sender, *, invitation, **kwargs) -> None:
    """A substitute seated after the pack went out is sent it too (receiver of ``panels.signals.substitute_seated``)."""
    case = invitation.panel.case
    pack = Pack.objects.filter(case=case).select_related("case").first()
    if pack is None or selectors.is_conflicted(invitation.user, case):
        return
    count = selectors.accepted_forms(case).count()
    _send_pack(pack, invitation.user, url=reverse("agencychecks:pack", args=[case.pk]), count=count)
    case_record_event(case=case, kind="agency_pack_distributed", actor=None,
                      summary=f"Agency check form pack sent to {invitation.user.full_name}, seated for "
                              f"{invitation.substitute_for.full_name}")


# --- the glossary --------------------------------------------------------------------------------------------
@transaction.atomic
def glossary_term_save(*, form, actor) -> GlossaryTerm:
    term = form.save(commit=False)
    term.term = term.term.strip().upper()
    term._history_user = actor
    term.save()
    return term


@transaction.atomic
def glossary_term_delete(*, term: GlossaryTerm, actor) -> None:
    term._history_user = actor
    term.delete()


@transaction.atomic
def pack_render_request(*, case: Case, fingerprint: str) -> PackRender:
    """Ask for the pack PDF of ``case`` as its forms are now (``fingerprint``): the ``render_pack`` task is queued
    once per version, however many people ask at once (the unique (case, fingerprint) row decides), and again only
    when a request has waited ``PACK_RENDER_RETRY_AFTER`` without a PDF or the stored file is missing."""
    now = timezone.now()
    render, created = PackRender.objects.get_or_create(case=case, fingerprint=fingerprint)
    if not created and render.rendered_at is None and render.requested_at < now - PACK_RENDER_RETRY_AFTER:
        created = bool(PackRender.objects.filter(pk=render.pk, rendered_at__isnull=True,
                                                 requested_at=render.requested_at).update(requested_at=now))
    elif not created and render.rendered_at is not None and not default_storage.exists(render.file.name):
        # Rendered, but the file is gone (uploads restored from before it was made): render it again.
        created = bool(PackRender.objects.filter(pk=render.pk, rendered_at=render.rendered_at)
                       .update(rendered_at=None, file="", requested_at=now))
    if created:
        transaction.on_commit(lambda: render_pack.delay(str(render.pk)))
    return render
