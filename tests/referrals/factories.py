"""Cases and referrals for the referrals tests."""

import datetime

import factory
from django.utils import timezone

from referrals.models import Case, Referral, Source, Stage


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"RR-2099-{n:04d}")
    stage = Stage.RECEIVED
    source = Source.PROFESSIONAL
    child_first_name = factory.Sequence(lambda n: f"Child{n}")
    child_last_name = "Testwood"
    child_dob = datetime.date(2015, 4, 2)
    harm = "serious_harm"
    incident_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    la_aware_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=4))
    referral = factory.RelatedFactory("tests.referrals.factories.ReferralFactory", factory_related_name="case")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory, referral=None)
    received_on = factory.LazyFunction(timezone.localdate)
    referrer_name = "Rita Referrer"
    referrer_email = "rita@agency.example"
    description = "What happened."
