"""Issue 21, findings 7 and 10: the public referral form keeps little in the session, and its pages are not cached."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.forms_as_rendered import page_form

INCIDENT = timezone.localdate() - datetime.timedelta(days=3)
ANSWERS = {"referrer_name": "Mo Parent", "child_first_name": "Ada", "child_last_name": "Brightwater",
           "harm": "serious_harm", "description": "She was hurt.", "referrer_email": "mo@example.test",
           "incident_date": INCIDENT}


def _filled(client):
    """The public referral form as the page rendered it, answered."""
    return page_form(client, reverse("referrals:public_referral")).fill(**ANSWERS)


def _session_sizes() -> list[int]:
    return [len(s.session_data) for s in Session.objects.all()]


@pytest.mark.django_db
def test_the_form_keeps_only_its_own_fields_in_the_session_whatever_else_is_posted(client):
    data = {**_filled(client).data(), "padding": "x" * 1_000_000, "another": ["y" * 1000] * 50}
    response = client.post(reverse("referrals:public_referral"), data)
    assert response.status_code == 302
    stored = client.session["public_referral"]
    assert "padding" not in stored and "another" not in stored and "csrfmiddlewaretoken" not in stored
    assert stored["child_last_name"] == ["Brightwater"]
    assert max(_session_sizes()) < 10_000
    assert b"Brightwater" in client.get(reverse("referrals:public_check")).content


@pytest.mark.django_db
def test_an_overlong_answer_is_refused_with_an_error_and_nothing_is_kept(client):
    response = _filled(client).fill(description="z" * 200_000).submit()
    assert response.status_code == 200 and b"govuk-error-summary" in response.content
    assert "public_referral" not in client.session
    assert all(size < 10_000 for size in _session_sizes())


@pytest.mark.django_db
def test_drafts_are_rate_limited_per_address_before_anything_is_stored(settings):
    settings.PUBLIC_REFERRAL_DRAFT_RATE_LIMIT = 3
    for _ in range(3):
        client = Client(REMOTE_ADDR="198.51.100.7")
        assert _filled(client).submit().status_code == 302
    sessions_before = Session.objects.count()
    client = Client(REMOTE_ADDR="198.51.100.7")
    response = _filled(client).submit()
    assert response.status_code == 429
    assert b"Come back to this page in an hour" in response.content
    assert Session.objects.count() == sessions_before
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert _filled(other).submit().status_code == 302


@pytest.mark.django_db
def test_public_pages_holding_what_was_typed_are_never_cached(client):
    assert _filled(client).submit().status_code == 302
    for name in ("referrals:public_referral", "referrals:public_check", "accounts:login",
                 "accounts:password_reset"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], name
    assert b"Brightwater" in client.get(reverse("referrals:public_check")).content
    done = page_form(client, reverse("referrals:public_check"), action="").submit(follow=True)
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
