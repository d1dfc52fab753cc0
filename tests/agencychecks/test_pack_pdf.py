"""The pack PDF is prepared by a task and kept until a form changes (ADR 0020).

In tests Celery runs eagerly, but a task queued with ``transaction.on_commit`` runs only when the test's transaction
"commits": ``django_capture_on_commit_callbacks(execute=True)`` plays the worker; without it the task has not run
yet, which is the moment the reader sees "The pack is being prepared"."""

import datetime
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from agencychecks import selectors, services
from agencychecks.models import FormStatus, PackRender
from agencychecks.tasks import render_pack
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessLog
from rapidreview.pdf import Marking
from tests.factories import make_user
from tests.pdfs import assert_pdf_of_record, pdf_text

from .factories import complete_form, declare_conflict, issuable

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms(case, business_unit, health_lead, school_lead):
    _, latest = services.due_date_bounds(partnership=case.partnership)
    return {f.agency.name: f for f in services.forms_issue(case=case, agencies=issuable(case), due_on=latest,
                                                            actor=business_unit)}


def _accept(form, lead, business_unit):
    complete_form(form, analysis=f"Analysis written by {form.agency.name}.")
    services.form_submit(form=form, actor=lead)
    services.form_accept(form=form, actor=business_unit)


@pytest.fixture
def accepted(forms, health_lead, business_unit):
    form = forms["Example Health Trust"]
    _accept(form, health_lead, business_unit)
    return form


@pytest.fixture
def queued_renders(monkeypatch):
    """The render tasks handed to the broker (each still runs, eagerly, when its transaction commits)."""
    calls = []
    original = render_pack.delay
    monkeypatch.setattr(render_pack, "delay", lambda *args: calls.append(args) or original(*args))
    return calls


def _pdf_url(case_id):
    return reverse("agencychecks:pack_pdf", args=[case_id])


def _download(client, case_id, capture):
    """Ask for the PDF as the link on the pack page does; the worker runs whatever the request queued."""
    with capture(execute=True):
        return client.get(_pdf_url(case_id))


