import datetime

import pytest

from rapidreview.accounts.models import Role, RoleAssignment, StatutoryPartner
from tests.factories import make_executive, make_user


@pytest.fixture
def people(db):
    """One person in each audience of a reminder ladder, holding their role since 2020 (tests travel in time)."""
    found = {
        "business_unit": make_user(Role.BUSINESS_UNIT, email="bu@example.test"),
        "rr_chair": make_user(Role.RR_CHAIR, email="chair@example.test"),
        "exec_chair": make_executive(StatutoryPartner.LOCAL_AUTHORITY, chair=True),
    }
    RoleAssignment.objects.update(starts_on=datetime.date(2020, 1, 1))
    return found
