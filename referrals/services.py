"""Writes on cases. Every stage change goes through ``case_transition``."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role, StatutoryPartner
from rapidreview.accounts.selectors import agency_leads, users_with_role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.workdays import add_working_days

from .models import (
    AssuranceRequest,
    Case,
    CaseEvent,
    HouseholdMember,
    LetterSentBy,
    ReferenceCounter,
    Referral,
    ReferrerLetter,
    SinNotification,
    Source,
    Stage,
    ThresholdDecision,
    ThresholdOutcome,
    YesNoUnknown,
)
from .selectors import possible_duplicates


def case_record_event(*, case: Case, kind: str, summary: str, actor=None, note: str = "",
                      from_stage: str = "", to_stage: str = "") -> CaseEvent:
    """Add a line to the case's timeline."""
    return CaseEvent.objects.create(case=case, kind=kind, summary=summary, actor=actor, note=note,
                                    from_stage=from_stage, to_stage=to_stage)


@transaction.atomic
def case_transition(*, case: Case, to_stage: str, allowed_from: tuple[str, ...], actor=None,
                    summary: str = "", note: str = "") -> Case:
    """Move ``case`` to ``to_stage`` if it is in one of ``allowed_from``; lock, write, and record the event."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage not in allowed_from:
        raise DomainError(
            f"This cannot be done while the case is at “{locked.get_stage_display()}”."
        )
    old = locked.stage
    locked.stage = to_stage
    if to_stage == Stage.CLOSED:
        locked.closed_at = timezone.now()
    locked._history_user = actor
    locked.save(update_fields=["stage", "closed_at", "updated_at"])
    case_record_event(case=locked, kind="stage", actor=actor, from_stage=old, to_stage=to_stage, note=note,
                      summary=summary or f"Moved to {Stage(to_stage).label}")
    case.stage, case.closed_at = locked.stage, locked.closed_at
    return locked


# --- Intake ---------------------------------------------------------------------------------------------------

def case_next_reference(year: int) -> str:
    """The next reference for ``year``, e.g. RR-2026-0007. Must run inside a transaction: the counter is locked."""
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another request created the row first; it exists now
        pass
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"RR-{year}-{counter.last:04d}"


CASE_FIELDS = ("child_first_name", "child_last_name", "child_dob", "harm", "incident_date", "la_aware_on")


@transaction.atomic
def referral_submit(*, source: str, data: dict, household: list[dict] = (), agencies=(), actor=None,
                    received_on: datetime.date | None = None) -> Case:
    """Receive a referral: create the case and its referral, start the SIN-decision clock, tell the business unit
    and the rapid review chair, and acknowledge a public referrer who gave an e-mail address.

    ``data`` holds the Case fields in ``CASE_FIELDS`` and any ``Referral`` fields. ``actor`` is the signed-in
    person who submitted it (None for a public referral).
    """
    if source not in Source.values:
        raise DomainError("Choose who is making the referral.")
    if not (data.get("child_first_name") or "").strip():
        raise DomainError("Enter the child's first name.")
    received_on = received_on or timezone.localdate()
    incident, aware = data.get("incident_date"), data.get("la_aware_on")
    if incident and incident > received_on:
        raise DomainError("The date of the incident must be today or in the past.")
    if incident and aware and aware < incident:
        raise DomainError("The date the local authority became aware must be on or after the incident.")
    if source == Source.CDOP_JAR and not data.get("cdop_discussed_on"):
        raise DomainError("Enter the date the case was discussed at the child death overview panel or joint "
                          "agency response meeting.")

    case_values = {f: data.get(f) for f in CASE_FIELDS}
    case_values = {k: (v if v is not None else "") if k in ("child_last_name", "harm") else v
                   for k, v in case_values.items()}
    case = Case(reference=case_next_reference(received_on.year), source=source, **case_values)
    case._history_user = actor
    case.save()
    if agencies:
        case.involved_agencies.set(agencies)

    referral_values = {f.name: data[f.name] for f in Referral._meta.concrete_fields
                       if f.name in data and f.name not in {"id", "case", "created_at", "updated_at"}}
    referral = Referral(case=case, received_on=received_on, submitted_by=actor, **referral_values)
    if source == Source.CDOP_JAR:
        allowed = Partnership.load().cdop_referral_days
        referral.is_late = (received_on - referral.cdop_discussed_on).days > allowed
    duplicate = possible_duplicates(first_name=case.child_first_name, last_name=case.child_last_name,
                                    dob=case.child_dob, exclude=case).order_by("created_at").first()
    referral.possible_duplicate_of = duplicate
    referral.save()
    HouseholdMember.objects.bulk_create(
        [HouseholdMember(referral=referral, **{k: member.get(k) or "" for k in ("name", "relationship", "age",
                                                                                  "notes")})
         for member in household if member.get("name")])

    how = Source(source).label.lower()
    if referral.entered_on_behalf:
        summary = f"Referral received ({how}), entered by the business unit"
    else:
        summary = f"Referral received ({how})"
    case_record_event(case=case, kind="received", summary=summary, actor=actor,
                      note="Referred late: more than the allowed days after the discussion." if referral.is_late
                      else "")
    clock_start(kind=ClockKind.SIN_DECISION, subject=case, start=case.la_aware_on or received_on, case_id=case.pk)

    recipients = {u.pk: u for u in users_with_role(Role.BUSINESS_UNIT)}
    recipients.update({u.pk: u for u in users_with_role(Role.RR_CHAIR)})
    for user in recipients.values():
        notify(to=user, subject=f"New referral {case.reference}", template="referrals/email/referral_received",
               context={"case": case, "source": Source(source).label, "late": referral.is_late},
               kind="referrals.received", key=f"referral-received:{case.pk}:{user.pk}", related=case)
    if source == Source.PUBLIC and referral.referrer_email:
        notify(to=referral.referrer_email, subject=f"We have received your referral {case.reference}",
               template="referrals/email/public_acknowledgement", context={"reference": case.reference},
               kind="referrals.public_ack", key=f"referral-ack:{case.pk}", related=case)
    return case


# --- Threshold ------------------------------------------------------------------------------------------------

def _require_role(actor, *roles, message="You do not have permission to do this."):
    if actor is None or not actor.has_role(*roles):
        raise DomainError(message)


@transaction.atomic
def case_send_to_threshold(*, case: Case, actor, note: str = "") -> Case:
    """The business unit sends the referral to the three-way threshold discussion."""
    _require_role(actor, Role.BUSINESS_UNIT)
    case = case_transition(case=case, to_stage=Stage.THRESHOLD, allowed_from=(Stage.RECEIVED,), actor=actor,
                           summary="Sent for the threshold discussion", note=note)
    for user in users_with_role(Role.THRESHOLD):
        notify(to=user, subject=f"Threshold discussion needed for {case.reference}",
               template="referrals/email/threshold_needed", context={"case": case},
               kind="referrals.threshold_needed", key=f"threshold-needed:{case.pk}:{user.pk}", related=case)
    return case


def threshold_partner(user) -> set[str]:
    """The statutory partners ``user`` speaks for as a threshold decision maker today."""
    return {a.statutory_partner for a in user.active_roles if a.role == Role.THRESHOLD}


@transaction.atomic
def referral_record_threshold(*, case: Case, actor, discussed_on: datetime.date, la_participant,
                              health_participant=None, police_participant=None, absence_reason: str = "",
                              outcome: str, rationale: str, decision_maker=None) -> ThresholdDecision:
    """Record the three-way discussion. "Not met" moves the case to ``not_met``; "met" leaves it at threshold
    until the Serious Incident Notification is recorded. The decision maker is the local-authority participant."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.THRESHOLD)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != Stage.THRESHOLD:
        raise DomainError("The threshold discussion can be recorded only once the case has been sent for it.")
    if ThresholdDecision.objects.filter(case=locked).exists():
        raise DomainError("The threshold discussion has already been recorded for this case.")
    if discussed_on > timezone.localdate():
        raise DomainError("The date of the discussion must be today or in the past.")
    if outcome not in ThresholdOutcome.values:
        raise DomainError("Choose whether the threshold was met.")
    if not (rationale or "").strip():
        raise DomainError("Enter the rationale for the decision.")
    decision_maker = decision_maker or la_participant
    for person, partner, label in ((la_participant, StatutoryPartner.LOCAL_AUTHORITY, "local authority"),
                                   (health_participant, StatutoryPartner.HEALTH, "health"),
                                   (police_participant, StatutoryPartner.POLICE, "police")):
        if person is not None and partner not in threshold_partner(person):
            raise DomainError(f"{person} is not a threshold decision maker for {label}.")
    if la_participant is None:
        raise DomainError("Choose who took part for the local authority.")
    if decision_maker != la_participant:
        raise DomainError("The decision maker must be the local authority's participant.")
    if (health_participant is None or police_participant is None) and not (absence_reason or "").strip():
        raise DomainError("Explain why health or police did not take part.")

    decision = ThresholdDecision.objects.create(
        case=locked, discussed_on=discussed_on, la_participant=la_participant,
        health_participant=health_participant, police_participant=police_participant,
        absence_reason=absence_reason.strip(), outcome=outcome, rationale=rationale.strip(),
        decision_maker=decision_maker, recorded_by=actor)
    if outcome == ThresholdOutcome.NOT_MET:
        # The decision not to notify was made: stop chasing it. Anything else still running stops at closure.
        clock_meet(subject=locked, kind=ClockKind.SIN_DECISION)
        case_transition(case=case, to_stage=Stage.NOT_MET, allowed_from=(Stage.THRESHOLD,), actor=actor,
                        summary="Threshold discussion: not met", note=rationale)
    else:
        case_record_event(case=locked, kind="threshold_met", actor=actor, note=rationale,
                          summary="Threshold discussion: Serious Incident Notification threshold met")
    return decision


