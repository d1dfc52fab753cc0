"""What an export holds: everything of its partnership, nothing of another, people without secrets, a manifest
whose checksums and counts match."""

import hashlib

from rapidreview.accounts.models import User
from rapidreview.partnership_export.archive import FORMAT, FORMAT_VERSION
from rapidreview.partnership_export.scope import export_plan


def _theirs(plan, partnership) -> dict[str, set[str]]:
    return {label: {str(pk) for pk in scope.rows(partnership).values_list("pk", flat=True)}
            for label, scope in plan.exported().items()}


def test_the_export_holds_nothing_of_the_other_partnership_in_any_file(world, export_of):
    archive = export_of(world.ours.partnership)
    plan = export_plan()
    theirs = _theirs(plan, world.theirs.partnership)
    ours = _theirs(plan, world.ours.partnership)
    files = archive.data_files()
    assert files, "the archive has data files"
    for label, rows in files.items():
        if label in plan.exported():
            exported = {str(row["pk"]) for row in rows}
            assert not exported & (theirs[label] - ours[label]), f"{label} holds rows of the other partnership"
    # Their marker is nowhere: not their cases, people, themes, agency, referrer or child.
    assert "CAH" not in archive.text()
    assert str(world.theirs.case.pk) not in archive.text()
    # Their slug appears only where our case names them as taking part.
    naming = {label for label, rows in files.items() if "city-and-hackney" in str(rows)}
    assert naming == {"referrals.caseparticipation", "referrals.historicalcaseparticipation"}


def test_a_reference_to_the_other_partnerships_record_is_blanked(world, export_of):
    archive = export_of(world.ours.partnership)
    [referral] = archive.rows("referrals.referral")
    assert referral["fields"]["possible_duplicate_of"] is None
    logs = archive.rows("audit.accesslog")
    assert {row["fields"]["case_id"] for row in logs} == {str(world.ours.case.pk), None}
    assert {row["fields"]["object_id"] for row in logs} == {str(world.ours.case.pk), ""}


def test_the_export_holds_every_record_of_the_partnership_with_its_history(world, export_of):
    archive = export_of(world.ours.partnership)
    files = archive.data_files()
    counts = {label: len(rows) for label, rows in files.items()}
    for label in ("referrals.case", "referrals.referral", "referrals.householdmember", "referrals.caseevent",
                  "referrals.caseparticipation", "decisions.decisionsheet", "decisions.decisionsheetversion",
                  "decisions.signature", "agencychecks.agencycheckform", "agencychecks.formversion",
                  "agencychecks.chronologyentry", "themes.theme", "themes.casetheme", "actionplan.action",
                  "actionplan.actionevidence", "clocks.clock", "audit.legalhold", "accounts.partnership"):
        assert counts[label] == 1, label
    assert counts["accounts.roleassignment"] == 4  # two business unit, the executive, the shared agency lead
    assert counts["audit.accesslog"] == 2
    assert counts["referrals.historicalcase"] >= 1 and counts["decisions.historicaldecisionsheet"] >= 1
    assert counts["accounts.historicalpartnership"] >= 1
    [case] = archive.rows("referrals.case")
    assert case["fields"]["partnership"] == "tower-hamlets"
    assert case["fields"]["child_first_name"] == "TWHchild"
    [signature] = archive.rows("decisions.signature")
    assert signature["fields"]["signed_at"].startswith("2026-03-05T10:30")
    [clock] = archive.rows("clocks.clock")
    assert clock["fields"]["subject_type"] == ["agencychecks", "agencycheckform"]
    [evidence] = archive.rows("actionplan.actionevidence")
    assert archive.zip.read(f"files/{evidence['fields']['file']}") == b"TWH minutes"


def test_people_are_written_without_passwords_or_sign_in_details(world, export_of):
    archive = export_of(world.ours.partnership)
    people = archive.rows("accounts.user")
    emails = {row["fields"]["email"] for row in people}
    assert {"manager@tower-hamlets.test", "coordinator@tower-hamlets.test", "executive@tower-hamlets.test",
            "police.lead@example.test"} <= emails
    assert not any(email.endswith("city-and-hackney.test") for email in emails)
    for row in people:
        assert set(row["fields"]) <= {"public_id", "email", "full_name", "agency", "job_title", "phone",
                                      "is_active", "date_joined"}
    password_hash = User.objects.get(email="manager@tower-hamlets.test").password
    assert password_hash not in archive.text()
    assert "otp_" not in " ".join(archive.names()) and "sessions" not in " ".join(archive.names())


def test_the_manifest_gives_every_files_checksum_size_and_rows(world, export_of):
    archive = export_of(world.ours.partnership, requested_by=world.ours.manager,
                        confirmed_by=world.ours.coordinator, reason="Moving")
    manifest = archive.manifest
    assert manifest["format"] == FORMAT and manifest["format_version"] == FORMAT_VERSION
    assert manifest["partnership"]["slug"] == "tower-hamlets"
    assert manifest["requested_by"]["email"] == "manager@tower-hamlets.test"
    assert manifest["confirmed_by"]["email"] == "coordinator@tower-hamlets.test"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(archive.names()) - {"manifest.json"}
    for path, entry in listed.items():
        content = archive.zip.read(path)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest() and entry["bytes"] == len(content)
        if path.startswith("data/"):
            assert entry["rows"] == len(archive.rows(entry["model"]))
    assert "README.txt" in listed
