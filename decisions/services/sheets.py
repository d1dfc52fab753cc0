"""The decision sheet: drafting, versions, signatures, disputes and escalation."""

from django.db import transaction
from django.utils import timezone

from agencychecks.selectors import accepted_forms
from rapidreview.accounts.models import Role, StatutoryPartner
from rapidreview.accounts.selectors import executive_chair, executive_for_partner, users_with_role
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify
from referrals.models import Case, Stage
from referrals.services import case_record_event

from ..models import (
    SECTION_FIELDS,
    DecisionSheet,
    DecisionSheetVersion,
    Dispute,
    DisputeStatus,
    MeetingRecord,
    Recommendation,
    SheetStatus,
    Signature,
    SignatureOutcome,
    section_anchor,
)
from ..models.criteria import REG3_FIELDS, REG11_FIELDS, REGULATION_3, REGULATION_11
from .meeting import tally
from .oversight import oversight_tell

PARTNERS = (StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE)
# What each section needs before the sheet can be sent, as the error summary says it.
REQUIRED_TO_SEND = {"case_summary": "Write the case summary",
                    "child_in_need": "Say whether the child was a child in need",
                    "agency_involvement": "Write the agency involvement and key practice episodes",
                    "analysis": "Write the analysis",
                    "siblings_safety": "Say what has been done for the safety of siblings and other children",
                    "learning": "Write the learning identified",
                    **{f"reg11_{k}": f"Answer regulation 11 ({k})" for k in REGULATION_11},
                    "criteria_met": "Say whether the criteria for a local review are met",
                    **{f"reg3_{k}": f"Answer regulation 3 ({k})" for k in REGULATION_3},
                    "national_issues": "Say whether the national review criteria apply",
                    "recommendation": "Choose the recommended next step",
                    "rationale": "Give the rationale for the recommendation",
                    "family_involvement": "Say how the family has been or will be involved"}
# What a recommended practice review needs as well.
REQUIRED_FOR_CSPR = {"cspr_methodology": "Choose the practice review's methodology",
                     "cspr_scope": "Write the practice review's scope",
                     "cspr_reviewer": "Name the reviewer, or say how one will be found",
                     "cspr_timescale": "Give the practice review's timescale"}


class SheetNotReady(DomainError):
    """The sheet cannot be sent for signature yet; ``problems`` are (message, anchor on the sheet page) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(" ".join(f"{message}." for message, _ in problems))


def sheet_prefill(case: Case) -> dict:
    """Sections pre-filled from the meeting record and the accepted agency check forms."""
    meeting = MeetingRecord.objects.filter(case=case).prefetch_related("presentations__agency").first()
    forms = list(accepted_forms(case))
    involvement = []
    notes = {p.agency_id: p.notes for p in meeting.presentations.all()} if meeting else {}
    for form in forms:
        parts = [form.involvement_summary, form.analysis, notes.pop(form.agency_id, "")]
        text = "\n".join(p for p in parts if p)
        involvement.append(f"{form.agency.name}: {text}" if text else f"{form.agency.name}: no involvement recorded.")
    if meeting:
        for presentation in meeting.presentations.all():
            if presentation.agency_id in notes and presentation.notes:
                involvement.append(f"{presentation.agency.name}: {presentation.notes}")
    actions = []
    if meeting:
        actions = [f"{a.agency.name}: {a.description} (by {a.due_on:%-d %B %Y})"
                   for a in meeting.immediate_actions.select_related("agency")]
    actions += [f"{f.agency.name}: {f.immediate_actions}" for f in forms if f.immediate_actions]
    learning = [meeting.areas_for_learning] if meeting and meeting.areas_for_learning else []
    learning += [f"{f.agency.name}: {f.agency_learning}" for f in forms if f.agency_learning]
    recommendation = ""
    if meeting and meeting.vote_closed:
        counts = tally(meeting)
        recommendation = Recommendation.CSPR if counts["yes"] > counts["no"] else ""
    return {
        "case_summary": meeting.chair_overview if meeting else "",
        "agency_involvement": "\n\n".join(involvement),
        "analysis": "",
        "immediate_actions": "\n".join(actions),
        "learning": "\n\n".join(learning),
        "criteria_met": meeting.cspr_criteria_met if meeting else "",
        "criteria_reasons": meeting.cspr_criteria_reasons if meeting else "",
        "national_issues": meeting.national_issues if meeting else "",
        "national_issues_detail": meeting.national_issues_detail if meeting else "",
        "recommendation": recommendation,
        "rationale": "",
        # The panel answered the criteria of regulations 11 and 3 one by one: the sheet starts from its answers.
        **({f: getattr(meeting, f) for f in REG11_FIELDS + REG3_FIELDS} if meeting else {}),
    }


def _lock(sheet: DecisionSheet) -> DecisionSheet:
    return DecisionSheet.objects.select_for_update(of=("self",)).select_related("case__partnership",
                                                                           "current").get(pk=sheet.pk)


def _new_version(sheet: DecisionSheet, actor, content: dict) -> DecisionSheetVersion:
    number = (sheet.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DecisionSheetVersion.objects.create(sheet=sheet, number=number, created_by=actor,
                                                  **{f: content.get(f, "") for f in SECTION_FIELDS})
    sheet.current = version
    return version


def _content(version: DecisionSheetVersion) -> dict:
    return {f: getattr(version, f) for f in SECTION_FIELDS}


@transaction.atomic
def sheet_start(*, case: Case, actor) -> DecisionSheet:
    """Create the draft decision sheet, version 1 pre-filled from the meeting record."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.stage != Stage.DECISION:
        raise DomainError("The decision sheet can be drafted once the panel's vote has closed.")
    if DecisionSheet.objects.filter(case=case).exists():
        raise DomainError("This case already has a decision sheet.")
    sheet = DecisionSheet.objects.create(case=case)
    _new_version(sheet, actor, sheet_prefill(case))
    sheet._history_user = actor
    sheet.save()
    case_record_event(case=case, kind="decision_sheet", actor=actor, summary="Decision sheet drafted")
    return sheet