# --- Serious Incident Notification ------------------------------------------------------------------------------

def sin_due_on(case: Case) -> datetime.date:
    """The last day for notifying on time: N working days after the local authority became aware."""
    referral = Referral.objects.filter(case=case).only("received_on").first()
    start = case.la_aware_on or (referral.received_on if referral else timezone.localdate(case.created_at))
    return add_working_days(start, Partnership.load().sin_decision_working_days)


@transaction.atomic
def case_record_sin(*, case: Case, actor, notified_on: datetime.date, notification_reference: str,
                    ofsted_notified: str = "", secretary_of_state_notified: str = "",
                    late_reason: str = "") -> SinNotification:
    """Record the Serious Incident Notification: day 0 of the rapid review. Starts the panel-meeting and
    National Panel clocks and moves the case to the rapid review stage."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = Case.objects.select_for_update(of=("self",)).select_related("referral").get(pk=case.pk)
    decision = ThresholdDecision.objects.filter(case=locked).first()
    if locked.stage != Stage.THRESHOLD or decision is None or decision.outcome != ThresholdOutcome.MET:
        raise DomainError("A Serious Incident Notification can be recorded only after the threshold discussion "
                          "found the threshold met.")
    if notified_on > timezone.localdate():
        raise DomainError("The date of the notification must be today or in the past.")
    if locked.incident_date and notified_on < locked.incident_date:
        raise DomainError("The date of the notification must be on or after the incident.")
    if not (notification_reference or "").strip():
        raise DomainError("Enter the notification reference.")
    if locked.referral.looked_after == YesNoUnknown.YES and not (ofsted_notified and secretary_of_state_notified):
        raise DomainError("For a looked-after child, say whether Ofsted and the Secretary of State were notified.")
    late = notified_on > sin_due_on(locked)
    if late and not (late_reason or "").strip():
        raise DomainError("The notification was later than the allowed working days: give the reason.")
    sin = SinNotification.objects.create(
        case=locked, notified_on=notified_on, notification_reference=notification_reference.strip(),
        ofsted_notified=ofsted_notified, secretary_of_state_notified=secretary_of_state_notified,
        was_late=late, late_reason=(late_reason or "").strip() if late else "", recorded_by=actor)
    locked.sin_notified_on = notified_on
    locked._history_user = actor
    locked.save(update_fields=["sin_notified_on", "updated_at"])
    clock_meet(subject=locked, kind=ClockKind.SIN_DECISION)
    clock_start(kind=ClockKind.PANEL_MEETING, subject=locked, start=notified_on, case_id=locked.pk)
    clock_start(kind=ClockKind.NATIONAL_PANEL, subject=locked, start=notified_on, case_id=locked.pk)
    case_transition(case=case, to_stage=Stage.RAPID_REVIEW, allowed_from=(Stage.THRESHOLD,), actor=actor,
                    summary=f"Serious Incident Notification made ({sin.notification_reference})",
                    note=sin.late_reason)
    case.sin_notified_on = notified_on
    return sin


# --- Not met: the letter, assurance, themes, closing -------------------------------------------------------------

@transaction.atomic
def letter_save(*, case: Case, actor, next_steps: str) -> ReferrerLetter:
    """Generate the "not met" letter as a PDF and store it on the case (replacing an unsent draft)."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != Stage.NOT_MET:
        raise DomainError("A letter to the referrer is written only when the threshold was not met.")
    if not (next_steps or "").strip():
        raise DomainError("Enter the next steps for the referrer.")
    existing = ReferrerLetter.objects.filter(case=locked).first()
    if existing and existing.sent_on:
        raise DomainError("The letter has already been sent.")
    pdf = render_letter_pdf(case=locked, next_steps=next_steps.strip())
    letter = existing or ReferrerLetter(case=locked)
    letter.next_steps, letter.pdf, letter.generated_by = next_steps.strip(), pdf, actor
    letter.save()
    case_record_event(case=locked, kind="letter", actor=actor, summary="Letter to the referrer prepared")
    return letter


