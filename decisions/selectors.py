"""Reads for the panel's outcome: who may see and do what, and the lists on the Executive's pages."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rapidreview.accounts.models import Partnership, Role, StatutoryPartner
from rapidreview.accounts.selectors import delegate_capacities, executive_chair, users_with_role
from referrals.models import Case, CaseParticipation, Stage
from referrals.selectors import visible_cases
from themes.models import Theme

from .models import (
    Cspr,
    DecisionSheet,
    Dispute,
    DisputeStatus,
    MeetingRecord,
    SheetStatus,
    Signature,
    Vote,
    VoteChoice,
)
from .services.sheets import PARTNERS, executive_partners

# Roles that may read decision sheets and practice review records (object access still goes through the case).
SHEET_READERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE)


def acts_for_lead(user, case: Case) -> bool:
    """Whether ``user`` is acting in the partnership that leads ``case``: only then may they change it or sign for
    it. A partnership taking part (``CaseParticipation``) reads the case; sign-off stays with the lead (ADR 0015)."""
    partnership = user.partnership
    return partnership is not None and partnership.pk == case.partnership_id


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class JointReview:
    """The partnerships involved in a case: the one that leads it, those taking part, and any that took part for a
    while (their participation has ended)."""

    lead: Partnership
    taking_part: tuple[Partnership, ...]
    took_part: tuple[tuple[Partnership, datetime.date], ...] = ()

    @property
    def line(self) -> str:
        """"Joint review: led by A with B taking part", for the sheet page and its PDF."""
        line = f"Joint review: led by {self.lead.name}"
        if self.taking_part:
            line += f" with {_and([p.name for p in self.taking_part])} taking part"
        if self.took_part:
            line += "; " + _and([f"{p.name} took part until {ended:%-d %B %Y}" for p, ended in self.took_part])
        return line


def joint_review(case: Case) -> JointReview | None:
    """The partnerships of a joint cross-border review, or None when the leading partnership reviews alone."""
    rows = list(CaseParticipation.objects.filter(case_id=case.pk).select_related("partnership").order_by("added_at"))
    if not rows:
        return None
    return JointReview(lead=case.partnership,
                       taking_part=tuple(p.partnership for p in rows if p.ended_at is None),
                       took_part=tuple((p.partnership, timezone.localdate(p.ended_at)) for p in rows if p.ended_at))


def meeting_themes(case: Case):
    """The themes the meeting record offers: the leading partnership's active themes list."""
    return Theme.objects.filter(is_active=True, partnership_id=case.partnership_id)


def meeting_for(case: Case) -> MeetingRecord | None:
    return (MeetingRecord.objects.filter(case=case)
            .prefetch_related("themes", "presentations__agency", "immediate_actions__agency",
                              "immediate_actions__action")
            .first())


def votes_for(meeting: MeetingRecord | None) -> list[Vote]:
    """The meeting's votes by member's name, read once for the meeting object (the case page's task list, its
    section and the tally all ask): the rows are kept in the meeting's prefetch cache, as ``prefetch_related``
    keeps them."""
    if meeting is None:
        return []
    prefetch_related_objects([meeting], Prefetch(
        "votes", queryset=Vote.objects.select_related("member", "recorded_by", "for_member").order_by(
            "member__full_name")))
    return list(meeting.votes.all())


def vote_choices(meeting: MeetingRecord | None) -> list[str]:
    """The choices of the meeting's votes, read once for the meeting object (the case page's task list and its
    section both ask, and show no voter): from its votes if ``votes_for`` read them, else one query of one column
    (the votes with their three people cost 3-4 ms more on the case page; issue 20)."""
    if meeting is None:
        return []
    if "votes" in getattr(meeting, "_prefetched_objects_cache", {}):
        return [vote.choice for vote in meeting.votes.all()]
    if "_vote_choices" not in meeting.__dict__:
        meeting.__dict__["_vote_choices"] = list(meeting.votes.values_list("choice", flat=True))
    return meeting.__dict__["_vote_choices"]


def tally(meeting: MeetingRecord | None) -> list[dict]:
    counts = {c: 0 for c in VoteChoice.values}
    for choice in vote_choices(meeting):
        counts[choice] += 1
    return [{"choice": c, "label": VoteChoice(c).label, "count": counts[c]} for c in VoteChoice.values]


def sheet_for(case: Case) -> DecisionSheet | None:
    return DecisionSheet.objects.filter(case=case).select_related("current", "case").first()


def sheet_versions(sheet: DecisionSheet):
    return sheet.versions.select_related("created_by").order_by("-number")


def signatures_for(sheet: DecisionSheet) -> QuerySet[Signature]:
    return sheet.signatures.select_related("signer", "version").order_by("signed_at")


def signature_rows(sheet: DecisionSheet) -> list[dict]:
    """One row per statutory partner for the current version: signed, disputed, or awaited."""
    current = {s.partner: s for s in sheet.signatures.filter(version=sheet.current_id).select_related("signer")}
    capacities = delegate_capacities(sheet.case.partnership)
    return [{"partner": p, "label": StatutoryPartner(p).label, "signature": current.get(p),
             "capacity": capacities.get((p, current[p].signer_id), "") if p in current else ""} for p in PARTNERS]


