"""Reads for the panel's outcome: who may see and do what, and the lists on the Executive's pages."""

from django.db.models import Prefetch, QuerySet

from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import executive_chair
from referrals.models import Case

from .models import (
    DecisionSheet,
    Dispute,
    DisputeStatus,
    MeetingRecord,
    SheetStatus,
    Signature,
    VoteChoice,
)
from .services.sheets import PARTNERS, executive_partners

# Roles that may read decision sheets and practice review records (object access still goes through the case).
SHEET_READERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE)


def meeting_for(case: Case) -> MeetingRecord | None:
    return (MeetingRecord.objects.filter(case=case)
            .prefetch_related("themes", "presentations__agency", "immediate_actions__agency",
                              "immediate_actions__action")
            .first())


def votes_for(meeting: MeetingRecord | None):
    if meeting is None:
        return []
    return list(meeting.votes.select_related("member", "recorded_by", "for_member").order_by("member__full_name"))


def tally(meeting: MeetingRecord | None) -> list[dict]:
    counts = {c: 0 for c in VoteChoice.values}
    for vote in votes_for(meeting):
        counts[vote.choice] += 1
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
    from rapidreview.accounts.models import StatutoryPartner

    return [{"partner": p, "label": StatutoryPartner(p).label, "signature": current.get(p)} for p in PARTNERS]


def open_dispute(sheet: DecisionSheet) -> Dispute | None:
    """The dispute not yet answered by a revised version, if any."""
    return (sheet.disputes.filter(revised_version__isnull=True)
            .select_related("signature__signer", "signature__version").order_by("-created_at").first())


def disputes_for(sheet: DecisionSheet) -> QuerySet[Dispute]:
    return sheet.disputes.select_related("signature__signer", "signature__version", "meeting_recorded_by",
                                         "escalated_by", "resolved_by", "revised_version")


def sheets_awaiting_signature(user) -> list[DecisionSheet]:
    """Sheets out for signature on which a partner ``user`` signs for has not yet answered."""
    partners = executive_partners(user)
    if not partners:
        return []
    sheets = list(DecisionSheet.objects.filter(status=SheetStatus.OUT_FOR_SIGNATURE)
                  .select_related("case", "current")
                  .prefetch_related(Prefetch("signatures", queryset=Signature.objects.only("partner", "version_id",
                                                                                           "sheet_id")))
                  .order_by("updated_at"))
    # Visibility of just these few cases: joining the sheets to every case the user may see made the database
    # hash all of them (10 ms at national scale, for a handful of sheets).
    visible = set(Case.objects.visible_to(user).filter(pk__in=[s.case_id for s in sheets]).values_list("pk", flat=True))
    waiting = []
    for sheet in (s for s in sheets if s.case_id in visible):
        answered = {s.partner for s in sheet.signatures.all() if s.version_id == sheet.current_id}
        todo = [p for p in partners if p not in answered]
        if todo:
            sheet.partners_to_sign = todo
            waiting.append(sheet)
    return waiting


def escalations_open() -> QuerySet[Dispute]:
    return (Dispute.objects.filter(status=DisputeStatus.ESCALATED)
            .select_related("sheet__case", "signature__signer", "escalated_by").order_by("escalated_at"))


def disputes_awaiting_chair_meeting() -> QuerySet[Dispute]:
    """Disputed decisions on which the meeting with the rapid review chair has not yet been recorded, oldest first."""
    return (Dispute.objects.filter(status=DisputeStatus.OPEN)
            .select_related("sheet__case", "signature__signer", "signature__version").order_by("created_at"))


def is_executive_chair(user) -> bool:
    chair = executive_chair()
    return chair is not None and chair.pk == user.pk


def _signed_visible(user):
    return DecisionSheet.objects.filter(signed_at__isnull=False, case__in=Case.objects.visible_to(user))


def decision_years(user) -> list[int]:
    """The years in which ``user`` can see signed decisions, newest first (one query)."""
    return sorted({d.year for d in _signed_visible(user).dates("signed_at", "year")}, reverse=True)


def decisions_in_year(user, year: int):
    """Signed decisions of one year, newest first: a national installation has hundreds a year, not thousands."""
    return (_signed_visible(user).filter(signed_at__year=year)
            .select_related("case", "current", "case__national_panel_submission").order_by("-signed_at"))


def get_visible_dispute(user, dispute_id) -> Dispute:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Dispute.objects.filter(sheet__case__in=Case.objects.visible_to(user))
                             .select_related("sheet__case", "signature__signer"), pk=dispute_id)
