"""The benchmark's write mix (benchmarks/writes.py) posts forms back as the page rendered them: proven here on the
threshold decision, the write that needs the most answers filled in, through the real page and view."""

import urllib.parse

import pytest
from django.urls import reverse

from benchmarks import writes
from referrals.models import Stage, ThresholdDecision

from .factories import CaseFactory


@pytest.mark.django_db
def test_the_write_mix_records_a_threshold_decision_from_the_rendered_form(bu_client, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD)
    path = reverse("referrals:threshold_record", args=[case.pk])
    form = writes.main_form(bu_client.get(path).content.decode())
    assert form is not None, "the page's own form was not found"
    fields = writes.fill(form, {})
    assert dict(fields)["la_participant"] == str(threshold_makers["local_authority"].pk)  # the first choice
    response = bu_client.post(path, urllib.parse.urlencode(fields), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ThresholdDecision.objects.filter(case=case, rationale=writes.SENTENCE).exists()


@pytest.mark.django_db
def test_the_write_mix_does_not_pick_the_sign_out_form(bu_client, threshold_makers):
    case = CaseFactory(stage=Stage.THRESHOLD)
    page = bu_client.get(reverse("referrals:threshold_record", args=[case.pk])).content.decode()
    assert "rationale" in {name for name, _ in writes.main_form(page)["fields"]}