def test_the_first_download_shows_the_pack_is_being_prepared_and_a_later_one_gets_the_pdf(
        bu_client, accepted, django_capture_on_commit_callbacks, queued_renders):
    case = accepted.case
    with django_capture_on_commit_callbacks() as queued:  # the worker has not run yet
        waiting = bu_client.get(_pdf_url(case.pk))
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    page = waiting.content.decode()
    assert "The pack is being prepared" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert f'href="{_pdf_url(case.pk)}"' in page and "Try the download again" in page
    assert waiting["Cache-Control"] == "no-store"
    assert queued_renders == []  # queued when the request's transaction commits
    assert not AccessLog.objects.filter(action="pdf").exists()  # nothing was downloaded

    for callback in queued:  # the request's transaction commits: the worker renders the pack
        callback()
    assert len(queued_renders) == 1
    response = bu_client.get(_pdf_url(case.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="rapid-review-panel-pack-{case.reference}.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert_pdf_of_record(response.content, marking=Marking.OFFICIAL_SENSITIVE,
                         title=f"Agency check forms for the rapid review panel, case {case.reference}")
    assert "Analysis written by Example Health Trust." in pdf_text(response.content)
    assert AccessLog.objects.filter(action="pdf", case_id=case.pk).count() == 1


def test_the_stored_pdf_is_served_again_without_rendering_it_again(bu_client, accepted, queued_renders,
                                                                    django_capture_on_commit_callbacks):
    case = accepted.case
    _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    first = _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    second = _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    assert len(queued_renders) == 1
    assert first.content == second.content and second["Content-Type"] == "application/pdf"
    assert PackRender.objects.count() == 1


def test_people_asking_while_it_is_prepared_queue_the_render_once(client, business_unit, accepted, queued_renders,
                                                                  django_capture_on_commit_callbacks):
    chair = make_user(Role.RR_CHAIR)
    for person in (business_unit, chair, business_unit):
        client.force_login(person)
        # Each request commits; the broker holds the task (no worker has taken it yet).
        with mock.patch.object(render_pack, "apply_async"):
            response = _download(client, accepted.case_id, django_capture_on_commit_callbacks)
        assert "The pack is being prepared" in response.content.decode()
    assert len(queued_renders) == 1
    assert PackRender.objects.filter(case=accepted.case, rendered_at=None).count() == 1


def test_accepting_another_form_makes_the_stored_pdf_stale_and_the_new_one_replaces_it(
        bu_client, accepted, forms, school_lead, business_unit, django_capture_on_commit_callbacks):
    case = accepted.case
    _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    old = PackRender.objects.get()
    assert "Example Primary School" not in pdf_text(bu_client.get(_pdf_url(case.pk)).content)

    _accept(forms["Example Primary School"], school_lead, business_unit)
    assert selectors.rendered_pack(case, selectors.pack_fingerprint(case)) is None
    waiting = _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    assert "The pack is being prepared" in waiting.content.decode()

    text = pdf_text(bu_client.get(_pdf_url(case.pk)).content)
    assert "Analysis written by Example Primary School." in text
    assert list(PackRender.objects.values_list("case_id", flat=True)) == [case.pk]  # only the latest is kept
    assert not default_storage.exists(old.file.name)


def test_any_change_to_an_accepted_form_or_its_chronology_changes_the_fingerprint(accepted):
    case = accepted.case
    before = selectors.pack_fingerprint(case)
    accepted.analysis = "Corrected."
    accepted.save()
    edited = selectors.pack_fingerprint(case)
    assert edited != before
    entry = accepted.chronology.first()
    entry.summary = "Corrected contact."
    entry.save()
    corrected = selectors.pack_fingerprint(case)
    assert corrected != edited
    assert selectors.pack_fingerprint(case) == corrected  # nothing changed: the same PDF is served
    # No service reopens an accepted form today; a form leaving "accepted" would leave the pack all the same.
    accepted.status = FormStatus.RETURNED
    accepted.save()
    assert selectors.pack_fingerprint(case) not in (before, edited, corrected)


def test_a_conflicted_business_unit_member_gets_no_pack_and_nothing_is_queued(
        client, accepted, queued_renders, django_capture_on_commit_callbacks):
    conflicted = make_user(Role.BUSINESS_UNIT)
    declare_conflict(accepted.case, conflicted)
    client.force_login(conflicted)
    assert _download(client, accepted.case_id, django_capture_on_commit_callbacks).status_code == 404
    assert queued_renders == [] and not PackRender.objects.exists()


def test_an_agency_lead_gets_no_pack_and_nothing_is_queued(client, accepted, health_lead, queued_renders,
                                                            django_capture_on_commit_callbacks):
    client.force_login(health_lead)
    assert _download(client, accepted.case_id, django_capture_on_commit_callbacks).status_code == 403
    assert queued_renders == [] and not PackRender.objects.exists()


def test_the_pack_pdf_refuses_post(bu_client, accepted):
    assert bu_client.post(_pdf_url(accepted.case_id)).status_code == 405
    assert not PackRender.objects.exists()


def test_deleting_the_case_deletes_its_stored_pack_pdf(bu_client, accepted, django_capture_on_commit_callbacks):
    case = accepted.case
    _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    stored = PackRender.objects.get(case=case)
    assert default_storage.exists(stored.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()  # as the retention job does
    assert not PackRender.objects.exists()
    assert not default_storage.exists(stored.file.name)


def test_a_stored_pack_whose_file_is_missing_is_prepared_again(bu_client, accepted, queued_renders,
                                                               django_capture_on_commit_callbacks):
    # Uploads restored from a backup older than the database: the row names a file that is not there.
    case = accepted.case
    _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    default_storage.delete(PackRender.objects.get().file.name)
    waiting = _download(bu_client, case.pk, django_capture_on_commit_callbacks)
    assert "The pack is being prepared" in waiting.content.decode()
    assert len(queued_renders) == 2
    assert bu_client.get(_pdf_url(case.pk))["Content-Type"] == "application/pdf"


def test_a_render_lost_with_its_worker_is_queued_again_after_a_while(bu_client, accepted, queued_renders,
                                                                     django_capture_on_commit_callbacks):
    with mock.patch.object(render_pack, "apply_async"):  # the worker took it and died
        _download(bu_client, accepted.case_id, django_capture_on_commit_callbacks)
        _download(bu_client, accepted.case_id, django_capture_on_commit_callbacks)
    assert len(queued_renders) == 1
    PackRender.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=3))
    _download(bu_client, accepted.case_id, django_capture_on_commit_callbacks)
    assert len(queued_renders) == 2
    assert bu_client.get(_pdf_url(accepted.case_id))["Content-Type"] == "application/pdf"
