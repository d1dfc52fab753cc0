"""Case.get_absolute_url builds the address from a pattern; it must be what reverse() gives."""

import uuid

from django.urls import reverse

from referrals.models import Case


def test_the_case_address_is_what_reverse_gives():
    case = Case(id=uuid.uuid4())
    assert case.get_absolute_url() == reverse("referrals:case_detail", args=[case.pk])
