"""Anything that leaves the case record (bulletins and their PDFs, the themes report, the annual statistics and their
exports, learning events) names children only by a published review's pseudonym, never by name."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from referrals.models import Case
from tests.pdfs import pdf_text
from themes.models import LearningItem

pytestmark = pytest.mark.django_db


def test_published_outputs_use_the_pseudonym_and_never_a_childs_name(client, tmp_path):
    call_command("load_demo")
    from rapidreview.accounts.models import User

    client.force_login(User.objects.get(email="manager@demo.test"))
    names = {c.child_name for c in Case.objects.exclude(child_last_name="")}
    assert names, "the demo should hold named children"
    year = Case.objects.exclude(sin_notified_on=None).latest("sin_notified_on").sin_notified_on.year
    outputs = {
        "themes report": client.get(reverse("themes:report")).content.decode(),
        "themes report CSV": client.get(reverse("themes:report_csv")).content.decode(),
        "statistics": client.get(reverse("themes:statistics") + f"?year={year}").content.decode(),
        "statistics CSV": client.get(reverse("themes:statistics_csv") + f"?year={year}").content.decode(),
        "learning list": client.get(reverse("themes:learning")).content.decode(),
    }
    for item in LearningItem.objects.all():
        outputs[f"learning item {item.title}"] = client.get(
            reverse("themes:learning_detail", args=[item.pk])).content.decode()
        if item.kind == "bulletin":
            response = client.get(reverse("themes:bulletin_pdf", args=[item.pk]))
            assert response.status_code == 200
            outputs[f"bulletin PDF {item.title}"] = pdf_text(response.content)
    for label, text in outputs.items():
        for name in names:
            assert name not in text, f"{label} names {name}"
    published = Case.objects.exclude(pseudonym="")
    assert published.exists(), "the demo should hold a published review"
    assert any(case.pseudonym in text for case in published for text in outputs.values())
