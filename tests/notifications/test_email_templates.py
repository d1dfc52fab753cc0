"""Every e-mail template in the repository, rendered as ``notify`` renders it, with realistic context whose names
hold apostrophes and ampersands: plain text is never HTML-escaped, every e-mail has the same greeting and sign-off,
and none names the child."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from rapidreview.accounts.models import User
from rapidreview.notifications.composing import render_email
from rapidreview.notifications.services import SUBJECT_MAX, subject_line
from rapidreview.partnership_export.models import PartnershipExport
from tests.factories import default_partnership, make_partnership, make_user
from tests.referrals.factories import CaseFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered around every e-mail, or a subject line: not an e-mail body of their own.
NOT_BODIES = {"notifications/email/layout", "accounts/email/password_reset_subject"}
ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")
SIGN_OFF = "business unit\nYou can reply to this e-mail if you have a question."
# The installation's own e-mails (about an account, not one partnership's work): signed by the installation.
INSTALLATION_EMAILS = {"accounts/email/password_reset", "accounts/email/security_change"}
INSTALLATION_SIGN_OFF = "Rapid Review\nPlease do not reply to this e-mail."
AGENCY = "St Mary's & St John's School"
MEMBER = "Siobhan O'Neill"
PARTNERSHIP = "Barnet & Harrow Children's Safeguarding Partnership"
TAKING_PART = "Brent & Ealing Children's Safeguarding Partnership"


def email_templates() -> list[str]:
    names = {str(path.relative_to(TEMPLATES).with_suffix("")) for path in TEMPLATES.glob("**/email/*.txt")}
    return sorted(names - NOT_BODIES)


@pytest.fixture
def case(db):
    partnership = default_partnership()
    partnership.name, partnership.short_name = PARTNERSHIP, "B&H CSP"
    partnership.save()
    return CaseFactory(reference="RR-2026-014", partnership=partnership, child_first_name="Nia",
                       child_last_name="O'Brien", child_dob=datetime.date(2015, 4, 2))


def contexts(case) -> dict[str, dict]:
    """What each template's caller passes (see the ``notify`` calls in the stage apps)."""
    start = timezone.make_aware(datetime.datetime(2026, 3, 12, 10, 0))
    panel = SimpleNamespace(case=case, agenda="1. Introductions & apologies\n2. The agencies' checks",
                            venue="Mulberry Place, Clove Crescent", online_link="https://teams.example/j/1")
    version = SimpleNamespace(number=2)
    conflict = SimpleNamespace(user=SimpleNamespace(full_name=MEMBER))
    form = {"reference": case.reference, "agency": AGENCY, "url": "/agency-checks/7/",
            "due_on": datetime.date(2026, 3, 12), "count": 3}
    taking_part = make_partnership(TAKING_PART, slug="brent-ealing", short_name="B&E CSP")
    # To a lead: the link opens in the partnership where they are the agency's lead (agencychecks._notify_leads).
    to_lead = {**form, "link_partnership": taking_part}
    export = PartnershipExport(partnership=case.partnership, requested_by=User(full_name="Dara O'Connor"),
                               confirmed_by=User(full_name=MEMBER), status="ready",
                               reason="We're moving to the North & West London installation.",
                               expires_at=timezone.make_aware(datetime.datetime(2026, 3, 19, 10, 0)))
    return {
        "accounts/email/password_reset": {"protocol": "https", "domain": "rr.example.org", "uid": "MQ",
                                          "token": "c3x-0a1b2c"},
        "accounts/email/security_change": {"what": "password", "when": start},
        "accounts/email/welcome": {"new_account": True, "role": "Business unit",
                                   "set_password_url": "https://rr.example.org/accounts/reset/MQ/c3x-0a1b2c/"},
        "agencychecks/email/accepted": to_lead,
        "agencychecks/email/issued": to_lead,
        "agencychecks/email/pack": form,
        "agencychecks/email/returned": to_lead,
        "agencychecks/email/submitted": form,
        "audit/email/retention_review": {"count": 2},
        "clocks/email/reminders": {"items": [
            {"what": "Agency check form", "label": AGENCY, "reference": case.reference,
             "due_on": "2026-03-12", "due_text": "12 March 2026", "days_left": -3, "days_over": 3,
             "unit": "working day",
             "escalation": True, "path": "/agency-checks/7/"},
            {"what": "Rapid review panel meeting", "label": "", "reference": case.reference,
             "due_on": "2026-03-16", "due_text": "16 March 2026", "days_left": 2, "days_over": -2,
             "unit": "working day",
             "escalation": False, "path": f"/cases/{case.pk}/"}]},
        "decisions/email/disputed": {"case": case, "version": version, "url": "/decisions/3/"},
        "decisions/email/escalated": {"case": case, "url": "/decisions/3/"},
        "decisions/email/oversight": {"reference": case.reference, "event": "Decision sheet signed",
                                      "detail": "The partners decided to hold a Child Safeguarding Practice Review.",
                                      "role": "scrutineer"},
        "decisions/email/reviewer_request": {
            "reference": case.reference, "name": "Dr Jo O'Neill & Associates", "requester": MEMBER,
            "request": SimpleNamespace(get_kind_display="A draft report", detail="The draft's chapters 1 & 2.",
                                       due_on=datetime.date(2026, 4, 1), requested_on=datetime.date(2026, 3, 12))},
        "decisions/email/sign_request": {"case": case, "version": version, "url": "/decisions/3/"},
        "decisions/email/signed": {"case": case, "version": version, "url": "/decisions/3/"},
        "panels/email/agenda": {"panel": panel, "papers_url": "https://rr.example.org/pack/1/", "local_start": start,
                                "panel_url": "https://rr.example.org/panels/1/"},
        "panels/email/cancellation": {"panel": panel, "reason": "The chair's meeting & the panel clash.",
                                      "local_start": start},
        "panels/email/conflict_declared": {"conflict": conflict, "case": case, "url": "https://rr.example.org/c/"},
        "panels/email/invitation": {"panel": panel, "invitation": SimpleNamespace(seat="Children's Social Care",
                                                                                  voting=True),
                                    "update": False, "papers_url": "", "panel_url": "https://rr.example.org/p/1/",
                                    "local_start": start},
        "panels/email/substitute_required": {"case": case, "conflicts": [conflict], "url": "https://rr.example.org/"},
        "partnership_export/email/ready": {"export": export},
        "partnership_export/email/requested": {"export": export},
        "referrals/email/assurance_answered": {"case": case, "item": SimpleNamespace(agency="Barts Health & Co")},
        "referrals/email/assurance_request": {"case": case, "item": SimpleNamespace(
            due_on=datetime.date(2026, 4, 1), agency="Barts Health & Co",
            request="What's your policy on 'was not brought'?",
            get_absolute_url="/assurance/1/")},
        "referrals/email/letter": {"reference": case.reference},
        "referrals/email/lead_answered": {"case": case, "handover": SimpleNamespace(
            accepted=False, from_partnership=case.partnership, to_partnership=taking_part,
            answer_note="It happened on the A40, which is in Ealing & not Brent.")},
        "referrals/email/lead_proposed": {"case": case, "handover": SimpleNamespace(
            from_partnership=case.partnership, to_partnership=taking_part,
            reason="The incident happened at a relative's flat in Ealing & the police there attended.")},
        "referrals/email/participation_ended": {"case": case, "taking_part": taking_part},
        "referrals/email/participation_invited": {
            "case": case, "taking_part": taking_part,
            "reason": "The family moved to Ealing in January; the child's school & GP are there."},
        "referrals/email/public_acknowledgement": {"reference": case.reference},
        "referrals/email/referral_received": {"case": case, "source": "Professional", "late": True},
        "referrals/email/threshold_needed": {"case": case},
        "themes/email/bulletin": {"item": SimpleNamespace(
            title="Learning from 'Child T': neglect & drift", date=datetime.date(2026, 5, 1),
            body="What we learnt & what agencies' staff should do.", materials_url="https://example.org/a?b=1&c=2")},
    }


