"""The Serious Incident Notification: its due date and recording it, day 0 of the rapid review."""

import datetime

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet, clock_start
from rapidreview.db import DomainError
from rapidreview.workdays import add_working_days

from ..models import Case, Referral, Route, SinNotification, Stage, ThresholdDecision, ThresholdOutcome, YesNoUnknown
from .cases import case_transition
from .common import require_role


def sin_tells_ofsted(case: Case) -> bool:
    """Whether the notification also goes to Ofsted and the Secretary of State: a looked-after child (by the
    referral or the route) or a care leaver."""
    return case.route in (Route.LAC_DEATH, Route.CARE_LEAVER_DEATH) or \
        Referral.objects.filter(case=case, looked_after=YesNoUnknown.YES).exists()


def sin_due_on(case: Case) -> datetime.date:
    """The last day for notifying on time: N working days after the local authority became aware."""
    referral = Referral.objects.filter(case=case).only("received_on").first()
    start = case.la_aware_on or (referral.received_on if referral else timezone.localdate(case.created_at))
    return add_working_days(start, case.partnership.sin_decision_working_days, partnership=case.partnership)


@transaction.atomic
def case_record_sin(*, case: Case, actor, notified_on: datetime.date, notification_reference: str,
                    ofsted_notified: str = "", secretary_of_state_notified: str = "",
                    late_reason: str = "") -> SinNotification:
    """Record the notification. To the National Panel ("met"): day 0 of the rapid review; starts the panel-meeting
    and National Panel clocks and moves the case to the rapid review stage. To the Secretary of State and Ofsted
    only ("notify only": a looked-after child's or a care leaver's death): no rapid review; the case moves to
    ``notified``, from where it closes or goes to a local learning route."""
    require_role(actor, Role.BUSINESS_UNIT, Role.RR_CHAIR, partnership=case.partnership)
    locked = Case.objects.select_for_update(of=("self",)).select_related("referral", "partnership").get(pk=case.pk)
    decision = ThresholdDecision.objects.filter(case=locked).first()
    notify_only = decision is not None and decision.outcome == ThresholdOutcome.NOTIFY_ONLY
    if locked.stage != Stage.THRESHOLD or decision is None or decision.outcome == ThresholdOutcome.NOT_MET:
        raise DomainError("A Serious Incident Notification can be recorded only after the threshold discussion "
                          "found the threshold met.")
    if notified_on > timezone.localdate():
        raise DomainError("The date of the notification must be today or in the past.")
    if locked.incident_date and notified_on < locked.incident_date:
        raise DomainError("The date of the notification must be on or after the incident.")
    if not (notification_reference or "").strip():
        raise DomainError("Enter the notification reference.")
    if sin_tells_ofsted(locked) and not (ofsted_notified and secretary_of_state_notified):
        raise DomainError("For a looked-after child or a care leaver, say whether Ofsted and the Secretary of State "
                          "were notified.")
    if notify_only and YesNoUnknown.YES not in (ofsted_notified, secretary_of_state_notified):
        raise DomainError("This death is notified to the Secretary of State and Ofsted: record it once they have "
                          "been told.")
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
    if notify_only:
        case_transition(case=case, to_stage=Stage.NOTIFIED, allowed_from=(Stage.THRESHOLD,), actor=actor,
                        summary=f"Notified to the Secretary of State and Ofsted ({sin.notification_reference}): "
                                f"{locked.get_route_display().lower()}, no rapid review", note=sin.late_reason)
        case.sin_notified_on = notified_on
        return sin
    clock_start(kind=ClockKind.PANEL_MEETING, subject=locked, start=notified_on, case_id=locked.pk,
                partnership=locked.partnership)
    clock_start(kind=ClockKind.NATIONAL_PANEL, subject=locked, start=notified_on, case_id=locked.pk,
                partnership=locked.partnership)
    case_transition(case=case, to_stage=Stage.RAPID_REVIEW, allowed_from=(Stage.THRESHOLD,), actor=actor,
                    summary=f"Serious Incident Notification made ({sin.notification_reference})",
                    note=sin.late_reason)
    case.sin_notified_on = notified_on
    return sin
