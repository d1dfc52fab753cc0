"""When the threshold was not met: the letter to the referrer, assurance requests to agencies, and closing."""

import datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import agency_leads, partnership_agencies, users_with_role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_cancel, clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from rapidreview.pdf import Marking, render_pdf
from themes.services import case_log_themes

from ..models import (
    AssuranceRequest,
    Case,
    LetterSentBy,
    Referral,
    ReferrerLetter,
    Source,
    Stage,
    ThresholdDecision,
    ThresholdOutcome,
)
from ..timeline import case_record_event
from .cases import case_transition
from .common import refuse_child_names, require_role


@transaction.atomic
def letter_save(*, case: Case, actor, next_steps: str) -> ReferrerLetter:
    """Generate the "not met" letter as a PDF and store it on the case (replacing an unsent draft)."""
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not letter_allowed(locked):
        raise DomainError("A letter to the referrer is written when the threshold was not met, or to a member of "
                          "the public after the threshold discussion.")
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
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update(of=("self",)).select_related("referral", "partnership").get(pk=case.pk)
    if not letter_allowed(locked):
        raise DomainError("A letter to the referrer is sent when the threshold was not met, or to a member of "
                          "the public after the threshold discussion.")
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
               partnership=locked.partnership, attachments=[(letter.filename, bytes(letter.pdf), "application/pdf")])
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
    """Ask an agency for assurance after a "not met" decision; a clock chases it until the answer is recorded.
    The agency must be in the leading partnership's arrangements: its safeguarding leads there are asked."""
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=case.pk)
    if locked.stage != Stage.NOT_MET:
        raise DomainError("Assurance is requested only when the threshold was not met.")
    if due_on <= timezone.localdate():
        raise DomainError("The date the answer is due must be in the future.")
    if not (request or "").strip():
        raise DomainError("Enter what assurance is needed.")
    if not partnership_agencies(locked.partnership).filter(pk=agency.pk).exists():
        raise DomainError(f"{agency} is not in the {locked.partnership.short_name}'s arrangements.")
    refuse_child_names(locked, request)
    item = AssuranceRequest.objects.create(case=locked, agency=agency, request=request.strip(), due_on=due_on,
                                           requested_by=actor)
    clock_start(kind=ClockKind.ASSURANCE_REQUEST, subject=item, start=timezone.localdate(), due=due_on,
                case_id=locked.pk, label=agency.name, partnership=locked.partnership)
    for lead in agency_leads(agency, partnership=locked.partnership):
        notify(to=lead, subject=f"Assurance requested on {locked.reference}",
               template="referrals/email/assurance_request", context={"case": locked, "item": item},
               kind="referrals.assurance", key=f"assurance:{item.pk}:{lead.pk}", related=item,
               partnership=locked.partnership)
    case_record_event(case=locked, kind="assurance", actor=actor, summary=f"Assurance requested from {agency}")
    return item


@transaction.atomic
def assurance_request_answer(*, item: AssuranceRequest, actor, response: str,
                             responded_on: datetime.date | None = None) -> AssuranceRequest:
    """Record the agency's answer: typed in by its safeguarding lead, or by the business unit for them."""
    locked = AssuranceRequest.objects.select_for_update(of=("self",)).select_related(
        "case", "case__partnership", "agency").get(pk=item.pk)
    partnership = locked.case.partnership
    runs = actor.has_role_in(partnership, Role.BUSINESS_UNIT, Role.RR_CHAIR)
    if not (runs or (actor.has_role_in(partnership, Role.AGENCY_LEAD) and actor.agency_id == locked.agency_id)):
        raise DomainError("Only the agency's safeguarding lead or the business unit can record the answer.")
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
    if not runs:
        for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
            notify(to=person, subject=f"Assurance received on {locked.case.reference}",
                   template="referrals/email/assurance_answered", context={"item": locked, "case": locked.case},
                   kind="referrals.assurance_answered", key=f"assurance-answered:{locked.pk}:{person.pk}",
                   related=locked, partnership=partnership)
    return locked


