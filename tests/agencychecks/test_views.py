"""The pages: who may open what, completing a form in the browser's way, bad input, the pack and its PDF."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

import panels.selectors
from agencychecks import selectors, services
from agencychecks.models import AgencyCheckForm, ChronologyEntry, FormStatus
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessLog
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_start
from rapidreview.clocks.tasks import run_sweep
from rapidreview.notifications.models import Notification
from rapidreview.pdf import Marking
from tests.factories import AgencyFactory, make_user
from tests.pdfs import assert_pdf_of_record, pdf_text

from .factories import AgencyCheckFormFactory, complete_form, declare_conflict, glossary_term, issuable, make_lead

FORM_URLS = ["agencychecks:form", "agencychecks:check", "agencychecks:versions", "agencychecks:return"]


@pytest.fixture
def forms(case, business_unit, health_lead, school_lead):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    return {f.agency.name: f for f in services.forms_issue(case=case, agencies=issuable(case), due_on=latest,
                                                            actor=business_unit)}


@pytest.fixture
def health_form(forms):
    return forms["Example Health Trust"]


@pytest.fixture
def school_form(forms):
    return forms["Example Primary School"]


def _url(name, form, *args):
    return reverse(name, args=[form.pk, *args])


# --- access --------------------------------------------------------------------------------------------------
def test_agency_lead_cannot_open_another_agencys_form(client, health_lead, school_form):
    client.force_login(health_lead)
    for name in FORM_URLS:
        assert client.get(_url(name, school_form)).status_code in (403, 404), name
    assert client.get(_url("agencychecks:form", school_form)).status_code == 404
    assert client.get(_url("agencychecks:section", school_form, "analysis")).status_code == 404
    assert client.post(_url("agencychecks:section", school_form, "analysis"), {"analysis": "x"}).status_code == 404
    assert client.post(_url("agencychecks:check", school_form)).status_code == 404
    assert AgencyCheckForm.objects.get(pk=school_form.pk).analysis == ""


def test_agency_lead_gets_404_for_a_guessed_identifier(client, health_lead, forms):
    client.force_login(health_lead)
    assert client.get(reverse("agencychecks:form", args=[uuid.uuid4()])).status_code == 404


def test_agency_lead_sees_only_their_agencys_forms_in_the_list(client, health_lead, forms):
    client.force_login(health_lead)
    page = client.get(reverse("agencychecks:index")).content.decode()
    assert "Example Health Trust" in page or forms["Example Health Trust"].case.reference in page
    assert str(forms["Example Primary School"].pk) not in page
    assert str(forms["Example Health Trust"].pk) in page


def test_agency_lead_sees_the_minimal_case_summary_on_their_form(client, health_lead, health_form):
    client.force_login(health_lead)
    page = client.get(_url("agencychecks:form", health_form)).content.decode()
    case = health_form.case
    for text in (case.child_first_name, case.child_last_name, "14 June 2019", "12 Example Street", "Dana Ashgrove",
                 "Found injured at home."):
        assert text in page
    assert AccessLog.objects.filter(object_id=str(health_form.pk), case_id=case.pk).exists()


def test_agency_lead_cannot_open_the_case_board_or_issue_or_qa(client, health_lead, health_form):
    client.force_login(health_lead)
    case = health_form.case
    assert client.get(reverse("agencychecks:board", args=[case.pk])).status_code == 403
    assert client.get(reverse("agencychecks:issue", args=[case.pk])).status_code == 403
    assert client.post(_url("agencychecks:accept", health_form)).status_code == 403
    assert client.get(reverse("agencychecks:pack", args=[case.pk])).status_code == 403


def test_a_panel_member_without_another_role_cannot_list_forms(client, panel_member, health_form):
    client.force_login(panel_member)
    assert client.get(reverse("agencychecks:index")).status_code == 403
    assert client.get(_url("agencychecks:form", health_form)).status_code == 403


def test_wrong_methods_are_refused(bu_client, health_form):
    assert bu_client.get(_url("agencychecks:accept", health_form)).status_code == 405
    assert bu_client.post(reverse("agencychecks:index")).status_code == 405
    assert bu_client.post(reverse("agencychecks:pack", args=[health_form.case_id])).status_code == 405
    term = glossary_term("XYZ", "ex why zed")
    assert bu_client.get(reverse("agencychecks:glossary_delete", args=[term.pk])).status_code == 405


# --- issuing -------------------------------------------------------------------------------------------------
def test_business_unit_issues_forms_from_the_page_with_the_default_due_date(bu_client, case, health_lead,
                                                                           school_lead):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    response = bu_client.post(reverse("agencychecks:issue", args=[case.pk]),
                              {"agencies": [str(a.pk) for a in issuable(case)],
                               "due_on_0": latest.day, "due_on_1": latest.month, "due_on_2": latest.year})
    assert response.status_code == 302
    assert AgencyCheckForm.objects.filter(case=case, due_on=latest).count() == 2


def test_the_issue_page_warns_about_an_agency_with_no_safeguarding_lead(bu_client, case, health_lead):
    page = " ".join(bu_client.get(reverse("agencychecks:issue", args=[case.pk])).content.decode().split())
    assert "Example Primary School has no safeguarding lead in the partnerships of this case" in page
    assert "Example Health Trust has no" not in page and "Example Health Trust and" not in page
    make_lead(case.involved_agencies.get(name="Example Primary School"))
    page = bu_client.get(reverse("agencychecks:issue", args=[case.pk])).content.decode()
    assert "no safeguarding lead in the partnerships" not in page


def test_a_due_date_out_of_range_on_the_issue_page_gives_an_error_and_keeps_it(bu_client, case):
    response = bu_client.post(reverse("agencychecks:issue", args=[case.pk]),
                              {"due_on_0": "1", "due_on_1": "1", "due_on_2": "2020"})
    assert response.status_code == 200
    assert "Due date must be between" in response.content.decode()
    assert 'value="2020"' in response.content.decode()
    assert not AgencyCheckForm.objects.exists()


def test_a_due_date_after_the_day_before_the_panel_needs_confirming(bu_client, case, panel):
    from django.utils import timezone

    from rapidreview.workdays import add_working_days

    panel.meeting_at = timezone.make_aware(datetime.datetime.combine(
        add_working_days(timezone.localdate(), 6, partnership=case.partnership), datetime.time(10)))
    panel.save()
    _, latest = services.due_date_bounds(partnership=case.partnership)
    data = {"agencies": [str(a.pk) for a in issuable(case)],
            "due_on_0": latest.day, "due_on_1": latest.month, "due_on_2": latest.year}
    response = bu_client.post(reverse("agencychecks:issue", args=[case.pk]), data)
    assert "confirm the forms will arrive late" in response.content.decode()
    response = bu_client.post(reverse("agencychecks:issue", args=[case.pk]), {**data, "confirm_late": "on"})
    assert response.status_code == 302


# --- completing ----------------------------------------------------------------------------------------------
def _date(prefix, d):
    return {f"{prefix}_0": d.day, f"{prefix}_1": d.month, f"{prefix}_2": d.year}


def _chronology(rows, initial=0):
    data = {"chronology-TOTAL_FORMS": len(rows), "chronology-INITIAL_FORMS": initial,
            "chronology-MIN_NUM_FORMS": 0, "chronology-MAX_NUM_FORMS": 1000}
    for i, row in enumerate(rows):
        data.update({f"chronology-{i}-{k}": v for k, v in row.items()})
    return data


def test_two_leads_complete_and_submit_their_forms_through_the_pages(client, health_lead, health_form):
    client.force_login(health_lead)
    section = lambda key: _url("agencychecks:section", health_form, key)  # noqa: E731
    steps = [
        ("involvement", {"involved_choice": "yes", **_date("involvement_from", datetime.date(2023, 1, 5)),
                         "involvement_ongoing": "on", "involvement_summary": "Health visiting from birth."}),
        ("chronology", _chronology([{**_date("date", datetime.date(2023, 2, 1)), "contact_type": "home_visit",
                                     "practitioner_role": "Health visitor",
                                     "summary": "The child was seen at home and was well."}])),
        ("analysis", {"analysis": "Visits were regular.", "went_well": "Regular visits.",
                      "could_be_better": "Sharing with the nursery.", "prevention": "A shared record."}),
        ("themes", {"themes_other": "Missed appointments", "themes_in_other_cases": "Yes, in two others."}),
        ("learning", {"good_practice": "Follow-up.", "improvement_areas": "Sharing.", "immediate_actions": "None.",
                      "agency_learning": "Missed appointments matter."}),
        ("signoff", {"author_name": "Hana Health", "author_role": "Named nurse", "manager_name": "Mo Manager",
                     "manager_role": "Head of safeguarding", **_date("manager_signed_on", datetime.date(2024, 1, 2))}),
    ]
    for key, data in steps:
        response = client.post(section(key), {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    assert response["Location"] == _url("agencychecks:check", health_form)
    assert client.get(response["Location"]).status_code == 200
    response = client.post(_url("agencychecks:check", health_form))
    assert response.status_code == 200 and "Form submitted" in response.content.decode()
    health_form.refresh_from_db()
    assert health_form.status == FormStatus.SUBMITTED
    assert health_form.chronology.count() == 1


def test_saving_a_draft_returns_to_the_task_list_and_keeps_the_text(client, health_lead, health_form):
    client.force_login(health_lead)
    response = client.post(_url("agencychecks:section", health_form, "analysis"),
                           {"analysis": "Half a thought", "action": "draft"})
    assert response["Location"] == _url("agencychecks:form", health_form)
    health_form.refresh_from_db()
    assert (health_form.analysis, health_form.status) == ("Half a thought", FormStatus.DRAFT)


def test_writing_assistant_notes_appear_next_to_the_field_on_save(client, health_lead, health_form):
    client.force_login(health_lead)
    url = _url("agencychecks:section", health_form, "analysis")
    response = client.post(url, {"analysis": "Referred to the MASH.\n14:32 JB rang", "action": "continue"})
    assert response["Location"] == url  # kept on the page to read the notes
    page = client.get(url).content.decode()
    assert "Writing assistant" in page and "“MASH” is an acronym" in page and "like a case note" in page


def test_check_answers_blocks_submission_while_acronyms_remain(client, health_lead, health_form):
    complete_form(health_form, went_well="The CSC team helped.")
    client.force_login(health_lead)
    response = client.post(_url("agencychecks:check", health_form))
    assert response.status_code == 400
    assert "“CSC” is an acronym" in response.content.decode()
    health_form.refresh_from_db()
    assert health_form.status == FormStatus.ISSUED


BAD_INPUT = [
    ("involvement", {"involved_choice": "maybe"}, "involved_choice", "maybe"),
    ("involvement", {"involved_choice": "yes", "involvement_from_0": "31", "involvement_from_1": "2",
                     "involvement_from_2": "2023"}, "involvement_from", 'value="31"'),
    ("involvement", {"involved_choice": "yes", **_date("involvement_from", datetime.date(2023, 5, 1)),
                     **_date("involvement_to", datetime.date(2023, 1, 1))}, "involvement_to", "must be the same as"),
    ("involvement", {"involved_choice": "yes", **_date("involvement_from", datetime.date(2099, 5, 1))},
     "involvement_from", "must be today or in the past"),
    ("involvement", {"involved_choice": "no", "no_involvement_note": "x" * 10001}, "no_involvement_note",
     "10,000 characters"),
    ("involvement", {"involved_choice": "yes", "involvement_summary": "y" * 10001}, "involvement_summary",
     "10,000 characters"),
    ("analysis", {"analysis": "a" * 10001, "went_well": "kept words"}, "analysis", "kept words"),
    ("analysis", {"went_well": "w" * 10001, "analysis": "kept words"}, "went_well", "kept words"),
    ("analysis", {"could_be_better": "c" * 10001, "analysis": "kept words"}, "could_be_better", "kept words"),
    ("analysis", {"prevention": "p" * 10001, "analysis": "kept words"}, "prevention", "kept words"),
    ("themes", {"themes": ["Not a theme"], "themes_other": "kept words"}, "themes", "kept words"),
    ("themes", {"themes_other": "t" * 10001, "themes_in_other_cases": "kept words"}, "themes_other", "kept words"),
    ("themes", {"themes_in_other_cases": "t" * 10001, "themes_other": "kept words"}, "themes_in_other_cases",
     "kept words"),
    ("learning", {"good_practice": "g" * 10001, "agency_learning": "kept words"}, "good_practice", "kept words"),
    ("learning", {"improvement_areas": "i" * 10001, "agency_learning": "kept words"}, "improvement_areas",
     "kept words"),
    ("learning", {"immediate_actions": "i" * 10001, "agency_learning": "kept words"}, "immediate_actions",
     "kept words"),
    ("learning", {"agency_learning": "l" * 10001, "good_practice": "kept words"}, "agency_learning", "kept words"),
    ("signoff", {"author_name": "n" * 201, "manager_name": "kept words"}, "author_name", "kept words"),
    ("signoff", {"author_role": "n" * 201, "manager_name": "kept words"}, "author_role", "kept words"),
    ("signoff", {"manager_name": "n" * 201, "author_name": "kept words"}, "manager_name", "kept words"),
    ("signoff", {"manager_role": "n" * 201, "author_name": "kept words"}, "manager_role", "kept words"),
    ("signoff", {"manager_signed_on_0": "40", "manager_signed_on_1": "1", "manager_signed_on_2": "2024",
                 "author_name": "kept words"}, "manager_signed_on", "kept words"),
    ("signoff", {**_date("manager_signed_on", datetime.date(2099, 1, 1)), "author_name": "kept words"},
     "manager_signed_on", "must be today or in the past"),
]


@pytest.mark.parametrize(("key", "data", "field", "kept"), BAD_INPUT)
def test_bad_input_on_every_field_gives_an_error_and_keeps_what_was_typed(client, health_lead, health_form, key,
                                                                         data, field, kept):
    client.force_login(health_lead)
    response = client.post(_url("agencychecks:section", health_form, key), {**data, "action": "continue"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert kept in page
    health_form.refresh_from_db()
    assert health_form.status == FormStatus.ISSUED  # nothing half-saved


@pytest.mark.parametrize(("row", "field"), [
    ({"date_0": "30", "date_1": "2", "date_2": "2023", "contact_type": "home_visit", "practitioner_role": "Nurse",
      "summary": "kept words"}, "date"),
    ({**_date("date", datetime.date(2099, 1, 1)), "contact_type": "home_visit", "practitioner_role": "Nurse",
      "summary": "kept words"}, "date"),
    ({**_date("date", datetime.date(2023, 1, 1)), "contact_type": "teleport", "practitioner_role": "Nurse",
      "summary": "kept words"}, "contact_type"),
    ({**_date("date", datetime.date(2023, 1, 1)), "contact_type": "home_visit", "practitioner_role": "",
      "summary": "kept words"}, "practitioner_role"),
    ({**_date("date", datetime.date(2023, 1, 1)), "contact_type": "home_visit", "practitioner_role": "kept words",
      "summary": ""}, "summary"),
])
def test_bad_chronology_rows_give_an_error_and_keep_what_was_typed(client, health_lead, health_form, row, field):
    client.force_login(health_lead)
    response = client.post(_url("agencychecks:section", health_form, "chronology"),
                           {**_chronology([row]), "action": "continue"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f"#id_chronology-0-{field}" in page
    assert "kept words" in page
    assert not ChronologyEntry.objects.exists()


def test_chronology_rows_can_be_added_and_removed(client, health_lead, health_form):
    client.force_login(health_lead)
    url = _url("agencychecks:section", health_form, "chronology")
    first = {**_date("date", datetime.date(2023, 1, 1)), "contact_type": "home_visit", "practitioner_role": "Nurse",
             "summary": "First visit."}
    response = client.post(url, {**_chronology([first]), "action": "add"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Contact 2" in page
    entry = health_form.chronology.get()
    second = {**_date("date", datetime.date(2023, 3, 1)), "contact_type": "telephone", "practitioner_role": "Nurse",
              "summary": "A call."}
    client.post(url, {**_chronology([{**first, "id": entry.pk, "DELETE": "on"}, second], initial=1),
                      "action": "draft"})
    assert list(health_form.chronology.values_list("summary", flat=True)) == ["A call."]


def test_the_lead_cannot_edit_a_submitted_form(client, health_lead, health_form):
    complete_form(health_form)
    services.form_submit(form=health_form, actor=health_lead)
    client.force_login(health_lead)
    response = client.post(_url("agencychecks:section", health_form, "analysis"), {"analysis": "changed"})
    assert response.status_code == 302
    health_form.refresh_from_db()
    assert health_form.analysis != "changed"


# --- quality assurance and versions --------------------------------------------------------------------------
def test_business_unit_returns_one_form_and_accepts_the_other_and_the_returned_one_is_fixed(
        client, bu_client, health_lead, school_lead, health_form, school_form):
    for form, lead in ((health_form, health_lead), (school_form, school_lead)):
        complete_form(form)
        services.form_submit(form=form, actor=lead)
    response = bu_client.post(_url("agencychecks:return", health_form),
                              {"comment_analysis": "Say why the visits stopped.", "note": ""})
    assert response.status_code == 302
    assert bu_client.post(_url("agencychecks:accept", school_form)).status_code == 302
    client.force_login(health_lead)
    page = client.get(_url("agencychecks:form", health_form)).content.decode()
    assert "Returned for changes" in page and "Say why the visits stopped." in page
    section_page = client.get(_url("agencychecks:section", health_form, "analysis")).content.decode()
    assert "Say why the visits stopped." in section_page
    assert "The health visitor noticed the missed appointments" in section_page  # the content is kept
    client.post(_url("agencychecks:section", health_form, "analysis"),
                {"analysis": "The visits stopped when the family moved away.", "went_well": "Early contact.",
                 "could_be_better": "Sharing.", "prevention": "A shared record.", "action": "continue"})
    assert "Form submitted" in client.post(_url("agencychecks:check", health_form)).content.decode()
    compare = bu_client.get(_url("agencychecks:versions", health_form) + "?a=1&b=2").content.decode()
    assert '<del class="app-diff__del">' in compare and '<ins class="app-diff__ins">' in compare
    assert "moved</ins>" in compare


def test_returning_without_a_comment_gives_an_error(bu_client, health_lead, health_form):
    complete_form(health_form)
    services.form_submit(form=health_form, actor=health_lead)
    response = bu_client.post(_url("agencychecks:return", health_form), {"note": "kept note"})
    assert response.status_code == 200
    assert "Comment on at least one section" in response.content.decode()
    assert "kept note" in response.content.decode()


def test_versions_page_answers_404_before_any_submission(bu_client, health_form):
    assert bu_client.get(_url("agencychecks:versions", health_form)).status_code == 404


# --- the pack ------------------------------------------------------------------------------------------------
def _accept_all(forms_, leads, business_unit):
    for form, lead in zip(forms_, leads, strict=True):
        complete_form(form, analysis=f"Analysis written by {form.agency.name}.")
        services.form_submit(form=form, actor=lead)
        services.form_accept(form=form, actor=business_unit)


def test_panel_member_opens_the_pack_only_after_distribution_and_a_conflicted_member_never(
        client, business_unit, health_lead, school_lead, health_form, school_form, panel, panel_member):
    from panels.models import PanelInvitation

    _accept_all([health_form, school_form], [health_lead, school_lead], business_unit)
    url = reverse("agencychecks:pack", args=[panel.case_id])
    client.force_login(panel_member)
    assert client.get(url).status_code == 404
    services.pack_distribute(case=panel.case, actor=business_unit)
    page = client.get(url).content.decode()
    assert "Analysis written by Example Health Trust." in page and "Analysis written by Example Primary School." in page
    conflicted = make_user(Role.PANEL_MEMBER)
    PanelInvitation.objects.create(panel=panel, user=conflicted)
    declare_conflict(panel.case, conflicted)
    client.force_login(conflicted)
    assert client.get(url).status_code == 404
    assert client.get(reverse("agencychecks:pack_pdf", args=[panel.case_id])).status_code == 404


def test_a_business_unit_member_with_a_declared_conflict_cannot_open_the_pack(
        client, business_unit, health_lead, school_lead, health_form, school_form, panel):
    _accept_all([health_form, school_form], [health_lead, school_lead], business_unit)
    services.pack_distribute(case=panel.case, actor=business_unit)
    conflicted = make_user(Role.BUSINESS_UNIT)
    declare_conflict(panel.case, conflicted)
    client.force_login(conflicted)
    assert client.get(reverse("agencychecks:pack", args=[panel.case_id])).status_code == 404
    assert client.get(reverse("agencychecks:pack_pdf", args=[panel.case_id])).status_code == 404
    assert set(AccessLog.objects.filter(user=conflicted).values_list("action", flat=True)) == {"denied"}
    client.force_login(business_unit)
    assert client.get(reverse("agencychecks:pack", args=[panel.case_id])).status_code == 200


def test_the_pack_rule_reads_conflicts_from_panels_itself():
    """No fallback that answers "not conflicted" when panels cannot be read: the pack uses panels' own rule."""
    assert selectors.is_conflicted is panels.selectors.is_conflicted
    assert selectors.case_panel_members is panels.selectors.case_panel_members


