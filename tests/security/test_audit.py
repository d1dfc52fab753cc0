"""The access log, denied attempts, the audit page, case history, retention, legal holds and subject access."""

import datetime
import io
import json
import logging
import zipfile

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction, AccessLog, LegalHold, RetentionAction
from rapidreview.audit.services import access_log
from tests.factories import default_partnership, make_user

from .matrix import Writes


def _log(user, action=AccessAction.VIEW, path="/x/"):
    class Request:
        pass

    request = Request()
    request.user, request.path, request.META = user, path, {"REMOTE_ADDR": "10.1.2.3"}
    request.partnership = default_partnership()  # what PartnershipMiddleware sets for a request
    return access_log(request, action=action)


# --- The log cannot be changed ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_access_log_cannot_be_changed_or_deleted_through_the_application(bu_user):
    line = _log(bu_user)
    with pytest.raises(PermissionError):
        line.save()
    with pytest.raises(PermissionError):
        line.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=line.pk).update(action=AccessAction.CHANGE)
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()


@pytest.mark.django_db
def test_the_admin_offers_no_way_to_add_change_or_delete_log_lines(client):
    admin = make_user(Role.BUSINESS_UNIT, is_staff=True, is_superuser=True)
    line = _log(admin)
    client.force_login(admin)
    assert client.get(f"/django-admin/audit/accesslog/{line.pk}/delete/").status_code in (302, 403)
    assert client.get("/django-admin/audit/accesslog/add/").status_code == 403
    with Writes() as writes:
        client.post(f"/django-admin/audit/accesslog/{line.pk}/change/", {"action": "change"})
    assert writes.changed == []
    assert AccessLog.objects.get(pk=line.pk).action == AccessAction.VIEW