def letter_can_be_emailed(case: Case) -> bool:
    """Only a professional referrer's work address gets the letter by e-mail; it may name the child."""
    referral = case.referral
    return case.source != Source.PUBLIC and bool(referral.referrer_email)


@transaction.atomic
def letter_send(*, case: Case, actor, sent_by: str = LetterSentBy.EMAIL, sent_on: datetime.date | None = None,
                sent_to: str = "") -> ReferrerLetter:
    """Send the stored letter: by e-mail to a professional referrer, or record that the business unit sent it."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = Case.objects.select_for_update(of=("self",)).select_related("referral").get(pk=case.pk)
    if locked.stage != Stage.NOT_MET:
        raise DomainError("A letter to the referrer is sent only when the threshold was not met.")
    letter = ReferrerLetter.objects.select_for_update().filter(case=locked).first()
    if letter is None:
        raise DomainError("Prepare the letter before sending it.")
    if letter.sent_on:
        raise DomainError("The letter has already been sent.")
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise DomainError("The date it was sent must be today or in the past.")
    if sent_by == LetterSentBy.EMAIL:
        if not letter_can_be_emailed(locked):
            raise DomainError("This referrer has no work e-mail address: send the letter yourself and record it.")
        sent_to = locked.referral.referrer_email
        notify(to=sent_to, subject=f"Your referral {locked.reference}: outcome",
               template="referrals/email/letter", context={"reference": locked.reference},
               kind="referrals.letter", key=f"referral-letter:{locked.pk}", related=locked,
               attachments=[(f"{locked.reference}-letter.pdf", bytes(letter.pdf), "application/pdf")])
    elif sent_by not in LetterSentBy.values:
        raise DomainError("Choose how the letter was sent.")
    elif not (sent_to or "").strip():
        raise DomainError("Enter where the letter was sent.")
    letter.sent_on, letter.sent_by, letter.sent_to, letter.recorded_by = sent_on, sent_by, sent_to.strip(), actor
    letter.save(update_fields=["sent_on", "sent_by", "sent_to", "recorded_by", "updated_at"])
    case_record_event(case=locked, kind="letter_sent", actor=actor,
                      summary=f"Letter to the referrer sent ({LetterSentBy(sent_by).label.lower()})")
    return letter


@transaction.atomic
def assurance_request_create(*, case: Case, actor, agency, request: str, due_on: datetime.date) -> AssuranceRequest:
    """Ask an agency for assurance after a "not met" decision; a clock chases it until the answer is recorded."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != Stage.NOT_MET:
        raise DomainError("Assurance is requested only when the threshold was not met.")
    if due_on <= timezone.localdate():
        raise DomainError("The date the answer is due must be in the future.")
    if not (request or "").strip():
        raise DomainError("Enter what assurance is needed.")
    item = AssuranceRequest.objects.create(case=locked, agency=agency, request=request.strip(), due_on=due_on,
                                           requested_by=actor)
    clock_start(kind=ClockKind.ASSURANCE_REQUEST, subject=item, start=timezone.localdate(), due=due_on,
                case_id=locked.pk, label=agency.name)
    for lead in agency_leads(agency):
        notify(to=lead, subject=f"Assurance requested on {locked.reference}",
               template="referrals/email/assurance_request", context={"case": locked, "item": item},
               kind="referrals.assurance", key=f"assurance:{item.pk}:{lead.pk}", related=item)
    case_record_event(case=locked, kind="assurance", actor=actor, summary=f"Assurance requested from {agency}")
    return item


