"""Education is a relevant agency (SI 2018/789, Schedule; Children's Wellbeing and Schools Act 2026 s2 once
commenced): a school gets a check form and sits on the panel like any agency, and whether education is a mandatory
participant is the partnership's own setting, never a hard-coded rule."""

import datetime

import pytest

from agencychecks.services import forms_issue
from panels import services
from rapidreview.accounts.models import AgencyType, Partnership, Role
from tests.factories import AgencyFactory, make_user

from .factories import make_member


@pytest.fixture
def school(case):
    agency = AgencyFactory(name="Mile End Green Primary School", type=AgencyType.EDUCATION, statutory_partner="")
    case.partnership.agencies.add(agency)
    return agency


def _education_mandatory(case, on=True):
    Partnership.objects.filter(pk=case.partnership_id).update(education_mandatory=on)


def test_a_school_with_no_statutory_partner_gets_a_check_form_and_a_seat_on_the_panel(case, members, bu, school):
    make_user(Role.AGENCY_LEAD, agency=school, full_name="Sally School")
    forms = forms_issue(case=case, agencies=[school], due_on=datetime.date(2026, 3, 12), actor=bu)
    assert [f.agency for f in forms] == [school]
    teacher = make_member(core=False, title="Designated Safeguarding Lead", agency=school, full_name="Tess Teacher")
    panel = services.panel_set_up(case=case, invitee_ids=[teacher.pk], actor=bu)
    assert panel.invitations.filter(user=teacher, agency=school).exists()


def test_the_panel_page_warns_when_the_partnership_expects_education_and_none_takes_part(client, panel, bu):
    client.force_login(bu)
    url = f"/panels/case/{panel.case_id}/"
    assert 'id="education-missing"' not in client.get(url).content.decode(), "the setting is off by default"
    _education_mandatory(panel.case)
    assert 'id="education-missing"' in client.get(url).content.decode()


def test_no_warning_once_an_education_agency_is_involved(client, panel, bu, school):
    _education_mandatory(panel.case)
    panel.case.involved_agencies.add(school)
    client.force_login(bu)
    assert 'id="education-missing"' not in client.get(f"/panels/case/{panel.case_id}/").content.decode()
