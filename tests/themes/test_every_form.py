"""Every form of the themes app, submitted as its page rendered it (tests/forms_as_rendered.py).

Among them: the bulletin, whose text box was never rendered ("Write the bulletin." with nowhere to write).
"""

import datetime

import pytest

from referrals.models import Stage
from tests.forms_as_rendered import accepted, page_form, submits
from tests.themes.factories import CaseFactory
from themes.forms import (
    CaseThemesForm,
    LearningForm,
    LearningRouteForm,
    LogFilterForm,
    ReportFilterForm,
    ThemeForm,
    YearForm,
)
from themes.models import CaseTheme, LearningItem, Theme

pytestmark = pytest.mark.django_db


@submits(LearningForm)
def test_the_business_unit_writes_a_bulletin_and_edits_it_keeping_the_text(bu_client):
    form = page_form(bu_client, "/themes/learning/new/bulletin/")
    assert form.names().index("body") < form.names().index("follow_up"), "the text comes before the follow-up"
    form.fill(title="Spring bulletin", body="Learning from Child Q: ask about fathers.")
    accepted(form.submit())
    item = LearningItem.objects.get(title="Spring bulletin")
    assert item.kind == "bulletin" and item.body == "Learning from Child Q: ask about fathers."

    form = page_form(bu_client, f"/themes/learning/{item.pk}/change/")
    assert form["body"] == "Learning from Child Q: ask about fathers.", "the saved text is shown to edit"
    form.fill(title="Spring bulletin 2026")
    accepted(form.submit())
    item.refresh_from_db()
    assert item.title == "Spring bulletin 2026" and item.body == "Learning from Child Q: ask about fathers."


@submits(LearningForm)
def test_the_business_unit_records_an_agency_visit(bu_client):
    form = page_form(bu_client, "/themes/learning/new/agency_visit/")
    form.fill(title="Visit to the health visiting team", attendance=12, follow_up_on=datetime.date(2099, 1, 5))
    accepted(form.submit())
    assert LearningItem.objects.get(kind="agency_visit").attendance == 12


@submits(ThemeForm)
def test_the_business_unit_adds_and_renames_a_theme(bu_client):
    accepted(page_form(bu_client, "/themes/practice/new/").fill(name="Fathers unseen").submit())
    theme = Theme.objects.get(name="Fathers unseen")
    accepted(page_form(bu_client, f"/themes/practice/{theme.pk}/change/").fill(name="Unseen fathers").submit())
    theme.refresh_from_db()
    assert theme.name == "Unseen fathers"


@submits(CaseThemesForm)
def test_the_business_unit_records_a_cases_themes(bu_client):
    case = CaseFactory()
    form = page_form(bu_client, f"/themes/practice/cases/{case.pk}/sin/")
    form.fill(themes=[form.options("themes")[0][0]], source="The threshold discussion")
    accepted(form.submit())
    assert CaseTheme.objects.filter(case=case, log="sin").count() == 1


@submits(LogFilterForm, ReportFilterForm, YearForm)
def test_the_log_report_and_statistics_filters_answer(bu_client):
    form = page_form(bu_client, "/themes/practice/log/rapid_review/")
    form.fill(theme=form.options("theme")[1][0])
    assert form.submit().status_code == 200
    form = page_form(bu_client, "/themes/practice/report/")
    form.fill(log="sin", by="quarter")
    assert form.submit().status_code == 200
    form = page_form(bu_client, "/themes/statistics/")
    form.fill(year=form.options("year")[1][0])
    response = form.submit()
    assert response.status_code == 200 and f"Annual statistics {form['year'][0]}" in response.content.decode()


@submits(LearningRouteForm)
def test_the_business_unit_starts_a_practitioner_learning_event_from_a_case_not_met(bu_client, business_unit):
    case = CaseFactory(stage=Stage.NOT_MET)
    form = page_form(bu_client, f"/themes/learning/cases/{case.pk}/route/")
    form.fill(kind="practitioner_event", title="Practitioner event", owner=business_unit,
              date=datetime.date.today() + datetime.timedelta(days=7), audience="Health visitors",
              outputs="A shared chronology.")
    response = accepted(form.submit())
    item = LearningItem.objects.get(kind="practitioner_event")
    assert item.case == case and item.owner == business_unit and item.outputs == "A shared chronology."
    page = bu_client.get(response.url).content.decode()
    assert case.reference in page and "Add an action from this learning route" in page