@transaction.atomic
def sheet_edit(*, sheet: DecisionSheet, actor, content: dict) -> DecisionSheetVersion:
    """Save the draft as a new version. A sheet out for signature cannot be edited until it is withdrawn."""
    sheet = _lock(sheet)
    if sheet.status != SheetStatus.DRAFT:
        raise DomainError(f"The decision sheet is “{sheet.get_status_display().lower()}”, so it cannot be edited. "
                          "Withdraw it first." if sheet.status == SheetStatus.OUT_FOR_SIGNATURE else
                          f"The decision sheet is “{sheet.get_status_display().lower()}”, so it cannot be edited.")
    if sheet.case.stage != Stage.DECISION:
        raise DomainError("The decision sheet can only be edited while the case is at the decision stage.")
    version = _new_version(sheet, actor, content)
    sheet._history_user = actor
    sheet.save()
    return version


@transaction.atomic
def sheet_send(*, sheet: DecisionSheet, actor) -> DecisionSheetVersion:
    """Freeze the current version and ask each statutory partner's executive to sign it."""
    sheet = _lock(sheet)
    if sheet.status != SheetStatus.DRAFT:
        raise DomainError("Only a draft decision sheet can be sent for signature.")
    if sheet.case.stage != Stage.DECISION:
        raise DomainError("The decision sheet can only be sent while the case is at the decision stage.")
    version = sheet.current
    required = REQUIRED_TO_SEND | (REQUIRED_FOR_CSPR if version.recommendation == Recommendation.CSPR else {})
    problems = [(message, section_anchor(field)) for field, message in required.items()
                if not getattr(version, field)]
    partnership = sheet.case.partnership
    problems += [(f"Ask an administrator to add an executive member of {partnership.name} who signs for "
                  f"{StatutoryPartner(partner).label.lower()}", f"signature-{partner}")
                 for partner in PARTNERS if not executive_for_partner(partner, partnership=partnership).exists()]
    if problems:
        raise SheetNotReady(problems)
    version.frozen_at = timezone.now()
    version.save(update_fields=["frozen_at", "updated_at"])
    sheet.status = SheetStatus.OUT_FOR_SIGNATURE
    sheet._history_user = actor
    sheet.save()
    case_record_event(case=sheet.case, kind="decision_sheet", actor=actor,
                      summary=f"Decision sheet version {version.number} sent to the Executive for signature")
    # Sign-off stays with the leading partnership: its executives sign, a partnership taking part does not.
    for partner in PARTNERS:
        for executive in executive_for_partner(partner, partnership=partnership):
            notify(to=executive, subject=f"Decision sheet to sign: {sheet.case.reference}",
                   template="decisions/email/sign_request", kind="decisions.sign_request",
                   context={"case": sheet.case, "version": version, "url": sheet.get_absolute_url()},
                   key=f"decisions.sign_request:{version.pk}:{executive.pk}", related=sheet,
                   partnership=partnership)
    return version


