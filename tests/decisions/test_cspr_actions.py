"""The practice review page offers the steps ``decisions.selectors.cspr_actions`` decides, in the order of the
review; the decision pages link to it only when the case has one."""

import dataclasses
import datetime

from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import Cspr
from decisions.selectors import cspr_actions
from referrals.models import Case, Stage

from .factories import LA, the_chair


def _offered(user, cspr) -> set[str]:
    cspr = Cspr.objects.select_related("case").get(pk=cspr.pk)
    return {name for name, on in dataclasses.asdict(cspr_actions(user, cspr)).items() if on}


def _commissioned(signed, bu) -> Cspr:
    services.national_panel_send(case=signed.case, actor=bu, sent_on=timezone.localdate(),
                                 sent_for=the_chair())
    return services.cspr_commission(case=Case.objects.get(pk=signed.case_id), actor=bu, methodology="systems",
                                    methodology_detail="", reviewers="A reviewer", terms_of_reference="Terms",
                                    started_on=timezone.localdate())


def test_the_business_unit_is_offered_each_step_of_the_review_in_turn(bu, signed, executives):
    cspr = _commissioned(signed, bu)
    assert _offered(bu, cspr) == {"manage", "edit_details", "oversee"}
    Cspr.objects.filter(pk=cspr.pk).update(planned_publication_on=timezone.localdate() + datetime.timedelta(days=60))
    assert _offered(bu, cspr) == {"manage", "edit_details", "oversee", "record_report_sent"}
    Cspr.objects.filter(pk=cspr.pk).update(report_sent_on=timezone.localdate())
    assert _offered(bu, cspr) == {"manage", "edit_details", "oversee", "record_publication"}
    Cspr.objects.filter(pk=cspr.pk).update(published_on=timezone.localdate())
    assert _offered(bu, cspr) == {"manage", "record_workshop", "record_implementation_review", "correct_publication"}
    assert _offered(executives[LA], cspr) == set()
    Case.objects.filter(pk=cspr.case_id).update(stage=Stage.CLOSED)
    assert _offered(bu, cspr) == {"correct_publication"}, "a published pseudonym stays correctable"


def test_the_decision_pages_link_to_the_practice_review_only_when_there_is_one(client, bu, signed):
    client.force_login(bu)
    link = reverse("decisions:cspr", args=[signed.case_id])
    assert link not in client.get(reverse("decisions:sheet", args=[signed.case_id])).content.decode()
    _commissioned(signed, bu)
    assert link in client.get(reverse("decisions:sheet", args=[signed.case_id])).content.decode()
    assert link in client.get(reverse("decisions:meeting", args=[signed.case_id])).content.decode()
    page = client.get(link).content.decode()
    assert reverse("decisions:cspr_edit", args=[signed.case_id]) in page
    assert reverse("decisions:cspr_publish", args=[signed.case_id]) not in page
