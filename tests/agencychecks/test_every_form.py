"""Every form of the agency checks, submitted as its page rendered it (tests/forms_as_rendered.py)."""

import datetime

import pytest

from agencychecks import services
from agencychecks.forms.completing import (
    AnalysisForm,
    ChronologyEntryForm,
    InvolvementForm,
    LearningForm,
    SignoffForm,
    ThemesForm,
)
from agencychecks.forms.glossary import GlossaryTermForm
from agencychecks.forms.issue import IssueForm
from agencychecks.forms.pack import DistributeForm
from agencychecks.forms.review import AcceptForm, ReturnForm
from agencychecks.models import AgencyCheckForm, FormStatus, GlossaryTerm
from tests.forms_as_rendered import accepted, page_form, submits

from .factories import complete_form, issuable

pytestmark = pytest.mark.django_db


@submits(IssueForm, InvolvementForm, ChronologyEntryForm, AnalysisForm, ThemesForm, LearningForm, SignoffForm)
def test_the_business_unit_issues_forms_and_a_lead_completes_every_section(client, bu_client, case, health_lead,
                                                                           school_lead):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    form = page_form(bu_client, f"/agency-checks/cases/{case.pk}/issue/")
    assert (form["due_on_0"], form["due_on_1"], form["due_on_2"]) == (str(latest.day), str(latest.month),
                                                                      str(latest.year))
    accepted(form.submit())
    check = AgencyCheckForm.objects.get(case=case, agency=health_lead.agency)

    client.force_login(health_lead)
    section = f"/agency-checks/forms/{check.pk}/sections"
    steps = {
        "involvement": {"involved_choice": "yes", "involvement_from": datetime.date(2023, 1, 5),
                        "involvement_ongoing": True, "involvement_summary": "Health visiting from birth."},
        "analysis": {"analysis": "Visits were regular.", "went_well": "Regular visits.",
                     "could_be_better": "Sharing with the nursery.", "prevention": "A shared record."},
        "themes": {"themes_other": "Missed appointments", "themes_in_other_cases": "Yes, in two others."},
        "learning": {"good_practice": "Follow-up.", "improvement_areas": "Sharing.", "immediate_actions": "None.",
                     "agency_learning": "Missed appointments matter."},
        "signoff": {"author_name": "Hana Health", "author_role": "Named nurse", "manager_name": "Mo Manager",
                    "manager_role": "Head of safeguarding", "manager_signed_on": datetime.date(2024, 1, 2)},
    }
    for key in ("involvement", "chronology", "analysis", "themes", "learning", "signoff"):
        form = page_form(client, f"{section}/{key}/")
        if key == "chronology":
            row = next(name.removesuffix("-summary") for name in form.names() if name.endswith("-summary"))
            form.fill(**{f"{row}-date": datetime.date(2023, 2, 1), f"{row}-contact_type": "home_visit",
                         f"{row}-practitioner_role": "Health visitor",
                         f"{row}-summary": "The child was seen at home and was well."})
        else:
            form.fill(**steps[key])
        accepted(form.submit("Save and continue"))
    response = page_form(client, f"/agency-checks/forms/{check.pk}/check/", action="").submit()
    assert response.status_code == 200 and "Form submitted" in response.content.decode()
    check.refresh_from_db()
    assert check.status == FormStatus.SUBMITTED and check.chronology.count() == 1


@submits(ReturnForm, AcceptForm, DistributeForm)
def test_the_business_unit_returns_one_form_accepts_another_and_distributes_the_pack(
        bu_client, business_unit, case, health_lead, school_lead, panel):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    for check in services.forms_issue(case=case, agencies=issuable(case), due_on=latest, actor=business_unit):
        complete_form(check)
        services.form_submit(form=check, actor=health_lead if check.agency == health_lead.agency else school_lead)
    health = AgencyCheckForm.objects.get(case=case, agency=health_lead.agency)
    school = AgencyCheckForm.objects.get(case=case, agency=school_lead.agency)
    accepted(page_form(bu_client, f"/agency-checks/forms/{health.pk}/return/").fill(
        comment_analysis="Say why the visits stopped.").submit())
    accepted(page_form(bu_client, f"/agency-checks/forms/{school.pk}/",
                       action=f"/agency-checks/forms/{school.pk}/accept/").submit())
    school.refresh_from_db()
    assert school.status == FormStatus.ACCEPTED
    form = page_form(bu_client, f"/agency-checks/cases/{case.pk}/distribute/")
    accepted(form.fill(reason="The health form is late; the panel is tomorrow").submit())


@submits(GlossaryTermForm)
def test_the_business_unit_adds_and_changes_a_glossary_term(bu_client):
    accepted(page_form(bu_client, "/agency-checks/glossary/add/").fill(term="MASH", expansion="Multi-Agency "
                                                                       "Safeguarding Hub").submit())
    term = GlossaryTerm.objects.get(term="MASH")
    accepted(page_form(bu_client, f"/agency-checks/glossary/{term.pk}/change/").fill(allowed=True).submit())
    term.refresh_from_db()
    assert term.allowed
