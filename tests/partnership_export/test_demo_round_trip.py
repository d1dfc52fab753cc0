"""Acceptance (issue 22): a partnership exported from the demo and imported shows the same cases, forms and
signatures. The import goes into the same database under a new address name, the hardest case: every id, case
reference and calendar invitation already exists, so everything must be mapped. The imported partnership's
business unit then opens its case page, an agency check form and the decision sheet."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencychecks.models import AgencyCheckForm, FormVersion
from decisions.models import DecisionSheet, Signature
from rapidreview.accounts.models import Partnership, Role, RoleAssignment, User
from rapidreview.partnership_export.archive import write_archive
from rapidreview.partnership_export.loading import Loader
from rapidreview.partnership_export.reading import check_archive, open_archive
from rapidreview.partnership_export.scope import export_plan
from referrals.models import Case

pytestmark = pytest.mark.django_db

NEW = "tower-hamlets-imported"
PREFIX = "TH2-"


@pytest.fixture
def imported():
    call_command("load_demo")
    old = Partnership.objects.get(slug="tower-hamlets")
    buffer = io.BytesIO()
    write_archive(buffer, partnership=old, reason="Round trip")
    content = buffer.getvalue()
    manifest = check_archive(io.BytesIO(content))
    with open_archive(io.BytesIO(content)) as archive:
        loader = Loader(archive, manifest, name="Tower Hamlets SCP (imported)", slug=NEW, short_name="THSCP2",
                        prefix=PREFIX, actor=None)
        new = loader.run()
    return old, new, manifest, loader.summary


def _cases(partnership):
    return {c.reference.removeprefix(PREFIX): c for c in Case.objects.filter(partnership=partnership)}


def test_the_imported_partnership_has_the_same_cases_forms_and_signatures(imported):
    old, new, manifest, summary = imported
    before, after = _cases(old), _cases(new)
    assert before and set(after) == set(before)
    assert all(c.reference.startswith(PREFIX) for c in Case.objects.filter(partnership=new))
    for reference, case in before.items():
        copy = after[reference]
        assert copy.pk != case.pk
        assert (copy.stage, copy.child_first_name, copy.child_last_name, copy.child_dob, copy.sin_notified_on) == (
            case.stage, case.child_first_name, case.child_last_name, case.child_dob, case.sin_notified_on)
        forms = {f.agency.name: f for f in AgencyCheckForm.objects.filter(case=case)}
        copies = {f.agency.name: f for f in AgencyCheckForm.objects.filter(case=copy)}
        assert set(copies) == set(forms), reference
        for agency, form in forms.items():
            assert copies[agency].status == form.status
            versions = [(v.number, v.submitted_by_id, v.submitted_at if hasattr(v, "submitted_at") else None,
                         sorted(v.snapshot)) for v in FormVersion.objects.filter(form=form).order_by("number")]
            assert [(v.number, v.submitted_by_id, v.submitted_at if hasattr(v, "submitted_at") else None,
                     sorted(v.snapshot)) for v in FormVersion.objects.filter(form=copies[agency])
                    .order_by("number")] == versions
        sheet = DecisionSheet.objects.filter(case=case).first()
        if sheet is not None:
            copy_sheet = DecisionSheet.objects.get(case=copy)
            assert copy_sheet.current.rationale == sheet.current.rationale
            assert copy_sheet.current.case_summary == sheet.current.case_summary
            signed = sorted((s.signer.email, s.signed_at, s.outcome, s.partner)
                            for s in Signature.objects.filter(sheet=sheet))
            assert sorted((s.signer.email, s.signed_at, s.outcome, s.partner)
                          for s in Signature.objects.filter(sheet=copy_sheet)) == signed
            assert all(s.version.sheet_id == copy_sheet.pk for s in Signature.objects.filter(sheet=copy_sheet))
    assert Signature.objects.filter(sheet__case__partnership=new).count() == Signature.objects.filter(
        sheet__case__partnership=old).count() > 0
    # Every owned kind of record came across in full.
    plan = export_plan()
    for entry in manifest["files"]:
        if entry.get("model") in plan.owned and entry["model"] != "accounts.partnership":
            assert summary.rows.get(entry["model"], 0) + summary.left_out.get(entry["model"], 0) == entry["rows"], \
                entry["model"]


def test_the_imported_partnerships_business_unit_opens_its_case_a_form_and_the_decision_sheet(client, imported):
    old, new, _, _ = imported
    manager = User.objects.get(email="manager@demo.test")
    assert RoleAssignment.objects.filter(user=manager, partnership=new, role=Role.BUSINESS_UNIT).exists()
    client.force_login(manager)
    sheet = DecisionSheet.objects.filter(case__partnership=new, current__isnull=False).select_related("case").first()
    case = sheet.case
    page = client.get(f"{reverse('referrals:case_detail', args=[case.pk])}?partnership={NEW}")
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert "Tower Hamlets SCP (imported)" in page.content.decode()
    form = AgencyCheckForm.objects.filter(case__partnership=new).first()
    page = client.get(reverse("agencychecks:form", args=[form.pk]))
    assert page.status_code == 200 and form.agency.name in page.content.decode()
    page = client.get(reverse("decisions:sheet", args=[case.pk]))
    assert page.status_code == 200
    assert sheet.current.rationale.split("\n")[0][:40] in page.content.decode().replace("&#x27;", "'")
    # The old partnership's pages still show the old case, and a person of the other demo partnership sees neither.
    old_case = Case.objects.get(partnership=old, reference=case.reference.removeprefix(PREFIX))
    assert client.get(f"{reverse('referrals:case_detail', args=[old_case.pk])}?partnership=tower-hamlets"
                      ).status_code == 200
    outsider = User.objects.filter(role_assignments__partnership__slug="city-and-hackney",
                                   role_assignments__role=Role.BUSINESS_UNIT).first()
    client.force_login(outsider)
    assert client.get(reverse("referrals:case_detail", args=[case.pk])).status_code == 404
