"""Cases and actions for the ledger tests."""

import datetime

import factory
from django.utils import timezone

from actionplan.models import ActionSource
from actionplan.services import action_create
from tests.factories import AgencyFactory
from tests.referrals.factories import RapidReviewCaseFactory


class LedgerCaseFactory(RapidReviewCaseFactory):
    """A case at rapid review with no SIN date, so the statistics count none; its reference starts "LG-"."""

    reference = factory.Sequence(lambda n: f"LG-{n:05d}")
    sin_notified_on = None


def make_action(*, case=None, agency=None, actor=None, due_on=None, source=ActionSource.RAPID_REVIEW,
                description="Audit the use of the bruising protocol", owner=None):
    return action_create(case=case or LedgerCaseFactory(), source=source, learning="Bruising in non-mobile babies",
                         description=description, agency=agency or AgencyFactory(), owner=owner,
                         due_on=due_on or timezone.localdate() + datetime.timedelta(days=30), actor=actor)
