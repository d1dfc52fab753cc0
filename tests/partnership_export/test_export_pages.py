"""The business unit exports its partnership's data: one member asks, a different one confirms, the archive is
prepared by a task and downloaded for 7 days. Every step is logged; nobody else can see or touch it."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.notifications.models import Notification
from rapidreview.partnership_export.archive import ExportError
from rapidreview.partnership_export.building import export_build
from rapidreview.partnership_export.forms import ExportRequestForm
from rapidreview.partnership_export.models import ExportStatus, PartnershipExport
from rapidreview.partnership_export.tasks import expire_exports
from tests.forms_as_rendered import page_form, submits

pytestmark = pytest.mark.django_db

EXPORTS = "/partnership-export/"


def _written() -> int:
    """Access log rows other than refusals and sign-ins (a refusal is itself logged, as DENIED)."""
    return AccessLog.objects.exclude(action__in=(AccessAction.DENIED, AccessAction.SIGN_IN)).count()


def _logged(action, export) -> int:
    return AccessLog.objects.filter(action=action, object_type="partnership_export.partnershipexport",
                                    object_id=str(export.pk)).count()


def _ask(client, user, reason="The partnership is moving to its own installation."):
    client.force_login(user)
    form = page_form(client, f"{EXPORTS}new/")
    form.fill(reason=reason)
    return form.submit()


@pytest.fixture
def confirm(client, django_capture_on_commit_callbacks):
    """Confirm as ``user`` from the export's page; the archive task (eager) runs when the request commits."""
    def confirm(user, export):
        client.force_login(user)
        url = reverse("partnership_export:export", args=[export.pk])
        form = page_form(client, url, action=reverse("partnership_export:confirm", args=[export.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            return form.submit()
    return confirm


@submits(ExportRequestForm)
def test_one_member_asks_another_confirms_and_the_business_unit_downloads_the_archive(client, world, confirm):
    ours = world.ours
    response = _ask(client, ours.manager)
    export = PartnershipExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("partnership_export:export",
                                                                           args=[export.pk])
    assert (export.status, export.partnership, export.requested_by) == (ExportStatus.REQUESTED, ours.partnership,
                                                                       ours.manager)
    assert _logged(AccessAction.CHANGE, export) == 1
    told = set(Notification.objects.filter(kind="partnership_export.requested").values_list("recipient", flat=True))
    assert told == {ours.manager.pk, ours.coordinator.pk}  # every member of the business unit hears of it

    response = confirm(ours.coordinator, export)
    export.refresh_from_db()
    assert response.status_code == 302
    assert export.status == ExportStatus.READY and export.confirmed_by == ours.coordinator
    assert export.expires_at - export.ready_at == datetime.timedelta(days=7)
    assert export.counts["referrals.case"] == 1 and export.counts["decisions.signature"] == 1
    assert _logged(AccessAction.CHANGE, export) == 2
    assert set(Notification.objects.filter(kind="partnership_export.ready").values_list("recipient", flat=True)) \
        == {ours.manager.pk, ours.coordinator.pk}

    page = client.get(reverse("partnership_export:export", args=[export.pk])).content.decode()
    download = reverse("partnership_export:download", args=[export.pk])
    assert download in page
    for user in (ours.coordinator, ours.manager):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["partnership"]["slug"] == "tower-hamlets"
        assert manifest["requested_by"]["email"] == ours.manager.email
        assert manifest["confirmed_by"]["email"] == ours.coordinator.email
    assert _logged(AccessAction.EXPORT, export) == 2  # each download is logged


def test_the_member_who_asked_cannot_confirm_their_own_export(client, world):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    page = client.get(reverse("partnership_export:export", args=[export.pk])).content.decode()
    confirm = reverse("partnership_export:confirm", args=[export.pk])
    assert confirm not in page and "A different member of the business unit must confirm it" in page
    response = client.post(confirm, follow=True)
    export.refresh_from_db()
    assert export.status == ExportStatus.REQUESTED and not export.archive
    assert "you asked for this export" in response.content.decode()


def test_someone_of_another_partnership_cannot_see_confirm_or_download_an_export_and_nothing_changes(
        client, world, confirm):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    confirm(world.ours.coordinator, export)
    export.refresh_from_db()
    logs, history = _written(), export.history.count()
    client.force_login(world.theirs.coordinator)  # business unit of City & Hackney
    for name, method in (("export", "get"), ("confirm", "post"), ("withdraw", "post"), ("download", "get")):
        url = reverse(f"partnership_export:{name}", args=[export.pk])
        assert getattr(client, method)(url).status_code == 404, name
        assert getattr(client, method)(f"{url}?partnership=tower-hamlets").status_code == 404, name
    assert reverse("partnership_export:export", args=[export.pk]) not in client.get(EXPORTS).content.decode()
    export.refresh_from_db()
    assert (_written(), export.history.count(), export.status) == (logs, history, ExportStatus.READY)
    assert AccessLog.objects.filter(action=AccessAction.DENIED, user=world.theirs.coordinator).count() == 8


def test_a_refused_export_request_writes_nothing(client, world):
    # The police lead holds roles in both partnerships, but is in neither business unit.
    client.force_login(world.shared_lead)
    logs = _written()
    for url in (f"{EXPORTS}new/", f"{EXPORTS}new/?partnership=tower-hamlets"):
        assert client.post(url, {"reason": "Taking it"}).status_code == 403
    assert not PartnershipExport.objects.exists() and _written() == logs
    # Another partnership's business unit asking from its own pages exports only its own partnership.
    _ask(client, world.theirs.manager)
    assert PartnershipExport.objects.get().partnership == world.theirs.partnership
    assert client.post(f"{EXPORTS}new/?partnership=tower-hamlets", {"reason": "Again"}).status_code == 200
    assert PartnershipExport.objects.count() == 1


def test_a_second_export_cannot_be_asked_for_while_one_waits(client, world):
    _ask(client, world.ours.manager)
    response = _ask(client, world.ours.coordinator, reason="Twice")
    assert response.status_code == 200 and "already waiting" in response.content.decode()
    assert PartnershipExport.objects.count() == 1


def test_a_request_can_be_withdrawn_and_is_then_never_prepared(client, world):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    client.force_login(world.ours.coordinator)
    url = reverse("partnership_export:export", args=[export.pk])
    page_form(client, url, action=reverse("partnership_export:withdraw", args=[export.pk])).submit()
    export.refresh_from_db()
    assert export.status == ExportStatus.WITHDRAWN and export.withdrawn_by == world.ours.coordinator
    assert client.post(reverse("partnership_export:confirm", args=[export.pk])).status_code == 302
    export.refresh_from_db()
    assert export.status == ExportStatus.WITHDRAWN and not export.archive


def test_people_outside_the_business_unit_are_refused_every_export_page(client, world):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    client.force_login(world.ours.executive)
    for url in (EXPORTS, f"{EXPORTS}new/", reverse("partnership_export:export", args=[export.pk]),
                reverse("partnership_export:download", args=[export.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("partnership_export:confirm", args=[export.pk])).status_code == 403


def test_the_pages_refuse_the_wrong_method(client, world):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    assert client.post(EXPORTS).status_code == 405
    assert client.get(reverse("partnership_export:confirm", args=[export.pk])).status_code == 405
    assert client.post(reverse("partnership_export:download", args=[export.pk])).status_code == 405


def test_after_seven_days_the_archive_is_deleted_and_cannot_be_downloaded(client, world, confirm):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()
    confirm(world.ours.coordinator, export)
    export.refresh_from_db()
    name = export.archive.name
    assert default_storage.exists(name)
    with time_machine.travel(export.ready_at + datetime.timedelta(days=7, minutes=1)):
        client.force_login(world.ours.coordinator)
        assert client.get(reverse("partnership_export:download", args=[export.pk])).status_code == 404
        assert expire_exports.delay().get() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not default_storage.exists(name)


def test_an_export_that_cannot_be_made_is_marked_failed(client, world, confirm, monkeypatch):
    _ask(client, world.ours.manager)
    export = PartnershipExport.objects.get()

    def refuse(*args, **kwargs):
        raise ExportError("A clock refers to a row outside the partnership's data.")

    monkeypatch.setattr("rapidreview.partnership_export.building.write_archive", refuse)
    confirm(world.ours.coordinator, export)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "outside the partnership" in export.failure
    assert export_build(export_id=export.pk).status == ExportStatus.FAILED  # a re-run changes nothing
    assert timezone.now() and not export.archive
