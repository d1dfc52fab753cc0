"""Cases and referrals: the one CaseFactory every app's tests build on."""

import datetime

import factory
from django.utils import timezone

from rapidreview.accounts.models import Agency
from referrals.models import Case, CaseParticipation, Referral, Source, Stage
from tests.factories import AgencyFactory, default_partnership, make_user


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as a referral opens it: the child, the harm, the incident dates and the referral itself."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    class Params:
        with_referral = True

    reference = factory.Sequence(lambda n: f"RR-2099-{n:04d}")
    partnership = factory.LazyFunction(default_partnership)
    stage = Stage.RECEIVED
    source = Source.PROFESSIONAL
    child_first_name = factory.Sequence(lambda n: f"Child{n}")
    child_last_name = "Testwood"
    child_dob = datetime.date(2015, 4, 2)
    harm = "serious_harm"
    incident_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    la_aware_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=4))
    referral = factory.Maybe("with_referral", factory.RelatedFactory("tests.referrals.factories.ReferralFactory",
                                                                     factory_related_name="case"))


class RapidReviewCaseFactory(CaseFactory):
    """A case at rapid review whose SIN was made on Monday 2 March 2026; it has no referral row and no incident
    dates, which the later stages' tests set when they read them."""

    class Params:
        with_referral = False

    stage = Stage.RAPID_REVIEW
    incident_date = None
    la_aware_on = None
    sin_notified_on = datetime.date(2026, 3, 2)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory, with_referral=False)
    received_on = factory.LazyFunction(timezone.localdate)
    referrer_name = "Rita Referrer"
    referrer_email = "rita@agency.example"
    description = "What happened."


def take_part(case: Case, partnership, *, by=None, reason: str = "The child lives there.") -> CaseParticipation:
    """``partnership`` takes part in ``case`` (as ``case_invite_partnership`` leaves it, without the e-mails)."""
    return CaseParticipation.objects.create(case=case, partnership=partnership, reason=reason,
                                            added_by=by or make_user())


def partnership_agency(partnership=None, **fields) -> Agency:
    """An agency in ``partnership``'s arrangements (default: ``default_partnership()``), as assurance requests need."""
    agency = AgencyFactory(**fields)
    (partnership or default_partnership()).agencies.add(agency)
    return agency