@transaction.atomic
def case_close_without_review(*, case: Case, actor, themes=(), note: str = "") -> Case:
    """Close a case that has no rapid review: one whose threshold was not met (once the letter has gone and any
    assurance has come back), or a death notified to the Secretary of State and Ofsted only. The case's themes go
    to the SIN-stage themes log; every clock still running on the case stops."""
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.stage not in (Stage.NOT_MET, Stage.NOTIFIED):
        raise DomainError("Only a case whose threshold was not met, or a death notified without a rapid review, "
                          "can be closed here.")
    if locked.stage == Stage.NOT_MET:
        letter = ReferrerLetter.objects.filter(case=locked).first()
        if letter is None or not letter.sent_on:
            raise DomainError("Send the letter to the referrer before closing the case.")
    if locked.assurance_requests.filter(responded_on__isnull=True).exists():
        raise DomainError("Record the agency's response to every assurance request before closing the case.")
    if any(theme.partnership_id != locked.partnership_id for theme in themes):
        raise DomainError("Choose themes from the partnership's own list.")
    if themes:
        case_log_themes(case=locked, themes=list(themes), log="sin", actor=actor)
    clock_cancel(subject=locked)
    for item in locked.assurance_requests.all():
        clock_cancel(subject=item)
    summary = "Case closed: threshold not met" if locked.stage == Stage.NOT_MET else \
        "Case closed: notified, no rapid review"
    return case_transition(case=case, to_stage=Stage.CLOSED, allowed_from=(Stage.NOT_MET, Stage.NOTIFIED),
                           actor=actor, summary=summary, note=note)


def render_letter_pdf(*, case: Case, next_steps: str) -> bytes:
    """The letter as PDF bytes, on the partnership's letterhead. It goes to one named person, so it is marked
    private rather than with a government classification (ADR 0009)."""
    return render_pdf("referrals/letter_pdf.html", _letter_context(case=case, next_steps=next_steps),
                      title=f"Letter about referral {case.reference}", marking=Marking.PRIVATE,
                      footer=f"Our reference: {case.reference}", partnership=case.partnership)


def render_letter_html(*, case: Case, next_steps: str) -> str:
    """The letter's body as HTML, for the on-screen preview (the PDF is ``render_letter_pdf``)."""
    return render_to_string("referrals/letter_body.html", _letter_context(case=case, next_steps=next_steps))


def _letter_context(*, case: Case, next_steps: str) -> dict:
    referral = Referral.objects.select_related("referrer_agency").get(case=case)
    decision = ThresholdDecision.objects.filter(case=case).first()
    return {"case": case, "referral": referral, "decision": decision, "next_steps": next_steps,
            "partnership": case.partnership, "today": timezone.localdate()}


# Default next steps, one per reader: the business unit edits them before the letter is saved. The reasons for the
# decision come from the threshold discussion's rationale and are printed above them in every letter.
NEXT_STEPS_PROFESSIONAL_NOT_MET = (
    "The decision makers did not find that the criteria for a Serious Incident Notification were met. This does "
    "not mean there is nothing to learn.\n\n"
    "If you are still concerned about how services worked together, please discuss it with your manager and your "
    "agency's safeguarding lead. The Rapid Review chair may ask your agency for assurance, or ask you to review "
    "the lessons learnt with the other agencies involved and feed them back to the business unit.\n\n"
    "Please contact the business unit if you have new information."
)
NEXT_STEPS_PUBLIC_NOT_MET = (
    "Thank you for telling us about your concerns. The decision makers did not find that the criteria for a "
    "Serious Incident Notification were met.\n\n"
    "If you are still worried about how services worked together, or you have new information, please contact "
    "the business unit and give your reference number. We will look at what you tell us.\n\n"
    "If you think a child is in danger now, call the police on 999. If you are worried about a child, you can "
    "contact the local authority's children's social care service at any time."
)
NEXT_STEPS_PUBLIC_MET = (
    "Thank you for telling us about your concerns. The local authority has notified the National Child "
    "Safeguarding Practice Review Panel, and the partnership is holding a rapid review: the agencies involved "
    "look together at what happened and what can be learnt, and the partnership decides whether a Child "
    "Safeguarding Practice Review is needed.\n\n"
    "We cannot share the details of the review with you. If a Child Safeguarding Practice Review is held, its "
    "report is published on the partnership's website and does not name the child.\n\n"
    "If you have new information, please contact the business unit and give your reference number."
)
DEFAULT_NEXT_STEPS = NEXT_STEPS_PROFESSIONAL_NOT_MET


def letter_allowed(case: Case) -> bool:
    """A letter goes to every referrer whose threshold was not met, and to a member of the public whose referral
    met it (the public done page promises to write with the decision)."""
    if case.stage == Stage.NOT_MET:
        return True
    decision = ThresholdDecision.objects.filter(case=case).only("outcome").first()
    return case.source == Source.PUBLIC and decision is not None and decision.outcome == ThresholdOutcome.MET


def letter_default_next_steps(case: Case) -> str:
    """The default text for this referrer: a professional, or a member of the public, and the decision."""
    if case.source != Source.PUBLIC:
        return NEXT_STEPS_PROFESSIONAL_NOT_MET
    return NEXT_STEPS_PUBLIC_NOT_MET if case.stage == Stage.NOT_MET else NEXT_STEPS_PUBLIC_MET