@transaction.atomic
def sheet_withdraw(*, sheet: DecisionSheet, actor, reason: str = "") -> DecisionSheetVersion:
    """Take a sheet back from signature so it can be edited; signatures already given stay with the old version."""
    sheet = _lock(sheet)
    if sheet.status != SheetStatus.OUT_FOR_SIGNATURE:
        raise DomainError("Only a sheet that is out for signature can be withdrawn.")
    old = sheet.current
    version = _new_version(sheet, actor, _content(old))
    sheet.status = SheetStatus.DRAFT
    sheet._history_user = actor
    sheet.save()
    case_record_event(case=sheet.case, kind="decision_sheet", actor=actor, note=reason,
                      summary=f"Decision sheet version {old.number} withdrawn from signature")
    return version


def executive_partners(user) -> list[str]:
    """The statutory partners ``user`` signs for today in the partnership they act in."""
    return [r.statutory_partner for r in user.active_roles
            if r.role == Role.EXECUTIVE and r.statutory_partner in PARTNERS]


@transaction.atomic
def signature_record(*, sheet: DecisionSheet, signer, partner: str, outcome: str, reasons: str = "") -> Signature:
    """An executive signs (agrees to) or disputes the version out for signature, for the partner they sign for.

    Only an executive of the partnership leading the case signs, and only while acting in it: a partnership taking
    part in a joint review does not sign (ADR 0015).
    """
    sheet = _lock(sheet)
    if sheet.status != SheetStatus.OUT_FOR_SIGNATURE:
        raise DomainError("This decision sheet is not out for signature.")
    partnership = sheet.case.partnership
    if partner not in PARTNERS or not executive_for_partner(partner, partnership=partnership).filter(
            pk=signer.pk).exists():
        raise DomainError(f"You do not sign for this statutory partner in {partnership.name}, which leads this case.")
    acting = signer.partnership
    if acting is not None and acting.pk != partnership.pk:
        raise DomainError(f"You are working in {acting.name}. Switch to {partnership.name}, which leads this case, "
                          "to sign.")
    version = sheet.current
    if Signature.objects.filter(version=version, partner=partner).exists():
        raise DomainError(f"{StatutoryPartner(partner).label} has already answered on version {version.number}.")
    if outcome not in SignatureOutcome.values:
        raise DomainError("Choose whether you agree and sign, or dispute the decision.")
    if outcome == SignatureOutcome.DISPUTE and not reasons.strip():
        raise DomainError("Give your reasons for disputing the decision.")
    signature = Signature.objects.create(sheet=sheet, version=version, partner=partner, signer=signer,
                                         outcome=outcome, reasons=reasons, signed_at=timezone.now())
    label = StatutoryPartner(partner).label.lower()
    if outcome == SignatureOutcome.DISPUTE:
        Dispute.objects.create(sheet=sheet, signature=signature)
        sheet.status = SheetStatus.DISPUTED
        sheet._history_user = signer
        sheet.save()
        case_record_event(case=sheet.case, kind="decision_sheet", actor=signer, note=reasons,
                          summary=f"Decision sheet version {version.number} disputed for {label}")
        people = (list(users_with_role(Role.BUSINESS_UNIT, partnership=partnership))
                  + list(users_with_role(Role.RR_CHAIR, partnership=partnership)))
        for person in {p.pk: p for p in people}.values():
            notify(to=person, subject=f"Decision sheet disputed: {sheet.case.reference}",
                   template="decisions/email/disputed", kind="decisions.disputed",
                   context={"case": sheet.case, "version": version, "url": sheet.get_absolute_url()},
                   key=f"decisions.disputed:{signature.pk}:{person.pk}", related=sheet, partnership=partnership)
        return signature
    case_record_event(case=sheet.case, kind="decision_sheet", actor=signer,
                      summary=f"Decision sheet version {version.number} signed for {label}")
    agreed = set(Signature.objects.filter(version=version, outcome=SignatureOutcome.AGREE)
                 .values_list("partner", flat=True))
    if agreed.issuperset(PARTNERS):
        sheet.status = SheetStatus.SIGNED
        sheet.signed_at = timezone.now()
        sheet._history_user = signer
        sheet.save()
        case_record_event(case=sheet.case, kind="decision_sheet", actor=signer,
                          summary="Decision sheet signed by all three statutory partners; ready to send")
        for person in users_with_role(Role.BUSINESS_UNIT, partnership=partnership):
            notify(to=person, subject=f"Decision sheet signed: {sheet.case.reference}",
                   template="decisions/email/signed", kind="decisions.signed",
                   context={"case": sheet.case, "version": version, "url": sheet.get_absolute_url()},
                   key=f"decisions.signed:{version.pk}:{person.pk}", related=sheet, partnership=partnership)
        oversight_tell(case=sheet.case, event="sheet_signed", related=sheet, key=str(version.pk),
                       detail=f"All three safeguarding partners signed version {version.number}. The recommended "
                              f"next step: {version.get_recommendation_display() or 'not stated'}.")
    return signature


