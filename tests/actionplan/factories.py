"""Cases and actions for the ledger tests."""

import datetime

import factory
from django.utils import timezone

from actionplan.models import ActionSource
from actionplan.services import action_create
from tests.factories import AgencyFactory, default_partnership
from tests.referrals.factories import RapidReviewCaseFactory


class LedgerCaseFactory(RapidReviewCaseFactory):
    """A case at rapid review with no SIN date, so the statistics count none; its reference starts "LG-". Led by
    ``default_partnership()`` unless ``partnership=`` says otherwise."""

    reference = factory.Sequence(lambda n: f"LG-{n:05d}")
    partnership = factory.LazyFunction(default_partnership)
    sin_notified_on = None


def in_arrangements(agency, partnership=None):
    """``agency`` takes part in ``partnership``'s arrangements (default: the tests' partnership)."""
    (partnership or default_partnership()).agencies.add(agency)
    return agency


def make_action(*, case=None, agency=None, actor=None, due_on=None, source=ActionSource.RAPID_REVIEW,
                description="Audit the use of the bruising protocol", owner=None):
    return action_create(case=case or LedgerCaseFactory(), source=source, learning="Bruising in non-mobile babies",
                         description=description, agency=agency or AgencyFactory(), owner=owner,
                         due_on=due_on or timezone.localdate() + datetime.timedelta(days=30), actor=actor)