def test_every_email_template_has_a_realistic_context_here(case):
    assert sorted(contexts(case)) == email_templates(), "add the new e-mail template's context to contexts()"


@pytest.mark.parametrize("template", email_templates())
@pytest.mark.parametrize("to_user", [True, False], ids=["to a user", "to an address"])
def test_every_email_reads_plainly_greets_signs_off_and_never_names_the_child(case, template, to_user):
    user = make_user(full_name=MEMBER, email="siobhan@example.test") if to_user else None
    installation = template in INSTALLATION_EMAILS
    text, html = render_email(template=template, context=contexts(case)[template], recipient=user,
                              partnership=None if installation else case.partnership)

    assert not ENTITY.search(text), f"HTML entity in the text part: {ENTITY.search(text).group()}"
    if not installation:
        assert f"{PARTNERSHIP} business unit" in text  # so every text holds an apostrophe and an ampersand
        # A link into the service opens in the partnership it belongs to, for readers with roles in several (ADR 0015).
        for link in re.findall(re.escape(settings.SITE_URL) + r"\S*", text):
            assert "partnership=" in link, f"the link {link} does not say which partnership it opens in"
    assert text.startswith("Hello Siobhan,\n\n" if to_user else "Hello,\n\n")
    assert text.rstrip().endswith(INSTALLATION_SIGN_OFF if installation else SIGN_OFF)
    assert text.count("Hello") == 1 and "Dear " not in text
    for said in ("Nia", "O'Brien", "2 April 2015", "02/04/2015", "2015-04-02"):
        assert said not in text and said not in html
    for jargon in ("clock has started", "quality assur", "escalated to you"):
        assert jargon not in text.lower()
    if html:
        assert "Hello Siobhan," in html if to_user else "Hello," in html
        assert "&amp;#" not in html and "&amp;amp;" not in html  # escaped once, never twice


def test_subjects_are_short_and_never_cut_in_the_middle_of_a_word():
    title = ("Learning from the rapid review of a serious incident: neglect, drift and the voice of the child in "
             "multi-agency practice")
    short = subject_line(title)
    assert len(short) <= SUBJECT_MAX + 1
    assert short.endswith("…")
    assert title.startswith(short[:-1])
    assert title[len(short) - 1] == " "  # the cut falls between words
    assert subject_line("  Agency check form\n due  ") == "Agency check form due"
    assert subject_line("x" * 100).startswith("x" * 80)  # one long word: cut, there is no better place