def test_the_pack_pdf_holds_every_accepted_forms_text(bu_client, business_unit, health_lead, school_lead,
                                                      health_form, school_form, django_capture_on_commit_callbacks):
    _accept_all([health_form, school_form], [health_lead, school_lead], business_unit)
    case = health_form.case
    with django_capture_on_commit_callbacks(execute=True):  # "being prepared"; the task renders it at commit
        assert "The pack is being prepared" in bu_client.get(
            reverse("agencychecks:pack_pdf", args=[health_form.case_id])).content.decode()
    response = bu_client.get(reverse("agencychecks:pack_pdf", args=[health_form.case_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="rapid-review-panel-pack-{case.reference}.pdf"'
    assert_pdf_of_record(response.content, marking=Marking.OFFICIAL_SENSITIVE,
                         title=f"Agency check forms for the rapid review panel, case {case.reference}")
    text = pdf_text(response.content)
    assert "Contents" in text
    for form in (health_form, school_form):
        assert form.agency.name in text
        assert f"Analysis written by {form.agency.name}." in text
    assert "The health visitor saw the child at home" in text
    assert AccessLog.objects.filter(action="pdf", case_id=health_form.case_id).count() == 1


# --- lists: a constant number of queries ---------------------------------------------------------------------
def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lead_list_makes_the_same_number_of_queries_at_two_forms_and_at_many(client, business_unit):
    from .factories import AgencyCheckCaseFactory as CaseFactory

    agency = AgencyFactory(name="Counting Agency")
    lead = make_lead(agency)
    client.force_login(lead)
    url = reverse("agencychecks:index")
    counts = []
    for total in (2, 12):
        while AgencyCheckForm.objects.filter(agency=agency).count() < total:
            AgencyCheckFormFactory(case=CaseFactory(), agency=agency, issued_by=business_unit)
        client.get(url)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1]


def test_the_business_unit_list_and_board_make_the_same_number_of_queries_at_two_forms_and_at_many(
        bu_client, business_unit, case):
    counts = {"index": [], "board": []}
    bu_client.get(reverse("agencychecks:index"))  # the first request of a session chooses its partnership
    for total in (2, 12):
        i = AgencyCheckForm.objects.filter(case=case).count()
        while i < total:
            form = AgencyCheckFormFactory(case=case, agency=AgencyFactory(name=f"Counted {i}"),
                                          issued_by=business_unit)
            if i % 2:
                complete_form(form)
                services.form_submit(form=form, actor=business_unit)
            i += 1
        counts["index"].append(_queries(bu_client, reverse("agencychecks:index")))
        counts["board"].append(_queries(bu_client, reverse("agencychecks:board", args=[case.pk])))
    assert counts["index"][0] == counts["index"][1]
    assert counts["board"][0] == counts["board"][1]


# --- reminders through the clocks sweep ----------------------------------------------------------------------
def test_each_reminder_is_sent_exactly_once_and_overdue_ones_reach_the_agencys_panel_member(
        case, business_unit, health_lead, panel, panel_member, django_capture_on_commit_callbacks):
    school = AgencyFactory(name="Lonely School")
    form = AgencyCheckFormFactory(case=case, agency=case.involved_agencies.get(name="Example Health Trust"),
                                  issued_by=business_unit, due_on=datetime.date(2027, 3, 10))
    AgencyCheckFormFactory(case=case, agency=school, issued_by=business_unit)
    clock_start(kind=ClockKind.AGENCY_FORM, subject=form, start=datetime.date(2027, 3, 1),
                due=datetime.date(2027, 3, 10), case_id=case.pk, partnership=case.partnership,
                label="Example Health Trust")
    make_user(Role.RR_CHAIR, email="chair@rr.test")
    day = datetime.date(2027, 3, 1)
    while day <= datetime.date(2027, 3, 31):
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
            for _ in range(2):
                with django_capture_on_commit_callbacks(execute=True):
                    run_sweep()
        day += datetime.timedelta(days=1)
    sent = list(Notification.objects.filter(related_id=form.pk).order_by("created_at")
                .values_list("kind", "to_email"))
    assert sent.count(("clocks.before", "hana@health.test")) == 1
    assert sent.count(("clocks.due", "hana@health.test")) == 1
    assert sent.count(("clocks.overdue", "hana@health.test")) == 1
    assert sent.count(("clocks.overdue", "pat@panel.test")) == 1
    assert ("clocks.before", "pat@panel.test") not in sent
    assert sent.count(("clocks.escalate_chair", "chair@rr.test")) == 1
    to_member = sum(1 for _, to in sent if to == "pat@panel.test")
    assert len([m for m in mail.outbox if "pat@panel.test" in m.to]) == to_member


# --- the shell: case page, dashboard cards, navigation -------------------------------------------------------
def test_the_case_page_shows_the_form_board_in_brief_and_the_task_rows(bu_client, health_form, health_lead):
    complete_form(health_form)
    services.form_submit(form=health_form, actor=health_lead)
    page = bu_client.get(reverse("referrals:case_detail", args=[health_form.case_id])).content.decode()
    assert reverse("agencychecks:board", args=[health_form.case_id]) in page
    assert "Submitted</strong> 1" in page and "Issued</strong> 1" in page
    assert "Quality-assure agency check forms" in page and "Distribute the pack to the panel" in page


def test_dashboard_cards_show_forms_due_to_the_lead_and_forms_to_check_to_the_business_unit(
        client, business_unit, health_lead, school_lead, school_form, health_form):
    complete_form(health_form)
    services.form_submit(form=health_form, actor=health_lead)
    client.force_login(school_lead)
    page = client.get(reverse("home")).content.decode()
    assert "Agency check forms due" in page and str(school_form.pk) in page
    assert "Agency checks" in page  # navigation
    client.force_login(business_unit)
    page = client.get(reverse("home")).content.decode()
    assert "awaiting quality assurance (1)" in page and str(health_form.pk) in page


def test_saving_the_chronology_with_its_blank_first_row_saves_nothing_and_moves_on(client, health_lead, health_form):
    client.force_login(health_lead)
    blank = {"date_0": "", "date_1": "", "date_2": "", "contact_type": "", "practitioner_role": "", "summary": ""}
    response = client.post(_url("agencychecks:section", health_form, "chronology"),
                           {**_chronology([blank]), "action": "continue"})
    assert response.status_code == 302
    assert not ChronologyEntry.objects.exists()


def test_quality_assurance_shows_how_often_the_forms_themes_recur_in_other_cases(client, health_lead, health_form):
    from referrals.models import Stage
    from themes.models import Theme, ThemeLog
    from themes.services import case_log_themes

    from .factories import AgencyCheckCaseFactory as CaseFactory

    neglect = Theme.objects.get(name__iexact="Neglect")
    bu = make_user(Role.BUSINESS_UNIT)
    earlier = CaseFactory(stage=Stage.CLOSED)
    case_log_themes(case=earlier, themes=[neglect], log=ThemeLog.RAPID_REVIEW, actor=bu)
    complete_form(health_form, themes=[neglect.name])
    services.form_submit(form=health_form, actor=health_lead)
    client.force_login(bu)
    page = client.get(_url("agencychecks:form", health_form)).content.decode()
    assert "The agency&#x27;s themes in other cases" in page or "The agency's themes in other cases" in page
    assert "Recorded on 1 other case since" in page and earlier.reference in page


def test_the_forms_list_is_paged_so_a_national_installation_stays_fast(client, health, health_lead):
    from agencychecks.views.lists import PAGE_SIZE

    bu = make_user(Role.BUSINESS_UNIT)
    AgencyCheckFormFactory.create_batch(PAGE_SIZE + 3, agency=health, issued_by=bu)
    client.force_login(health_lead)
    first = client.get(reverse("agencychecks:index")).content.decode()
    assert "Page 1 of 2" in first and first.count('<tr class="govuk-table__row">') == PAGE_SIZE + 1
    second = client.get(reverse("agencychecks:index") + "?page=2").content.decode()
    assert "Page 2 of 2" in second and second.count('<tr class="govuk-table__row">') == 3 + 1


def test_the_forms_list_scrolls_sideways_in_a_region_named_after_its_caption(client, health, health_lead):
    AgencyCheckFormFactory(agency=health, issued_by=make_user(Role.BUSINESS_UNIT))
    client.force_login(health_lead)
    page = client.get(reverse("agencychecks:index")).content.decode()
    assert '<div class="app-table-scroll" role="region" aria-label="Your agency\'s forms" tabindex="0">' in page


def test_comparing_versions_matches_contacts_by_identity_and_keeps_them_in_their_section(
        bu_client, health_lead, health_form):
    from agencychecks.compare import compare_snapshots
    from agencychecks.models import ContactType

    complete_form(health_form)
    ChronologyEntry.objects.create(form=health_form, date=datetime.date(2023, 3, 1), contact_type=ContactType.OTHER,
                                   summary="A call to the nursery.", practitioner_role="Health visitor")
    services.form_submit(form=health_form, actor=health_lead)
    services.form_return(form=health_form, actor=make_user(Role.BUSINESS_UNIT),
                         comments={"chronology": "Add the January visit."})
    ChronologyEntry.objects.create(form=health_form, date=datetime.date(2023, 1, 5),
                                   contact_type=ContactType.HOME_VISIT, summary="New birth visit.",
                                   practitioner_role="Health visitor")
    services.form_submit(form=health_form, actor=health_lead)
    v1, v2 = (v.snapshot for v in health_form.versions.order_by("number"))
    rows = compare_snapshots(v1, v2)
    contacts = [r for r in rows if r["section"] == "Chronology of contacts"]
    assert [(r["label"], r["changed"]) for r in contacts] == [
        ("Contact 1 (added)", True), ("Contact 2 (was contact 1)", False), ("Contact 3 (was contact 2)", False)]
    assert not [r for r in rows if r["changed"] and r["section"] != "Chronology of contacts"]
    sections = [r["section"] for r in rows]
    assert sections.index("Author and manager's sign-off") > max(
        i for i, s in enumerate(sections) if s == "Chronology of contacts")
    assert rows[-1]["section"] == "Author and manager's sign-off"
    page = bu_client.get(_url("agencychecks:versions", health_form) + "?a=1&b=2").content.decode()
    assert page.count("govuk-tag--yellow\">Changed") == 1
    assert page.rindex("Contact 3") < page.index("Author and manager&#x27;s sign-off")