@transaction.atomic
def assurance_request_answer(*, item: AssuranceRequest, actor, response: str,
                             responded_on: datetime.date | None = None) -> AssuranceRequest:
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = AssuranceRequest.objects.select_for_update(of=("self",)).select_related("case", "agency").get(pk=item.pk)
    if locked.case.stage != Stage.NOT_MET:
        raise DomainError("This case is closed.")
    if locked.responded_on:
        raise DomainError("The agency's response has already been recorded.")
    if not (response or "").strip():
        raise DomainError("Enter the agency's response.")
    responded_on = responded_on or timezone.localdate()
    if responded_on > timezone.localdate():
        raise DomainError("The date of the response must be today or in the past.")
    locked.response, locked.responded_on, locked.response_recorded_by = response.strip(), responded_on, actor
    locked.save(update_fields=["response", "responded_on", "response_recorded_by", "updated_at"])
    clock_meet(subject=locked, kind=ClockKind.ASSURANCE_REQUEST)
    case_record_event(case=locked.case, kind="assurance_answered", actor=actor,
                      summary=f"Assurance received from {locked.agency}")
    return locked


def sin_themes_available() -> bool:
    """Whether the themes app offers its SIN-stage themes log yet."""
    try:
        from themes.services import case_log_themes  # noqa: F401
    except ImportError:
        return False
    return True


