"""Letters to the referrer: one default for a professional, one for a member of the public, each with the reasons
for the decision; a public referrer whose referral met the threshold gets the letter the done page promises."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rapidreview.db import DomainError
from referrals.models import ReferrerLetter, Source, Stage, ThresholdOutcome
from referrals.services import case_record_sin, letter_save, referral_record_threshold
from tests.forms_as_rendered import accepted, page_form

from .factories import CaseFactory

pytestmark = pytest.mark.django_db
RATIONALE = "The injuries were explained by an accident seen by two witnesses; no abuse or neglect is suspected."


def _decide(case, business_unit, makers, outcome):
    referral_record_threshold(case=case, actor=business_unit, discussed_on=timezone.localdate(),
                              la_participant=makers["local_authority"], health_participant=makers["health"],
                              police_participant=makers["police"], outcome=outcome, rationale=RATIONALE)
    case.refresh_from_db()
    return case


def _letter_form(client, case):
    return page_form(client, reverse("referrals:letter_edit", args=[case.pk]))


def test_a_parent_is_not_told_to_talk_to_their_agencys_safeguarding_lead(client, business_unit, threshold_makers):
    public = _decide(CaseFactory(stage=Stage.THRESHOLD, source=Source.PUBLIC), business_unit, threshold_makers,
                     ThresholdOutcome.NOT_MET)
    professional = _decide(CaseFactory(stage=Stage.THRESHOLD, source=Source.PROFESSIONAL), business_unit,
                           threshold_makers, ThresholdOutcome.NOT_MET)
    client.force_login(business_unit)
    public_text = _letter_form(client, public)["next_steps"]
    professional_text = _letter_form(client, professional)["next_steps"]
    assert "safeguarding lead" not in public_text and "your agency" not in public_text
    assert "999" in public_text
    assert "your agency's safeguarding lead" in professional_text
    for case in (public, professional):
        preview = " ".join(_letter_form(client, case).submit("Preview the letter").content.decode().split())
        assert "The reasons for the decision" in preview and "explained by an accident" in preview
        assert "was not met" in preview


def test_a_public_referrer_whose_referral_met_the_threshold_gets_a_letter(client, business_unit, threshold_makers):
    case = _decide(CaseFactory(stage=Stage.THRESHOLD, source=Source.PUBLIC), business_unit, threshold_makers,
                   ThresholdOutcome.MET)
    case_record_sin(case=case, actor=business_unit, notified_on=timezone.localdate(), notification_reference="N1")
    client.force_login(business_unit)
    case_page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("referrals:letter_edit", args=[case.pk]) in case_page
    form = _letter_form(client, case)
    assert "rapid review" in form["next_steps"] and "safeguarding lead" not in form["next_steps"]
    accepted(form.submit("Continue"))
    letter = ReferrerLetter.objects.get(case=case)
    assert bytes(letter.pdf).startswith(b"%PDF")
    send = page_form(client, reverse("referrals:letter_send", args=[case.pk]), containing="sent_by")
    accepted(send.fill(sent_by="post", sent_to="1 High Street", sent_on=timezone.localdate()).submit())
    letter.refresh_from_db()
    assert letter.sent_on == timezone.localdate()


def test_a_professional_whose_referral_met_the_threshold_gets_no_letter(business_unit, threshold_makers):
    case = _decide(CaseFactory(stage=Stage.THRESHOLD, source=Source.PROFESSIONAL), business_unit, threshold_makers,
                   ThresholdOutcome.MET)
    with pytest.raises(DomainError, match="not met"):
        letter_save(case=case, actor=business_unit, next_steps="x")
    assert not ReferrerLetter.objects.exists()
