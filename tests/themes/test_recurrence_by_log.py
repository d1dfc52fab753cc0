"""The case page's themes section: recurrence for each log in one pass."""

import pytest

from rapidreview.accounts.models import Role
from tests.factories import default_partnership, make_user
from tests.themes.factories import CaseFactory
from themes.models import Theme, ThemeLog
from themes.selectors import recurrence, recurrence_by_log, recurrence_since
from themes.services import case_log_themes

pytestmark = pytest.mark.django_db


def _theme(name):
    return Theme.objects.get_or_create(partnership=default_partnership(), name=name, defaults={"slug": name})[0]


def test_every_page_counts_recurrence_the_same_way_whichever_log_recorded_it(django_assert_num_queries):
    business_unit = make_user(Role.BUSINESS_UNIT)
    neglect, housing = _theme("Neglect"), _theme("Housing")
    case = CaseFactory()
    case_log_themes(case=case, themes=[neglect, housing], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=case, themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    for n in range(5):
        other = CaseFactory(reference=f"OTHER-{n}")
        # Two cases recorded housing only in the rapid review log: still "another case with housing".
        case_log_themes(case=other, themes=[neglect] if n < 3 else [housing],
                        log=ThemeLog.SIN if n < 3 else ThemeLog.RAPID_REVIEW, actor=business_unit)
    business_unit.role_names  # noqa: B018 - roles loaded before counting
    with django_assert_num_queries(3):
        by_log = recurrence_by_log(case=case, user=business_unit)
    # The case page (per log), the panel page and the QA page (proposed themes) read the same numbers.
    case_page = {(log, row["theme"].name): row["count"] for log, rows in by_log.items() for row in rows}
    assert case_page == {(ThemeLog.SIN, "Neglect"): 3, (ThemeLog.SIN, "Housing"): 2,
                         (ThemeLog.RAPID_REVIEW, "Neglect"): 3}
    panel_page = {row["theme"].name: row["count"] for row in recurrence(case=case, user=business_unit)}
    qa_page = {row["theme"].name: row["count"]
               for row in recurrence(case=case, user=business_unit, themes=[housing, neglect])}
    assert panel_page == qa_page == {"Neglect": 3, "Housing": 2}


def test_the_page_says_what_it_counted():
    from django.template.loader import render_to_string

    business_unit = make_user(Role.BUSINESS_UNIT)
    housing = _theme("Housing")
    case, other = CaseFactory(), CaseFactory(reference="OTHER-1")
    case_log_themes(case=case, themes=[housing], log=ThemeLog.SIN, actor=business_unit)
    case_log_themes(case=other, themes=[housing], log=ThemeLog.RAPID_REVIEW, actor=business_unit)
    html = render_to_string("themes/_recurrence.html",
                            {"recurrence": recurrence_by_log(case=case, user=business_unit)[ThemeLog.SIN]})
    since = recurrence_since()
    assert f"Recorded on 1 other case since {since.day} {since:%B %Y} (in either themes log)" in " ".join(html.split())
    assert "has not appeared" not in html


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
