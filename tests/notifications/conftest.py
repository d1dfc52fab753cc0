import datetime

import pytest

from rapidreview.accounts.models import Role, RoleAssignment, StatutoryPartner
from tests.factories import make_executive, make_user
from tests.notifications.smtp_sink import SmtpSink


@pytest.fixture
def people(db):
    """One person in each audience of a reminder ladder, holding their role since 2020 (tests travel in time)."""
    found = {
        "business_unit": make_user(Role.BUSINESS_UNIT, email="bu@example.test"),
        "rr_chair": make_user(Role.RR_CHAIR, email="chair@example.test"),
        "exec_chair": make_executive(StatutoryPartner.LOCAL_AUTHORITY, chair=True),
    }
    RoleAssignment.objects.update(starts_on=datetime.date(2020, 1, 1))
    return found


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on a free local port; Django sends to it over SMTP."""
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield sink
