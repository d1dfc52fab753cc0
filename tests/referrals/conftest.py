import pytest

from rapidreview.accounts.models import Role, StatutoryPartner
from tests.factories import RoleAssignmentFactory, make_user

from .factories import CaseFactory


@pytest.fixture
def threshold_makers(db):
    """One threshold decision maker for each statutory partner."""
    people = {}
    for partner in StatutoryPartner.values:
        user = make_user(full_name=f"Threshold {partner}")
        RoleAssignmentFactory(user=user, role=Role.THRESHOLD, statutory_partner=partner)
        people[partner] = user
    return people


@pytest.fixture
def case(db):
    return CaseFactory()