@pytest.mark.django_db
@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                    reason="the database trigger exists only on PostgreSQL")
def test_postgresql_itself_refuses_to_change_or_delete_log_lines(bu_user):
    from django.db import DatabaseError, transaction

    line = _log(bu_user)
    for sql in ("UPDATE audit_accesslog SET action = 'change' WHERE id = %s",
                "DELETE FROM audit_accesslog WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [line.pk])
    assert AccessLog.objects.get(pk=line.pk).action == AccessAction.VIEW


# --- Denied attempts and personal data -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_refused_page_is_logged_as_denied_with_who_and_from_where(client):
    lead = make_user(Role.AGENCY_LEAD)
    client.force_login(lead)
    assert client.get(reverse("accounts:people"), REMOTE_ADDR="192.0.2.7").status_code == 403
    line = AccessLog.objects.get(action=AccessAction.DENIED)
    assert (line.user, line.path, line.ip_address) == (lead, reverse("accounts:people"), "192.0.2.7")


@pytest.mark.django_db
def test_the_history_page_is_refused_to_other_roles_and_an_unknown_case_answers_404_and_is_logged(client, make_case):
    import uuid

    case = make_case()
    client.force_login(make_user(Role.WORKING_GROUP))
    assert client.get(reverse("audit:case_history", args=[case.pk])).status_code == 403
    chair = make_user(Role.RR_CHAIR)
    client.force_login(chair)
    assert client.get(reverse("audit:case_history", args=[case.pk])).status_code == 200
    assert client.get(reverse("audit:case_history", args=[uuid.uuid4()])).status_code == 404
    assert AccessLog.objects.filter(action=AccessAction.DENIED).count() == 2
    assert AccessLog.objects.filter(action=AccessAction.DENIED, user=chair).count() == 1


@pytest.mark.django_db
def test_log_lines_and_the_access_log_hold_only_the_case_uuid_never_the_childs_name(client, make_case, caplog):
    case = make_case(child_first_name="Zephyrine", child_last_name="Quillfeather")
    client.force_login(make_user(Role.BUSINESS_UNIT))
    with caplog.at_level(logging.DEBUG):
        client.get(reverse("audit:case_history", args=[case.pk]))
        client.get(f"/audit/cases/{case.pk}/no-such-page/")
    everything = caplog.text + " ".join(str(vars(line)) for line in AccessLog.objects.all())
    assert str(case.pk) in everything
    assert "Zephyrine" not in everything and "Quillfeather" not in everything


@pytest.mark.django_db
def test_a_case_url_holds_only_an_opaque_identifier(make_case):
    case = make_case()
    url = reverse("audit:case_history", args=[case.pk])
    assert case.reference not in url and "Zephyrine" not in url and str(case.pk) in url


# --- The audit page --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_only_the_business_unit_sees_the_audit_page(client):
    for role in (Role.RR_CHAIR, Role.AGENCY_LEAD, Role.EXECUTIVE, Role.PANEL_MEMBER):
        client.force_login(make_user(role))
        assert client.get(reverse("audit:log")).status_code == 403
    client.force_login(make_user(Role.BUSINESS_UNIT))
    assert client.get(reverse("audit:log")).status_code == 200


@pytest.mark.django_db
def test_the_audit_page_filters_by_person_action_kind_and_date(client, bu_user):
    someone = make_user(Role.AGENCY_LEAD, full_name="Sam Someone")
    with time_machine.travel("2026-03-02 10:00"):
        _log(someone, AccessAction.EXPORT, "/exported/")
    with time_machine.travel("2026-03-09 10:00"):
        _log(someone, AccessAction.VIEW, "/viewed/")
        _log(bu_user, AccessAction.EXPORT, "/bu-exported/")
    client.force_login(bu_user)
    body = client.get(reverse("audit:log"), {"user": someone.pk, "action": "export"}).content.decode()
    assert "/exported/" in body and "/viewed/" not in body and "/bu-exported/" not in body
    after_5_march = {"date_from_0": "5", "date_from_1": "3", "date_from_2": "2026"}
    body = client.get(reverse("audit:log"), after_5_march).content.decode()
    assert "/viewed/" in body and "/exported/<" not in body
    bad = client.get(reverse("audit:log"), {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    assert bad.status_code == 200 and "must be a real date" in bad.content.decode()


@pytest.mark.django_db
def test_the_audit_page_pages_50_lines_in_a_constant_number_of_queries(client, bu_user, django_assert_max_num_queries):
    client.force_login(bu_user)
    people = [make_user(Role.AGENCY_LEAD) for _ in range(3)]
    for i in range(2):
        _log(people[i % 3])
    client.get(reverse("audit:log"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("audit:log"))
    for i in range(120):
        _log(people[i % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("audit:log"), {"page": 2})
    assert "Page 2 of 3" in response.content.decode()


# --- Case history ---------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_history_page_shows_each_change_with_who_and_the_old_and_new_values(client, make_case, bu_user):
    case = make_case()
    case.pseudonym = "Child Q"
    case._history_user = bu_user
    case.save()
    client.force_login(bu_user)
    body = client.get(reverse("audit:case_history", args=[case.pk])).content.decode()
    assert "Case: changed" in body and "Child Q" in body and "Bea Unit" in body
    assert AccessLog.objects.filter(case_id=case.pk, action=AccessAction.VIEW).exists()


@pytest.mark.django_db
def test_hostile_text_in_a_record_comes_back_escaped_on_the_history_page(client, make_case, bu_user):
    case = make_case(child_last_name="<script>alert(1)</script>")
    case.pseudonym = '"><img src=x onerror=alert(1)>'
    case.save()
    client.force_login(bu_user)
    body = client.get(reverse("audit:case_history", args=[case.pk])).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


# --- Legal hold and retention ----------------------------------------------------------------------------------------

def _closed(make_case, closed_on, **fields):
    return make_case(closed_at=timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(12))),
                     stage="closed", **fields)


@pytest.mark.django_db
def test_retention_dry_run_lists_only_cases_past_their_period_and_changes_nothing(make_case):
    old_not_met = _closed(make_case, datetime.date(2015, 1, 10))
    recent = _closed(make_case, datetime.date(2024, 1, 10))
    young_child = _closed(make_case, datetime.date(2005, 1, 10), sin_notified_on=datetime.date(2004, 6, 1),
                          child_dob=datetime.date(2003, 1, 1))  # 15 years passed, but not yet 25
    old_review = _closed(make_case, datetime.date(2005, 1, 10), sin_notified_on=datetime.date(2004, 6, 1),
                         child_dob=datetime.date(1990, 1, 1))
    out = io.StringIO()
    with time_machine.travel("2026-11-26"):
        call_command("retention_review", stdout=out)
    text = out.getvalue()
    assert old_not_met.reference in text and old_review.reference in text
    assert recent.reference not in text and young_child.reference not in text
    assert "2 case(s) past retention. Dry run" in text
    old_not_met.refresh_from_db()
    assert old_not_met.child_first_name == "Zephyrine"


@pytest.mark.django_db
def test_confirming_anonymises_names_and_the_copies_in_the_change_history_but_keeps_the_reference(make_case):
    case = _closed(make_case, datetime.date(2015, 1, 10), pseudonym="Child R", child_dob=datetime.date(2010, 5, 5))
    with time_machine.travel("2026-11-26"):
        call_command("retention_review", "--confirm", stdout=io.StringIO())
    case.refresh_from_db()
    assert (case.child_first_name, case.child_last_name, case.child_dob) == ("Anonymised", "", None)
    assert case.reference.startswith("SEC-") and case.pseudonym == "Child R" and case.stage == "closed"
    assert not case.history.filter(child_last_name="Quillfeather").exists()
    assert RetentionAction.objects.get(case_id=case.pk).kind == "anonymised"
    with time_machine.travel("2026-11-26"):
        out = io.StringIO()
        call_command("retention_review", stdout=out)
    assert "0 case(s)" in out.getvalue()


@pytest.mark.django_db
def test_a_legal_hold_keeps_a_case_out_of_the_retention_review(client, make_case, bu_user):
    case = _closed(make_case, datetime.date(2015, 1, 10))
    client.force_login(bu_user)
    response = client.post(reverse("audit:legal_hold", args=[case.pk]), {"reason": "Inquest open"})
    assert response.status_code == 302
    assert LegalHold.objects.get(case_id=case.pk).reason == "Inquest open"
    out = io.StringIO()
    with time_machine.travel("2026-11-26"):
        call_command("retention_review", "--confirm", stdout=out)
    case.refresh_from_db()
    assert case.child_first_name == "Zephyrine"
    client.post(reverse("audit:legal_hold_remove", args=[case.pk]))
    assert not LegalHold.objects.exists()


@pytest.mark.django_db
def test_only_the_business_unit_places_a_legal_hold(client, make_case):
    case = make_case()
    default_partnership()  # made on first use; here, before the request
    client.force_login(make_user(Role.RR_CHAIR))
    with Writes() as writes:
        assert client.post(reverse("audit:legal_hold", args=[case.pk]), {"reason": "x"}).status_code == 403
    assert writes.changed == [] and not LegalHold.objects.exists()
    assert client.get(reverse("audit:legal_hold_remove", args=[case.pk])).status_code in (403, 405)


@pytest.mark.django_db
def test_the_weekly_retention_task_emails_the_business_unit_a_count_once(make_case, bu_user,
                                                                         django_capture_on_commit_callbacks):
    from rapidreview.audit.tasks import retention_review

    _closed(make_case, datetime.date(2015, 1, 10), child_first_name="Ottoline")
    with time_machine.travel("2026-11-26"), django_capture_on_commit_callbacks(execute=True):
        assert retention_review.delay().get() == 1
        retention_review.delay().get()
    assert len(mail.outbox) == 1
    assert "1 case(s) past their retention period" in mail.outbox[0].subject
    assert "Ottoline" not in mail.outbox[0].body
    assert "retention-review" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.django_db
def test_the_business_unit_changes_a_retention_period(client, bu_user):
    from rapidreview.audit.models import RecordType, RetentionRule

    rule = RetentionRule.for_type(RecordType.NOT_MET, partnership=default_partnership())
    client.force_login(bu_user)
    assert client.get(reverse("audit:retention")).status_code == 200
    response = client.post(reverse("audit:retention_rule", args=[rule.pk]), {"years_after_closure": "7", "basis": "x"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.years_after_closure == 7
    bad = client.post(reverse("audit:retention_rule", args=[rule.pk]), {"years_after_closure": "seven"})
    assert "govuk-error-summary" in bad.content.decode()


# --- Subject access --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_subject_access_finds_cases_by_name_and_downloads_them_audited(client, make_case, bu_user):
    mine = make_case(child_first_name="Peregrine", child_last_name="Ashdown")
    make_case(child_first_name="Someone", child_last_name="Else")
    client.force_login(bu_user)
    found = client.post(reverse("audit:subject_access"), {"name": "peregrine ashdown"})
    assert mine.reference in found.content.decode() and "1 case found" in found.content.decode()
    download = client.post(reverse("audit:subject_access"), {"name": "peregrine ashdown", "download": "1"})
    assert download["Content-Type"] == "application/zip"
    assert "Peregrine" not in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert set(archive.namelist()) == {f"{mine.reference}.json", "summary.csv", "README.txt"}
    records = json.loads(archive.read(f"{mine.reference}.json"))
    assert records[0]["fields"]["child_first_name"] == "Peregrine"
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, case_id=mine.pk).count() == 1


@pytest.mark.django_db
def test_subject_access_is_for_the_business_unit_only_and_never_by_get_with_a_name(client, make_case):
    default_partnership()  # made on first use; here, before the requests
    for role in (Role.RR_CHAIR, Role.AGENCY_LEAD, Role.EXECUTIVE):
        client.force_login(make_user(role))
        with Writes() as writes:
            assert client.post(reverse("audit:subject_access"), {"name": "Peregrine"}).status_code == 403
        assert writes.changed == []
        assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()
    client.force_login(make_user(Role.BUSINESS_UNIT))
    page = client.get(reverse("audit:subject_access"), {"name": "Peregrine"})
    assert "case found" not in page.content.decode()
