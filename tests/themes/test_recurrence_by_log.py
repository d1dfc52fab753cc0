"""The case page's themes section: recurrence for each log in one pass."""

import pytest

from rapidreview.accounts.models import Role
from tests.factories import make_user
from tests.referrals.factories import CaseFactory
from themes.models import Theme, ThemeLog
from themes.selectors import recurrence, recurrence_by_log
from themes.services import case_log_themes

pytestmark = pytest.mark.django_db


def _theme(name):
    return Theme.objects.get_or_create(name=name)[0]


def test_each_log_reads_as_recurrence_of_that_log_alone(django_assert_num_queries):
    business_unit = make_user(Role.BUSINESS_UNIT)
    neglect, housing = _theme("Neglect"), _theme("Housing")
    case = CaseFactory()
    case_log_themes(case=case, themes=[neglect, housing], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=case, themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    for n in range(3):
        other = CaseFactory(reference=f"OTHER-{n}")
        case_log_themes(case=other, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
        if n:
            case_log_themes(case=other, themes=[housing, neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    business_unit.role_names  # noqa: B018 - roles loaded before counting
    with django_assert_num_queries(3):
        by_log = recurrence_by_log(case=case, user=business_unit)
    for log in ThemeLog.values:
        assert by_log[log] == recurrence(case=case, user=business_unit, log=log)
    assert [(row["theme"].name, row["count"]) for row in by_log[ThemeLog.SIN]] == [("Neglect", 3), ("Housing", 0)]
    assert [(row["theme"].name, row["count"]) for row in by_log[ThemeLog.RAPID_REVIEW]] == [("Neglect", 2)]
    both = recurrence(case=case, user=business_unit)
    assert [(row["theme"].name, row["count"]) for row in both] == [("Neglect", 3), ("Housing", 2)]


def test_a_theme_logged_on_another_case_shows_at_once_although_counts_are_cached(django_assert_num_queries):
    business_unit = make_user(Role.BUSINESS_UNIT)
    neglect = _theme("Neglect")
    case, other = CaseFactory(), CaseFactory(reference="OTHER-1")
    case_log_themes(case=case, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    business_unit.role_names  # noqa: B018 - roles loaded before counting
    assert recurrence(case=case, user=business_unit)[0]["count"] == 0
    with django_assert_num_queries(1):  # warm: the case's own themes; nothing to link
        recurrence(case=case, user=business_unit)
    case_log_themes(case=other, themes=[neglect], log=ThemeLog.SIN, actor=business_unit)
    [row] = recurrence(case=case, user=business_unit)
    assert row["count"] == 1 and [c.reference for c in row["cases"]] == ["OTHER-1"]
