"""Clustered notifications: the business unit's liaison with the National Panel about timelines."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import Partnership, User
from rapidreview.db import DomainError
from referrals.models import Case
from referrals.services import case_record_event

from ..models import NationalPanelLiaison
from .common import long_date


@transaction.atomic
def liaison_record(*, partnership: Partnership, cases: Iterable[Case], liaised_on: datetime.date, contact: str,
                   timelines_agreed: str, actor: User) -> NationalPanelLiaison:
    """Record ``partnership``'s business unit's liaison with the National Panel about the timelines of clustered
    cases, all of them cases it leads."""
    cases = list(cases)
    if any(c.partnership_id != partnership.pk for c in cases):
        raise DomainError("Choose cases your partnership leads.")
    if len(cases) < 2:
        raise DomainError("Choose at least two cases whose notifications are close together.")
    if any(c.sin_notified_on is None for c in cases):
        raise DomainError("Every case chosen must have been notified to the National Panel.")
    if liaised_on > timezone.localdate():
        raise DomainError("The date of the liaison cannot be in the future.")
    if not contact.strip() or not timelines_agreed.strip():
        raise DomainError("Say who liaised and the timelines agreed.")
    liaison = NationalPanelLiaison(partnership=partnership, liaised_on=liaised_on, contact=contact.strip(),
                                   timelines_agreed=timelines_agreed.strip(), recorded_by=actor)
    liaison._history_user = actor
    liaison.save()
    liaison.cases.set(cases)
    for case in cases:
        case_record_event(case=case, kind="liaison", actor=actor,
                          summary=f"Liaison with the National Panel about timelines recorded "
                                  f"({long_date(liaised_on)})")
    return liaison
