"""Clocks for tests. Their subject is an agency: a real model with a UUID key and no registered reminder owners
(``register_reminder_owners``), so the "owner" audience falls back to the business unit unless a test gives it one."""

import datetime

from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_start
from tests.factories import AgencyFactory, default_partnership


def make_clock(*, kind=ClockKind.AGENCY_FORM, start=datetime.date(2026, 3, 2), due=None, subject=None,
               case_id=None, partnership=None, **kwargs):
    """A clock of ``partnership`` (default: ``default_partnership()``)."""
    subject = subject or AgencyFactory()
    return clock_start(kind=kind, subject=subject, start=start, due=due, case_id=case_id,
                       partnership=partnership or default_partnership(), **kwargs)
