"""The three-way threshold discussion: sending a case to it and recording its outcome."""

import datetime

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Role, StatutoryPartner
from rapidreview.accounts.selectors import users_with_role
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet
from rapidreview.db import DomainError
from rapidreview.notifications.services import notify

from ..models import Case, Route, Stage, ThresholdDecision, ThresholdOutcome, YesNoUnknown
from ..rules import route_outcome_problem
from ..timeline import case_record_event
from .cases import case_transition
from .common import require_role


@transaction.atomic
def case_send_to_threshold(*, case: Case, actor, note: str = "") -> Case:
    """The business unit sends the referral to the three-way threshold discussion."""
    require_role(actor, Role.BUSINESS_UNIT, partnership=case.partnership)
    case = case_transition(case=case, to_stage=Stage.THRESHOLD, allowed_from=(Stage.RECEIVED,), actor=actor,
                           summary="Sent for the threshold discussion", note=note)
    for user in users_with_role(Role.THRESHOLD, partnership=case.partnership):
        notify(to=user, subject=f"Threshold discussion needed for {case.reference}",
               template="referrals/email/threshold_needed", context={"case": case},
               kind="referrals.threshold_needed", key=f"threshold-needed:{case.pk}:{user.pk}", related=case,
               partnership=case.partnership)
    return case


def threshold_partner(user, *, partnership) -> set[str]:
    """The statutory partners ``user`` speaks for as a threshold decision maker today in ``partnership``."""
    return {a.statutory_partner for a in user.current_assignments
            if a.role == Role.THRESHOLD and a.partnership_id == partnership.pk}


@transaction.atomic
def referral_record_threshold(*, case: Case, actor, discussed_on: datetime.date, la_participant,
                              health_participant=None, police_participant=None, absence_reason: str = "",
                              outcome: str, rationale: str, decision_maker=None, route: str = Route.SERIOUS_INCIDENT,
                              abuse_or_neglect: str = "") -> ThresholdDecision:
    """Record the three-way discussion and what is notified (``route``). "Not met" moves the case to ``not_met``;
    "met" and "notify only" leave it at threshold until the notification is recorded. The decision maker is the
    local-authority participant."""
    require_role(actor, Role.BUSINESS_UNIT, Role.THRESHOLD, partnership=case.partnership)
    locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
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
    if abuse_or_neglect and abuse_or_neglect not in YesNoUnknown.values:
        raise DomainError("Say whether abuse or neglect is known or suspected.")
    if problem := route_outcome_problem(route, abuse_or_neglect, outcome):
        raise DomainError(f"{problem}.")
    decision_maker = decision_maker or la_participant
    for person, partner, label in ((la_participant, StatutoryPartner.LOCAL_AUTHORITY, "local authority"),
                                   (health_participant, StatutoryPartner.HEALTH, "health"),
                                   (police_participant, StatutoryPartner.POLICE, "police")):
        if person is not None and partner not in threshold_partner(person, partnership=locked.partnership):
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
    locked.route, locked.abuse_or_neglect = route, abuse_or_neglect
    locked._history_user = actor
    locked.save(update_fields=["route", "abuse_or_neglect", "updated_at"])
    case.route, case.abuse_or_neglect = route, abuse_or_neglect
    if outcome == ThresholdOutcome.NOT_MET:
        # The decision not to notify was made: stop chasing it. Anything else still running stops at closure.
        clock_meet(subject=locked, kind=ClockKind.SIN_DECISION)
        case_transition(case=case, to_stage=Stage.NOT_MET, allowed_from=(Stage.THRESHOLD,), actor=actor,
                        summary="Threshold discussion: not met", note=rationale)
    elif outcome == ThresholdOutcome.NOTIFY_ONLY:
        case_record_event(case=locked, kind="threshold_notify_only", actor=actor, note=rationale,
                          summary=f"Threshold discussion: {Route(route).label.lower()}, notify the Secretary of "
                                  "State and Ofsted only")
    else:
        case_record_event(case=locked, kind="threshold_met", actor=actor, note=rationale,
                          summary="Threshold discussion: Serious Incident Notification threshold met")
    return decision
