"""Importing an archive as a new partnership on the same installation (the hardest case: every id and every
reference is already taken), and what an import refuses."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from actionplan.models import ActionEvidence
from decisions.models import DecisionSheet, Signature
from rapidreview.accounts.models import Partnership, Role, User
from rapidreview.audit.models import AccessLog, LegalHold
from rapidreview.clocks.models import Clock
from rapidreview.partnership_export.loading import Loader
from rapidreview.partnership_export.reading import ArchiveInvalid, check_archive, open_archive
from referrals.models import Case, CaseParticipation, Referral
from themes.models import Theme


def _import(archive_bytes, *, slug="tower-hamlets-2", name="Tower Hamlets SCP (imported)", prefix="TH2-",
            actor=None):
    manifest = check_archive(io.BytesIO(archive_bytes))
    with open_archive(io.BytesIO(archive_bytes)) as archive:
        loader = Loader(archive, manifest, name=name, slug=slug, short_name="THSCP2", prefix=prefix, actor=actor)
        partnership = loader.run()
    return partnership, loader.summary


@pytest.fixture
def exported(world, export_of):
    archive = export_of(world.ours.partnership, requested_by=world.ours.manager,
                        confirmed_by=world.ours.coordinator, reason="Moving")
    return archive.buffer.getvalue()


def test_the_imported_partnership_has_the_same_cases_forms_and_signatures(world, exported):
    new, summary = _import(exported)
    old = world.ours.partnership
    assert Case.objects.filter(partnership=new).count() == Case.objects.filter(partnership=old).count() == 1
    case = Case.objects.get(partnership=new)
    assert case.pk != world.ours.case.pk
    assert case.reference == f"TH2-{world.ours.case.reference}"
    assert (case.child_first_name, case.child_last_name) == ("TWHchild", "TWHfamily")
    assert {a.name for a in case.involved_agencies.all()} == {"Metropolitan Police", "TWH Children's Social Care"}
    assert case.referral.household.get().name == "TWH Mother"
    assert case.referral.possible_duplicate_of is None
    sheet = DecisionSheet.objects.get(case=case)
    assert sheet.current.case_summary == "TWH summary" and sheet.current.sheet_id == sheet.pk
    [signature] = Signature.objects.filter(sheet=sheet)
    old_signature = Signature.objects.get(sheet=world.ours.sheet)
    assert (signature.signer, signature.signed_at, signature.outcome) == (
        old_signature.signer, old_signature.signed_at, old_signature.outcome)
    assert signature.version_id == sheet.current_id
    [form] = case.agency_forms.all()
    assert form.agency.name == "Metropolitan Police" and form.pk != world.ours.form.pk
    [version] = form.versions.all()
    assert version.snapshot == {"summary": "TWH form answer", "form": str(form.pk)}  # the old id, mapped
    assert version.submitted_by == world.shared_lead
    assert form.chronology.get().summary == "TWH seen at school"
    assert summary.rows["referrals.case"] == 1 and summary.rows["decisions.signature"] == 1


def test_references_inside_the_import_point_to_the_new_rows(world, exported):
    new, _ = _import(exported)
    case = Case.objects.get(partnership=new)
    clock = Clock.objects.get(partnership=new)
    form = case.agency_forms.get()
    assert clock.subject == form and clock.case_id == case.pk
    assert clock.url == f"/agency-checks/forms/{form.pk}/" and clock.reference == case.reference
    hold = LegalHold.objects.get(case_id=case.pk)
    assert hold.reason == "TWH inquest"
    logs = AccessLog.objects.filter(partnership=new)
    assert {log.case_id for log in logs} == {case.pk, None}
    assert f"/cases/{case.pk}/" in {log.path for log in logs}
    theme = Theme.objects.get(partnership=new)
    assert case.case_themes.get().theme == theme and theme.name == "TWH neglect"
    evidence = ActionEvidence.objects.get(action__partnership=new)
    assert evidence.file.name != world.ours.evidence.file.name
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == b"TWH minutes"


def test_history_comes_across_as_it_was_pointing_at_the_new_rows(world, exported):
    new, _ = _import(exported)
    case = Case.objects.get(partnership=new)
    history = list(case.history.all())
    assert history and all(h.reference == case.reference for h in history)
    assert {h.history_type for h in history} >= {"+"}
    old_count = world.ours.case.history.count()
    assert len(history) == old_count


def test_people_are_matched_by_email_and_get_roles_in_the_new_partnership(world, exported):
    before = User.objects.count()
    new, summary = _import(exported)
    assert User.objects.count() == before  # everyone already has an account here
    manager = world.ours.manager
    assert manager.has_role_in(new, Role.BUSINESS_UNIT) and manager.has_role_in(world.ours.partnership,
                                                                                   Role.BUSINESS_UNIT)
    assert not world.theirs.manager.has_role_in(new, Role.BUSINESS_UNIT)
    assert "manager@tower-hamlets.test" in summary.people_matched


def test_a_participation_of_a_partnership_on_this_installation_is_kept(world, exported):
    new, _ = _import(exported)
    [participation] = CaseParticipation.objects.filter(case__partnership=new)
    assert participation.partnership == world.theirs.partnership


def test_new_people_get_an_account_without_a_usable_password(world, exported):
    User.objects.filter(email="executive@tower-hamlets.test").update(email="someone.else@example.test")
    new, summary = _import(exported)
    person = User.objects.get(email="executive@tower-hamlets.test")
    assert not person.has_usable_password() and not person.is_staff and not person.is_superuser
    assert person.has_role_in(new, Role.EXECUTIVE)
    assert summary.people_created == ["executive@tower-hamlets.test"]
    signature = Signature.objects.get(sheet__case__partnership=new)
    assert signature.signer == person


def test_nothing_is_imported_when_the_import_fails_half_way(world, exported, monkeypatch):
    partnerships, cases, users = Partnership.objects.count(), Case.objects.count(), User.objects.count()
    User.objects.filter(email="executive@tower-hamlets.test").update(email="someone.else@example.test")
    original = Loader._link_many

    def fail(self):
        original(self)
        raise ArchiveInvalid("Stopped on purpose")

    monkeypatch.setattr(Loader, "_link_many", fail)
    with pytest.raises(ArchiveInvalid):
        _import(exported)
    assert (Partnership.objects.count(), Case.objects.count(), User.objects.count()) == (partnerships, cases, users)
    stored = {evidence.file.name for evidence in ActionEvidence.objects.all()}
    assert _stored_files() == stored  # the evidence written during the import was removed again


def _stored_files() -> set[str]:
    found, folders = set(), [""]
    while folders:
        folder = folders.pop()
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}{name}/" for name in subfolders]
        found |= {f"{folder}{name}" for name in files}
    return found


def test_an_import_under_an_existing_address_name_is_refused(world, exported):
    with pytest.raises(ArchiveInvalid, match="already exists"):
        _import(exported, slug="tower-hamlets")


def test_clashing_references_need_a_prefix(world, exported):
    with pytest.raises(ArchiveInvalid, match="give a prefix"):
        _import(exported, prefix="")
    assert not Partnership.objects.filter(slug="tower-hamlets-2").exists()


def _tampered(archive_bytes, path, change):
    source = zipfile.ZipFile(io.BytesIO(archive_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, change(content) if name == path else content)
    return out.getvalue()


def test_a_changed_file_fails_its_checksum(exported):
    changed = _tampered(exported, "data/referrals.case.json", lambda c: c.replace(b"TWHchild", b"XXXchild"))
    with pytest.raises(ArchiveInvalid, match="checksum"):
        check_archive(io.BytesIO(changed))


def test_an_unknown_format_version_is_refused(exported):
    def bump(content):
        manifest = json.loads(content)
        manifest["format_version"] = 99
        return json.dumps(manifest).encode()
    with pytest.raises(ArchiveInvalid, match="format version 99"):
        check_archive(io.BytesIO(_tampered(exported, "manifest.json", bump)))


def test_an_archive_that_smuggles_in_sign_in_secrets_is_refused(exported):
    def smuggle(content):
        manifest = json.loads(content)
        manifest["files"].append({"path": "data/otp_static.statictoken.json", "model": "otp_static.statictoken",
                                  "sha256": "0" * 64, "bytes": 2, "rows": 0})
        return json.dumps(manifest).encode()
    source = _tampered(exported, "manifest.json", smuggle)
    out = io.BytesIO(source)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("data/otp_static.statictoken.json", "[]")
    with pytest.raises(ArchiveInvalid):
        check_archive(io.BytesIO(out.getvalue()))


def test_an_entry_outside_the_archive_folders_is_refused(exported):
    out = io.BytesIO(exported)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("files/../../etc/passwd", "x")
    with pytest.raises(ArchiveInvalid, match="does not accept"):
        check_archive(io.BytesIO(out.getvalue()))


def test_a_row_that_claims_another_partnership_is_refused(world, exported):
    def claim(content):
        return content.replace(b'"partnership": "tower-hamlets"', b'"partnership": "city-and-hackney"')
    changed = _tampered(exported, "data/referrals.case.json", claim)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(changed)).read("manifest.json"))
    for entry in manifest["files"]:
        if entry["path"] == "data/referrals.case.json":
            content = zipfile.ZipFile(io.BytesIO(changed)).read(entry["path"])
            entry["sha256"], entry["bytes"] = hashlib.sha256(content).hexdigest(), len(content)
    forged = _tampered(changed, "manifest.json", lambda c: json.dumps(manifest).encode())
    with pytest.raises(ArchiveInvalid, match="belongs to another partnership"):
        _import(forged)
    assert Case.objects.filter(partnership=world.theirs.partnership).count() == 1
    assert not Referral.objects.filter(case__partnership__slug="tower-hamlets-2").exists()
