"""The publication guard: what is published never names a child or a member of their household."""

import datetime

import pytest

from referrals.models import HouseholdMember
from referrals.publication import PublicationRefused, publication_findings, publication_guard
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amy(db):
    case = CaseFactory(child_first_name="Amy", child_last_name="Whitlock", child_dob=datetime.date(2016, 4, 3))
    referral = case.referral
    referral.child_aliases = "Amelia, Mimi"
    referral.child_address = "14 Ropery Street, London E3 4QE"
    referral.save()
    HouseholdMember.objects.create(referral=referral, name="Darren Pike", relationship="stepfather", age="12/07/1989")
    return case


def _found(text):
    return [(f.matched, f.what) for f in publication_findings({"body": ("The text", text)})]


@pytest.mark.parametrize(("text", "what"), [
    ("Learning from the death of Amy Whitlock in 2026.", "a child's name"),
    ("When AMY WHITLOCK was seen at school", "a child's name"),
    ("Amy was not seen for six weeks.", "a child's first name"),
    ("The Whitlock family moved twice.", "a child's surname"),
    ("Known at nursery as Mimi.", "another name of a child"),
    ("Born on 3 April 2016.", "a child's date of birth"),
    ("Born 03/04/2016.", "a child's date of birth"),
    ("Her date of birth, 2016-04-03, was recorded wrongly.", "a child's date of birth"),
    ("Born April 3rd, 2016.", "a child's date of birth"),
    ("The family lived at 14 Ropery Street.", "a child's address"),
    ("Their postcode was e3 4qe.", "a child's address"),
    ("Darren Pike had convictions.", "the name of a household member"),
    ("The stepfather, Pike, was not asked.", "the name of a household member"),
    ("The stepfather (born 12/07/1989) was not asked.", "a household member's date of birth"),
])
def test_every_identifying_detail_is_found(amy, text, what):
    assert what in [w for _, w in _found(text)], _found(text)


@pytest.mark.parametrize("text", [
    "We hope agencies will share information sooner.",
    "Amyloid deposits were not relevant.",
    "Child Q's review found that agencies did not talk to each other.",
    "Born in April 2016, she was known to three agencies.",
    "Reviewed on 3 April 2026.",
])
def test_ordinary_words_and_other_dates_pass(amy, text):
    assert _found(text) == []


def test_a_single_first_name_matches_only_as_a_name(db):
    CaseFactory(child_first_name="Hope", child_last_name="Xi")
    assert _found("We hope the partnership will act.") == []
    assert _found("Hope was seen at school.") == [("Hope", "a child's first name")]


def test_the_guard_refuses_naming_each_field_and_the_case(amy):
    with pytest.raises(PublicationRefused) as refused:
        publication_guard({"title": ("The title", "Learning from Amy"), "body": ("The text", "Nothing here")})
    assert refused.value.errors == [("title", "The title contains a child's first name (“Amy”, case "
                                              f"{amy.reference}). Remove it, or, if it does not identify anyone, "
                                              "give a reason to publish anyway.")]


def test_a_reason_lets_it_through_only_where_overriding_is_allowed(amy):
    fields = {"body": ("The text", "Amy")}
    assert publication_guard(fields, override_reason="A different Amy: the author.")[0].matched == "Amy"
    with pytest.raises(PublicationRefused):
        publication_guard(fields, override_reason="A reason", may_override=False)


def test_a_new_case_is_guarded_at_once(amy):
    assert _found("Zebedee Quinn") == []
    CaseFactory(child_first_name="Zebedee", child_last_name="Quinn")
    assert _found("Zebedee Quinn")[0] == ("Zebedee Quinn", "a child's name")