def open_dispute(sheet: DecisionSheet) -> Dispute | None:
    """The dispute not yet answered by a revised version, if any."""
    return (sheet.disputes.filter(revised_version__isnull=True)
            .select_related("signature__signer", "signature__version").order_by("-created_at").first())


def disputes_for(sheet: DecisionSheet) -> QuerySet[Dispute]:
    return sheet.disputes.select_related("signature__signer", "signature__version", "meeting_recorded_by",
                                         "escalated_by", "resolved_by", "revised_version")


def signing_partners(user, case: Case) -> list[str]:
    """The statutory partners ``user`` signs for on ``case``: none unless they act in the partnership leading it."""
    return executive_partners(user) if acts_for_lead(user, case) else []


def sheets_awaiting_signature(user) -> list[DecisionSheet]:
    """Sheets out for signature on which a partner ``user`` signs for has not yet answered: the cases of the
    partnership they act in that it leads (a partnership taking part in a case does not sign it)."""
    partners = executive_partners(user)
    if not partners or user.partnership is None:
        return []
    sheets = list(DecisionSheet.objects.filter(status=SheetStatus.OUT_FOR_SIGNATURE,
                                               case__partnership=user.partnership)
                  .select_related("case", "current")
                  .prefetch_related(Prefetch("signatures", queryset=Signature.objects.only("partner", "version_id",
                                                                                           "sheet_id")))
                  .order_by("updated_at"))
    # Visibility of just these few cases: joining the sheets to every case the user may see made the database
    # hash all of them (10 ms at national scale, for a handful of sheets).
    visible = set(visible_cases(user).filter(pk__in=[s.case_id for s in sheets]).values_list("pk", flat=True))
    waiting = []
    for sheet in (s for s in sheets if s.case_id in visible):
        answered = {s.partner for s in sheet.signatures.all() if s.version_id == sheet.current_id}
        todo = [p for p in partners if p not in answered]
        if todo:
            sheet.partners_to_sign = todo
            waiting.append(sheet)
    return waiting


def escalations_open(user) -> QuerySet[Dispute]:
    """Disputes escalated to the chair of the Executive, on the cases the partnership ``user`` acts in leads."""
    if user.partnership is None:
        return Dispute.objects.none()
    return (Dispute.objects.filter(status=DisputeStatus.ESCALATED, sheet__case__partnership=user.partnership)
            .select_related("sheet__case", "signature__signer", "escalated_by").order_by("escalated_at"))


def disputes_awaiting_chair_meeting(user) -> QuerySet[Dispute]:
    """Disputed decisions on which the meeting with the rapid review chair has not yet been recorded, oldest first,
    on the cases the partnership ``user`` acts in leads."""
    if user.partnership is None:
        return Dispute.objects.none()
    return (Dispute.objects.filter(status=DisputeStatus.OPEN, sheet__case__partnership=user.partnership)
            .select_related("sheet__case", "signature__signer", "signature__version").order_by("created_at"))


def sheets_for_business_unit(user) -> QuerySet[DecisionSheet]:
    """Sheets out for signature, disputed or signed and not yet sent, on the cases the partnership ``user`` acts in
    leads, the longest waiting first."""
    if user.partnership is None:
        return DecisionSheet.objects.none()
    return (DecisionSheet.objects.filter(status__in=[SheetStatus.OUT_FOR_SIGNATURE, SheetStatus.DISPUTED,
                                                     SheetStatus.SIGNED], case__partnership=user.partnership)
            .select_related("case", "current").order_by("updated_at"))


def is_executive_chair(user, partnership: Partnership | None = None) -> bool:
    """Whether ``user`` chairs the Executive of ``partnership`` (default: the partnership they act in), and acts in
    it now."""
    acting = user.partnership
    partnership = partnership or acting
    if partnership is None or acting is None or acting.pk != partnership.pk:
        return False
    chair = executive_chair(partnership=partnership)
    return chair is not None and chair.pk == user.pk


@dataclass(frozen=True)
class SheetActions:
    """What ``user`` may do on the decision sheet page now. The page shows a button only when its flag is set; the
    services check the same rules again when the button is used."""

    start: bool = False
    sign: bool = False
    edit_draft: bool = False
    send: bool = False
    withdraw: bool = False
    revise: bool = False
    record_sent: bool = False
    dispute_meeting: bool = False
    dispute_escalate: bool = False
    dispute_resolve: bool = False
    record_response: bool = False
    correct_sent: bool = False
    decide_cspr: bool = False


