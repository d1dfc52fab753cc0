import itertools

import pytest

from rapidreview.accounts.models import Role
from tests.factories import default_partnership, make_user

_refs = itertools.count(1)


@pytest.fixture
def make_case(db):
    """A case made directly (the referrals app's own factories are used by the whole-application tests)."""
    from referrals.models import Case, Source, Stage

    def make(stage=Stage.RECEIVED, **fields):
        fields.setdefault("reference", f"SEC-{next(_refs):04d}")
        fields.setdefault("source", Source.PROFESSIONAL)
        fields.setdefault("child_first_name", "Zephyrine")
        fields.setdefault("child_last_name", "Quillfeather")
        fields.setdefault("partnership", default_partnership())
        return Case.objects.create(stage=stage, **fields)

    return make


@pytest.fixture
def bu_user(db):
    return make_user(Role.BUSINESS_UNIT, full_name="Bea Unit")
