"""Cases for the themes tests: the shared CaseFactory, led by ``default_partnership()`` unless told otherwise."""

import factory

from tests.factories import default_partnership
from tests.referrals.factories import CaseFactory as ReferralsCaseFactory


class CaseFactory(ReferralsCaseFactory):
    partnership = factory.LazyFunction(default_partnership)
