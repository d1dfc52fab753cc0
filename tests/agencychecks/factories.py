"""Cases at rapid review, panels, and agency check forms for the agency check tests."""

import datetime
import uuid

import factory
from django.utils import timezone

from agencychecks import selectors
from agencychecks.models import AgencyCheckForm, ChronologyEntry, ContactType, GlossaryTerm
from panels.models import ConflictOfInterest, Panel, PanelInvitation
from rapidreview.accounts.models import Role
from referrals.models import HouseholdMember
from tests.factories import AgencyFactory, default_partnership, make_user
from tests.referrals.factories import RapidReviewCaseFactory, ReferralFactory


class AgencyCheckCaseFactory(RapidReviewCaseFactory):
    """A case at rapid review, its SIN made two days ago, led by the default partnership unless told; the lead's
    summary shows the birth date and incident."""

    partnership = factory.LazyFunction(default_partnership)

    child_dob = datetime.date(2019, 6, 14)
    incident_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=9))
    sin_notified_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))


def make_referral(case, address="12 Example Street\nLondon E1 0AA", description="Found injured at home."):
    referral = ReferralFactory(case=case, child_address=address, description=description)
    HouseholdMember.objects.create(referral=referral, name="Dana Ashgrove", relationship="Mother", age="31")
    return referral


def make_panel(case, members=(), meeting_at=None):
    panel = Panel.objects.create(case=case, ics_uid=f"{uuid.uuid4()}@test", meeting_at=meeting_at,
                                 meeting_date=timezone.localtime(meeting_at).date() if meeting_at else None)
    for member in members:
        PanelInvitation.objects.create(panel=panel, user=member, agency=member.agency)
    return panel


def declare_conflict(case, user):
    return ConflictOfInterest.objects.create(case=case, user=user, declared_by=user, nature="Related to family",
                                             implications="Cannot take part")


def make_lead(agency, partnership=None, **fields):
    """A safeguarding lead of ``agency`` in ``partnership`` (default: ``default_partnership()``)."""
    return make_user(Role.AGENCY_LEAD, agency=agency, partnership=partnership, **fields)


def issuable(case) -> list:
    """Every agency the case's forms may go to that has none yet, as the issue page offers them."""
    have = set(AgencyCheckForm.objects.filter(case=case).values_list("agency_id", flat=True))
    return [row.agency for row in selectors.issuable_agencies(case) if row.agency.pk not in have]


class AgencyCheckFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyCheckForm

    case = factory.SubFactory(AgencyCheckCaseFactory)
    agency = factory.SubFactory(AgencyFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    issued_by = factory.LazyFunction(lambda: make_user(Role.BUSINESS_UNIT))


COMPLETE = {
    "involved": True,
    "involvement_from": datetime.date(2023, 1, 10),
    "involvement_ongoing": True,
    "involvement_summary": "Health visiting from birth, and the children's centre from 2023.",
    "analysis": "The health visitor noticed the missed appointments and followed them up by telephone.",
    "went_well": "Early contact with the family after the birth.",
    "could_be_better": "Sharing the missed appointments with the nursery.",
    "prevention": "A shared record of missed appointments across health and education.",
    "themes": [],
    "themes_other": "Missed appointments",
    "themes_in_other_cases": "Yes, in two other cases this year.",
    "good_practice": "Persistent follow-up of missed appointments.",
    "improvement_areas": "Information sharing with nurseries.",
    "immediate_actions": "Reminder sent to all health visitors about sharing with nurseries.",
    "agency_learning": "Missed appointments are a safeguarding signal, not only an administrative one.",
    "author_name": "Nia Writer",
    "author_role": "Named nurse",
    "manager_name": "Mo Manager",
    "manager_role": "Head of safeguarding",
    "manager_signed_on": datetime.date(2024, 3, 1),
}


def complete_form(form, **overrides):
    """Fill every section of ``form`` with good plain-English answers and one chronology entry."""
    for name, value in {**COMPLETE, **overrides}.items():
        setattr(form, name, value)
    form.save()
    ChronologyEntry.objects.create(form=form, date=datetime.date(2023, 2, 1), contact_type=ContactType.HOME_VISIT,
                                   summary="The health visitor saw the child at home; weight was normal.",
                                   practitioner_role="Health visitor")
    return form


def glossary_term(term, expansion="", allowed=False):
    return GlossaryTerm.objects.get_or_create(term=term, defaults={"expansion": expansion, "allowed": allowed})[0]
