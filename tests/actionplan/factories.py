"""Cases and actions for the ledger tests (our own, so these tests do not depend on other apps' factories)."""

import datetime

import factory
from django.utils import timezone

from actionplan.models import ActionSource
from actionplan.services import action_create
from referrals.models import Case, Source, Stage
from tests.factories import AgencyFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"LG-{n:05d}")
    stage = Stage.RAPID_REVIEW
    source = Source.PROFESSIONAL
    child_first_name = factory.Sequence(lambda n: f"Child{n}")
    child_last_name = "Testcase"


def make_action(*, case=None, agency=None, actor=None, due_on=None, source=ActionSource.RAPID_REVIEW,
                description="Audit the use of the bruising protocol", owner=None):
    return action_create(case=case or CaseFactory(), source=source, learning="Bruising in non-mobile babies",
                         description=description, agency=agency or AgencyFactory(), owner=owner,
                         due_on=due_on or timezone.localdate() + datetime.timedelta(days=30), actor=actor)