@transaction.atomic
def case_close_not_met(*, case: Case, actor, themes=(), note: str = "") -> Case:
    """Close a "not met" case once the letter has gone and any assurance has come back. The case's themes go to
    the SIN-stage themes log; every clock still running on the case stops."""
    _require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage != Stage.NOT_MET:
        raise DomainError("Only a case whose threshold was not met can be closed here.")
    letter = ReferrerLetter.objects.filter(case=locked).first()
    if letter is None or not letter.sent_on:
        raise DomainError("Send the letter to the referrer before closing the case.")
    if locked.assurance_requests.filter(responded_on__isnull=True).exists():
        raise DomainError("Record the agency's response to every assurance request before closing the case.")
    if themes:
        from themes.services import case_log_themes

        case_log_themes(case=locked, themes=list(themes), log="sin", actor=actor)
    clock_cancel(subject=locked)
    for item in locked.assurance_requests.all():
        clock_cancel(subject=item)
    return case_transition(case=case, to_stage=Stage.CLOSED, allowed_from=(Stage.NOT_MET,), actor=actor,
                           summary="Case closed: threshold not met", note=note)


def render_letter_pdf(*, case: Case, next_steps: str) -> bytes:
    """The letter as PDF bytes, on the partnership's letterhead."""
    from weasyprint import HTML

    return HTML(string=render_letter_html(case=case, next_steps=next_steps)).write_pdf()


def render_letter_html(*, case: Case, next_steps: str, body_only: bool = False) -> str:
    """The letter as HTML: the whole document for the PDF, or only its body for the on-screen preview."""
    from django.template.loader import render_to_string

    referral = Referral.objects.select_related("referrer_agency").get(case=case)
    decision = ThresholdDecision.objects.filter(case=case).first()
    template = "referrals/letter_body.html" if body_only else "referrals/letter_pdf.html"
    return render_to_string(template, {
        "case": case, "referral": referral, "decision": decision, "next_steps": next_steps,
        "partnership": Partnership.load(), "today": timezone.localdate()})


DEFAULT_NEXT_STEPS = (
    "The partnership's threshold decision makers for the local authority, health and police have discussed your "
    "referral. They decided that it does not meet the threshold for a Serious Incident Notification to the "
    "National Child Safeguarding Practice Review Panel.\n\n"
    "If you are still concerned about how services worked together, please talk to your agency's safeguarding "
    "lead. You can contact the business unit at any time if you have new information."
)
