"""The installation's administrator imports an archive: upload, check, see what it holds, give the new
partnership its name, confirm. Then the partnership's business unit finds its cases, forms and signatures."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decisions.models import Signature
from rapidreview.accounts.models import Partnership
from rapidreview.audit.models import AccessAction, AccessLog
from rapidreview.partnership_export.forms import ImportConfirmForm, ImportUploadForm
from rapidreview.partnership_export.models import ImportStatus, PartnershipImport
from referrals.models import Case
from tests.factories import make_user
from tests.forms_as_rendered import page_form, submits

pytestmark = pytest.mark.django_db

START = "/partnership-export/import/"


@pytest.fixture
def admin(db):
    """The installation's administrator: a staff account with no role in any partnership."""
    return make_user(full_name="Ada Admin", email="admin@installation.test", is_staff=True)


@pytest.fixture
def archive(world, export_of):
    built = export_of(world.ours.partnership, requested_by=world.ours.manager,
                      confirmed_by=world.ours.coordinator, reason="Moving to the regional installation")
    return built.buffer.getvalue()


def _upload(client, content, name="partnership-export.zip"):
    form = page_form(client, START)
    form.fill(archive=SimpleUploadedFile(name, content, content_type="application/zip"))
    return form.submit()


@submits(ImportUploadForm, ImportConfirmForm)
def test_the_administrator_imports_an_archive_as_a_new_partnership(client, world, admin, archive):
    client.force_login(admin)
    response = _upload(client, archive)
    record = PartnershipImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("partnership_export:import",
                                                                           args=[record.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Import Tower Hamlets SCP" in page and "Moving to the regional installation" in page
    assert "Existing accounts that will get roles" in page and "manager@tower-hamlets.test" in page
    assert "city-and-hackney (on this installation: kept)" in page
    form = page_form(client, response["Location"], containing="slug")
    assert form["slug"] in ("", None)  # tower-hamlets is taken here, so the administrator must choose
    form.fill(name="Tower Hamlets SCP (regional)", short_name="THSCP", slug="tower-hamlets-regional",
              prefix="THR-")
    done = form.submit()
    assert done.status_code == 302 and done["Location"] == reverse("partnership_export:import_done",
                                                                   args=[record.pk])
    record.refresh_from_db()
    new = Partnership.objects.get(slug="tower-hamlets-regional")
    assert (record.status, record.partnership, record.imported_by) == (ImportStatus.IMPORTED, new, admin)
    assert not default_storage.exists(record.archive.name)  # the uploaded archive is not kept
    summary = client.get(done["Location"]).content.decode()
    assert "Tower Hamlets SCP (regional) imported" in summary and "Cases" in summary
    assert AccessLog.objects.filter(user=admin, action=AccessAction.CHANGE,
                                    object_type="partnership_export.partnershipimport").count() == 2
    case = Case.objects.get(partnership=new)
    assert case.reference == f"THR-{world.ours.case.reference}"
    assert Signature.objects.filter(sheet__case=case).count() == 1


def test_a_damaged_archive_is_refused_with_the_reason_and_nothing_is_kept(client, admin, archive):
    client.force_login(admin)
    damaged = archive.replace(b"TWH", b"XYZ", 1) if b"TWH" in archive else archive[:-10]
    response = _upload(client, damaged)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not PartnershipImport.objects.exists()
    response = _upload(client, b"not a zip", name="notes.zip")
    assert "The file is not a ZIP archive" in response.content.decode()
    response = _upload(client, b"PK", name="notes.txt")
    assert "must be a ZIP archive" in response.content.decode()
    assert not PartnershipImport.objects.exists()


def test_an_upload_can_be_cancelled_and_its_archive_is_deleted(client, admin, archive):
    client.force_login(admin)
    response = _upload(client, archive)
    record = PartnershipImport.objects.get()
    assert default_storage.exists(record.archive.name)
    page_form(client, response["Location"], action=reverse("partnership_export:import_cancel",
                                                           args=[record.pk])).submit()
    record.refresh_from_db()
    assert record.status == ImportStatus.CANCELLED and not default_storage.exists(record.archive.name)
    assert client.get(response["Location"]).status_code == 404


def test_only_the_installations_administrator_may_import(client, world, admin, archive):
    client.force_login(admin)
    _upload(client, archive)
    record = PartnershipImport.objects.get()
    urls = [START, reverse("partnership_export:import", args=[record.pk])]
    for person in (world.ours.manager, world.theirs.manager, world.shared_lead):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 403, (person, url)
        assert client.post(urls[1], {"name": "X", "short_name": "X", "slug": "x"}).status_code == 403
        assert client.post(reverse("partnership_export:import_cancel", args=[record.pk])).status_code == 403
    assert not Partnership.objects.filter(slug="x").exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED


def test_the_import_pages_refuse_the_wrong_method(client, admin, archive):
    client.force_login(admin)
    _upload(client, archive)
    record = PartnershipImport.objects.get()
    assert client.get(reverse("partnership_export:import_cancel", args=[record.pk])).status_code == 405
    assert client.post(reverse("partnership_export:import_done", args=[record.pk])).status_code == 405


def test_an_address_name_already_used_is_refused_on_the_form(client, world, admin, archive):
    client.force_login(admin)
    response = _upload(client, archive)
    form = page_form(client, response["Location"], containing="slug")
    form.fill(name="Another name", short_name="AN", slug="city-and-hackney", prefix="A-")
    page = form.submit().content.decode()
    assert "A partnership with this address name already exists" in page
    assert PartnershipImport.objects.get().status == ImportStatus.CHECKED
    assert not Partnership.objects.filter(name="Another name").exists()
    assert io  # the archive was read from storage, not kept in memory between the two steps