def _lock_dispute(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_for_update(of=("self",)).select_related("sheet__case__partnership").get(
        pk=dispute.pk)


@transaction.atomic
def dispute_record_meeting(*, dispute: Dispute, actor, meeting_on, notes: str) -> Dispute:
    """Record the meeting with the rapid review chair about a dispute."""
    dispute = _lock_dispute(dispute)
    if dispute.status == DisputeStatus.RESOLVED:
        raise DomainError("This dispute has been resolved.")
    if meeting_on > timezone.localdate():
        raise DomainError("The date of the meeting must be today or in the past.")
    dispute.meeting_on = meeting_on
    dispute.meeting_notes = notes
    dispute.meeting_recorded_by = actor
    if dispute.status == DisputeStatus.OPEN:
        dispute.status = DisputeStatus.MEETING_HELD
    dispute._history_user = actor
    dispute.save()
    case_record_event(case=dispute.sheet.case, kind="decision_sheet", actor=actor,
                      summary="Meeting with the rapid review chair about the disputed decision recorded")
    return dispute


@transaction.atomic
def dispute_escalate(*, dispute: Dispute, actor, reason: str) -> Dispute:
    """Escalate a dispute to the chair of the Executive."""
    dispute = _lock_dispute(dispute)
    if dispute.status not in (DisputeStatus.OPEN, DisputeStatus.MEETING_HELD):
        raise DomainError("Only an open dispute can be escalated.")
    partnership = dispute.sheet.case.partnership
    chair = executive_chair(partnership=partnership)
    if chair is None:
        raise DomainError("No one is recorded as the chair of the Executive. Ask an administrator to set one.")
    dispute.status = DisputeStatus.ESCALATED
    dispute.escalated_at = timezone.now()
    dispute.escalated_by = actor
    dispute.escalation_reason = reason
    dispute._history_user = actor
    dispute.save()
    case_record_event(case=dispute.sheet.case, kind="decision_sheet", actor=actor, note=reason,
                      summary="Disputed decision escalated to the chair of the Executive")
    notify(to=chair, subject=f"Escalation: disputed decision sheet {dispute.sheet.case.reference}",
           template="decisions/email/escalated", kind="decisions.escalated",
           context={"case": dispute.sheet.case, "url": dispute.sheet.get_absolute_url()},
           key=f"decisions.escalated:{dispute.pk}", related=dispute.sheet, partnership=partnership)
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, actor, resolution: str) -> Dispute:
    """The chair of the Executive records how an escalated dispute is resolved."""
    dispute = _lock_dispute(dispute)
    partnership = dispute.sheet.case.partnership
    chair = executive_chair(partnership=partnership)
    if chair is None or chair.pk != actor.pk:
        raise DomainError(f"Only the chair of the Executive of {partnership.name}, which leads this case, can "
                          "resolve an escalation.")
    if dispute.status != DisputeStatus.ESCALATED:
        raise DomainError("Only an escalated dispute can be resolved here.")
    if not resolution.strip():
        raise DomainError("Describe the resolution.")
    dispute.resolution = resolution
    dispute.resolved_at = timezone.now()
    dispute.resolved_by = actor
    dispute.status = DisputeStatus.RESOLVED
    dispute._history_user = actor
    dispute.save()
    case_record_event(case=dispute.sheet.case, kind="decision_sheet", actor=actor, note=resolution,
                      summary="The chair of the Executive resolved the escalated dispute")
    return dispute


@transaction.atomic
def sheet_revise(*, sheet: DecisionSheet, actor) -> DecisionSheetVersion:
    """After a dispute is discussed with the chair (or resolved), open a revised version for editing and re-signing."""
    sheet = _lock(sheet)
    if sheet.status != SheetStatus.DISPUTED:
        raise DomainError("Only a disputed decision sheet can be revised.")
    dispute = sheet.disputes.filter(revised_version__isnull=True).order_by("-created_at").first()
    if dispute is None or not dispute.can_revise:
        raise DomainError("Record the meeting with the rapid review chair (or the Executive chair's resolution) "
                          "before revising the sheet.")
    version = _new_version(sheet, actor, _content(sheet.current))
    sheet.status = SheetStatus.DRAFT
    sheet._history_user = actor
    sheet.save()
    dispute.revised_version = version
    if dispute.status != DisputeStatus.RESOLVED:
        dispute.status = DisputeStatus.RESOLVED
        dispute.resolved_at = timezone.now()
        dispute.resolved_by = actor
    dispute._history_user = actor
    dispute.save()
    case_record_event(case=sheet.case, kind="decision_sheet", actor=actor,
                      summary=f"Decision sheet revised as version {version.number}; every partner signs again")
    return version
