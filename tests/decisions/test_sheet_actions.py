"""The decision sheet page offers the actions ``decisions.selectors.sheet_actions`` decides, and only those."""

import dataclasses

from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.selectors import open_dispute, sheet_actions, signature_rows
from referrals.models import Case, Stage

from .factories import LA, the_chair


def _offered(user, sheet) -> set[str]:
    case = Case.objects.get(pk=sheet.case_id)
    sheet.refresh_from_db()
    actions = sheet_actions(user, case, sheet, rows=signature_rows(sheet), dispute=open_dispute(sheet),
                            submission=getattr(case, "national_panel_submission", None),
                            decided=hasattr(case, "cspr") or hasattr(case, "alternative_learning"))
    return {name for name, on in dataclasses.asdict(actions).items() if on}


def test_the_business_unit_is_offered_what_each_status_of_the_sheet_allows(bu, out_for_signature, executives):
    assert _offered(bu, out_for_signature) == {"withdraw"}
    for partner, person in executives.items():
        services.signature_record(sheet=out_for_signature, signer=person, partner=partner, outcome="agree")
    assert _offered(bu, out_for_signature) == {"record_sent"}
    services.national_panel_send(case=out_for_signature.case, actor=bu, sent_on=timezone.localdate(),
                                 sent_for=the_chair())
    assert _offered(bu, out_for_signature) == {"record_response", "decide_cspr", "correct_sent"}


def test_a_draft_offers_editing_and_sending_and_nothing_before_the_decision_stage(bu, draft):
    assert _offered(bu, draft) == {"edit_draft", "send"}
    Case.objects.filter(pk=draft.case_id).update(stage=Stage.RAPID_REVIEW)
    assert _offered(bu, draft) == set()


def test_executives_are_offered_only_signing_and_the_chair_only_the_dispute_steps(out_for_signature, executives,
                                                                                 rr_chair):
    assert _offered(executives[LA], out_for_signature) == {"sign"}
    assert _offered(rr_chair, out_for_signature) == set()
    services.signature_record(sheet=out_for_signature, signer=executives[LA], partner=LA, outcome="dispute",
                              reasons="Not agreed")
    assert _offered(rr_chair, out_for_signature) == {"dispute_meeting", "dispute_escalate"}
    assert _offered(executives[LA], out_for_signature) == set()


def test_the_page_shows_the_buttons_of_the_offered_actions_only(client, bu, out_for_signature):
    client.force_login(bu)
    page = client.get(reverse("decisions:sheet", args=[out_for_signature.case_id])).content.decode()
    assert "Withdraw from signature" in page
    assert "Send for signature" not in page and "Edit the draft" not in page and "Sign or dispute" not in page


def test_a_closed_case_offers_no_national_panel_response(client, bu, signed):
    services.national_panel_send(case=signed.case, actor=bu, sent_on=timezone.localdate(),
                                 sent_for=the_chair())
    client.force_login(bu)
    url = reverse("decisions:sheet", args=[signed.case_id])
    assert reverse("decisions:national_panel_response", args=[signed.case_id]) in client.get(url).content.decode()
    Case.objects.filter(pk=signed.case_id).update(stage=Stage.CLOSED)
    assert _offered(bu, signed) == {"correct_sent"}, "the date sent stays correctable, with a reason"
    assert reverse("decisions:national_panel_response", args=[signed.case_id]) not in client.get(url).content.decode()