def sheet_actions(user, case: Case, sheet: DecisionSheet | None, *, rows=(), dispute: Dispute | None = None,
                  submission=None, decided: bool = False) -> SheetActions:
    """The actions the decision sheet page offers ``user``. ``rows`` are ``signature_rows(sheet)``, ``dispute`` is
    ``open_dispute(sheet)``, ``submission`` the case's National Panel submission and ``decided`` whether a practice
    review or its alternative is already recorded."""
    if not acts_for_lead(user, case):
        return SheetActions()  # a partnership taking part reads the sheet; the leading partnership acts on it
    bu = user.has_role(Role.BUSINESS_UNIT)
    at_decision = case.stage == Stage.DECISION
    if sheet is None:
        return SheetActions(start=bu and at_decision)
    status = sheet.status
    partners = executive_partners(user)
    dispute_open = dispute is not None and dispute.status != DisputeStatus.RESOLVED
    return SheetActions(
        sign=status == SheetStatus.OUT_FOR_SIGNATURE and any(
            r["signature"] is None and r["partner"] in partners for r in rows),
        edit_draft=bu and at_decision and status == SheetStatus.DRAFT,
        send=bu and at_decision and status == SheetStatus.DRAFT,
        withdraw=bu and at_decision and status == SheetStatus.OUT_FOR_SIGNATURE,
        revise=bu and at_decision and status == SheetStatus.DISPUTED and dispute is not None and dispute.can_revise,
        record_sent=bu and at_decision and status == SheetStatus.SIGNED,
        dispute_meeting=dispute_open and user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR),
        dispute_escalate=(dispute_open and dispute.status != DisputeStatus.ESCALATED
                          and user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)),
        dispute_resolve=(dispute is not None and dispute.status == DisputeStatus.ESCALATED
                         and is_executive_chair(user, case.partnership)),
        record_response=(bu and submission is not None and not submission.response_on
                         and case.stage in (Stage.NATIONAL_PANEL, Stage.CSPR)),
        # The date sent can be corrected, with a reason, at any stage after it was recorded (ADR 0011).
        correct_sent=bu and submission is not None,
        decide_cspr=bu and case.stage == Stage.NATIONAL_PANEL and not decided,
    )


@dataclass(frozen=True)
class CsprActions:
    """What ``user`` may do on the practice review page now (the business unit, while the case is at that stage)."""

    manage: bool = False
    edit_details: bool = False
    record_report_sent: bool = False
    record_publication: bool = False
    record_workshop: bool = False
    record_implementation_review: bool = False
    correct_publication: bool = False
    oversee: bool = False  # regulation 14 checks and written requests, and sharing the draft with the family


def cspr_actions(user, cspr) -> CsprActions:
    """The review's details change until publication; the report is sent once a publication date is planned, then
    published; the workshop and the one-year implementation review follow publication. Only the business unit of the
    partnership leading the case acts on it."""
    if not user.has_role(Role.BUSINESS_UNIT) or not acts_for_lead(user, cspr.case):
        return CsprActions()
    published = cspr.published_on is not None
    if cspr.case.stage != Stage.CSPR:
        # A published pseudonym or link can be corrected at any stage after publication (it is kept in the history).
        return CsprActions(correct_publication=published)
    return CsprActions(
        manage=True, edit_details=not published,
        record_report_sent=not cspr.report_sent_on and bool(cspr.planned_publication_on),
        record_publication=bool(cspr.report_sent_on) and not published,
        record_workshop=published and not cspr.learning_workshop_on,
        record_implementation_review=published and not cspr.implementation_review_on,
        correct_publication=published, oversee=not published,
    )


def has_practice_review(case: Case) -> bool:
    """Whether the case has a practice review page (the decision pages' sub-navigation links to it)."""
    return Cspr.objects.filter(case_id=case.pk).exists()


def _signed_visible(user):
    return DecisionSheet.objects.filter(signed_at__isnull=False, case__in=visible_cases(user))


def decision_years(user) -> list[int]:
    """The years in which ``user`` can see signed decisions, newest first (one query)."""
    return sorted({d.year for d in _signed_visible(user).dates("signed_at", "year")}, reverse=True)


def decisions_in_year(user, year: int):
    """Signed decisions of one year, newest first: a national installation has hundreds a year, not thousands."""
    return (_signed_visible(user).filter(signed_at__year=year)
            .select_related("case__partnership", "current", "case__national_panel_submission").order_by("-signed_at"))


def get_visible_dispute(user, dispute_id) -> Dispute:
    """The dispute, or Http404 when the user may not see its case. Acting on it also needs the case to be led by
    the user's partnership: the views ask ``referrals.selectors.get_led_case`` for the dispute's case."""
    return get_object_or_404(Dispute.objects.filter(sheet__case__in=visible_cases(user))
                             .select_related("sheet__case", "signature__signer"), pk=dispute_id)


def reviewer_request_reminder_owners(request, clock) -> list:
    """A written request to the reviewer is chased by the business unit that sent it."""
    return cspr_reminder_owners(request.cspr, clock)


def cspr_reminder_owners(cspr, clock) -> list:
    """The business unit of the leading partnership runs the practice review's clocks (registered in
    ``DecisionsConfig.ready``)."""
    return list(users_with_role(Role.BUSINESS_UNIT, partnership=cspr.case.partnership))
