"""The Serious Incident Notification: its due date and recording it, day 0 of the rapid review."""

import datetime

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days

from ..models import Case, Referral, SinNotification, Stage, ThresholdDecision, ThresholdOutcome, YesNoUnknown
from .cases import case_transition
from .common import require_role


def sin_due_on(case: Case) -> datetime.date:
    """The last day for notifying on time: N working days after the local authority became aware."""
    referral = Referral.objects.filter(case=case).only("received_on").first()
    start = case.la_aware_on or (referral.received_on if referral else timezone.localdate(case.created_at))
    return add_working_days(start, case.partnership.sin_decision_working_days, partnership=case.partnership)


@transaction.atomic
def case_record_sin(*, case: Case, actor, notified_on: datetime.date, notification_reference: str,
                    ofsted_notified: str = "", secretary_of_state_notified: str = "",
                    late_reason: str = "") -> SinNotification:
    """Record the Serious Incident Notification: day 0 of the rapid review. Starts the panel-meeting and
    National Panel clocks and moves the case to the rapid review stage."""
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update(of=("self",)).select_related("referral", "partnership").get(pk=case.pk)
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
    clock_start(kind=ClockKind.PANEL_MEETING, subject=locked, start=notified_on, case_id=locked.pk,
                partnership=locked.partnership)
    clock_start(kind=ClockKind.NATIONAL_PANEL, subject=locked, start=notified_on, case_id=locked.pk,
                partnership=locked.partnership)
    case_transition(case=case, to_stage=Stage.RAPID_REVIEW, allowed_from=(Stage.THRESHOLD,), actor=actor,
                    summary=f"Serious Incident Notification made ({sin.notification_reference})",
                    note=sin.late_reason)
    case.sin_notified_on = notified_on
    return sin
