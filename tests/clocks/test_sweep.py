import datetime

import pytest
import time_machine
from django.core import mail

from rapidreview.clocks import ladders
from rapidreview.clocks.ladders import ladder_for, step_date
from rapidreview.clocks.models import Clock, ClockKind, ClockState
from rapidreview.clocks.services import clock_cancel, clock_meet
from rapidreview.clocks.tasks import run_sweep, sweep
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.workdays import is_working_day
from tests.clocks.factories import make_clock
from tests.factories import default_partnership

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    global _committing
    _committing = django_capture_on_commit_callbacks


def _sweep_on(day: datetime.date, times: int = 1, at: datetime.time = datetime.time(9, 0)):
    """Run the sweep ``times`` at ``at`` on ``day``, committing (and so queueing delivery) after each."""
    with time_machine.travel(datetime.datetime.combine(day, at), tick=False):
        for _ in range(times):
            with _committing(execute=True):
                sweep.delay()


def test_every_ladder_step_is_sent_exactly_once_across_repeated_sweeps(people):
    clock = make_clock(kind=ClockKind.AGENCY_FORM, start=D(2026, 3, 2))  # due Thursday 12 March
    assert clock.due_on == D(2026, 3, 12)
    day = D(2026, 3, 2)
    while day <= D(2026, 3, 31):
        _sweep_on(day, times=3)
        day += datetime.timedelta(days=1)

    ladder = ladder_for(ClockKind.AGENCY_FORM)
    rows = Notification.objects.order_by("created_at")
    sent_steps = [(row.kind, row.to_email) for row in rows]
    assert sent_steps == [
        ("clocks.before", "bu@example.test"),
        ("clocks.due", "bu@example.test"),
        ("clocks.overdue", "bu@example.test"),
        ("clocks.escalate_chair", "chair@example.test"),
        ("clocks.escalate_executive", people["exec_chair"].email),
    ]
    assert [step.name for step in ladder] == [k.split(".")[1] for k, _ in sent_steps]
    assert all(row.status == NotificationStatus.SENT for row in rows)
    assert len(mail.outbox) == 5
    assert [m.subject for m in mail.outbox][0].startswith("SCP: Agency check form due 12 March 2026")
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE
    assert clock.next_reminder_on is None


def test_each_step_goes_out_on_its_working_day(people):
    clock = make_clock(kind=ClockKind.AGENCY_FORM, start=D(2026, 3, 2))
    for step in ladder_for(clock.kind):
        day = step_date(clock, step)
        _sweep_on(day - datetime.timedelta(days=1))
        assert not Notification.objects.filter(kind=f"clocks.{step.name}").exists()
        _sweep_on(day)
        assert Notification.objects.filter(kind=f"clocks.{step.name}").count() == 1


def test_the_sweep_marks_a_clock_overdue_the_day_after_it_is_due(people):
    clock = make_clock(start=D(2026, 3, 2))
    _sweep_on(D(2026, 3, 12))
    clock.refresh_from_db()
    assert clock.state == ClockState.RUNNING
    _sweep_on(D(2026, 3, 13))
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE


def test_a_late_sweep_sends_only_the_latest_step_for_each_audience(people):
    make_clock(start=D(2026, 3, 2))
    _sweep_on(D(2026, 3, 18))  # four working days overdue: before, due and overdue are all past
    assert sorted(Notification.objects.values_list("kind", flat=True)) == ["clocks.escalate_chair",
                                                                           "clocks.overdue"]


def test_meeting_a_clock_cancels_its_pending_reminders(people, monkeypatch):
    from rapidreview.notifications import tasks

    clock = make_clock(start=D(2026, 3, 2))
    subject = clock.subject
    monkeypatch.setattr(tasks.deliver_notification, "apply_async", lambda *a, **k: None)  # the worker has not run
    _sweep_on(D(2026, 3, 10))
    assert Notification.objects.get().status == NotificationStatus.QUEUED

    assert clock_meet(subject=subject) == 1
    clock.refresh_from_db()
    assert clock.state == ClockState.MET and clock.met_at is not None and clock.next_reminder_on is None
    assert Notification.objects.get().status == NotificationStatus.CANCELLED

    monkeypatch.undo()
    for day in (D(2026, 3, 12), D(2026, 3, 13), D(2026, 3, 20)):
        _sweep_on(day)
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_a_cancelled_clock_sends_nothing_more(people):
    clock = make_clock(start=D(2026, 3, 2))
    assert clock_cancel(subject=clock.subject) == 1
    _sweep_on(D(2026, 3, 20))
    assert Notification.objects.count() == 0
    assert Clock.objects.get().state == ClockState.CANCELLED


def test_the_owner_audience_asks_the_finder_registered_for_the_subjects_model(people, monkeypatch):
    from rapidreview.accounts.models import Agency
    from tests.factories import make_user

    lead = make_user(email="lead@example.test")
    monkeypatch.setattr(ladders, "_owner_finders", {**ladders._owner_finders})
    ladders.register_reminder_owners(Agency, lambda subject, clock: [lead])
    make_clock(start=D(2026, 3, 2))
    _sweep_on(D(2026, 3, 10))
    assert list(Notification.objects.values_list("to_email", flat=True)) == ["lead@example.test"]


def test_a_reminder_names_the_case_reference_and_never_the_childs_name(people, monkeypatch):
    from rapidreview.accounts.models import Agency

    monkeypatch.setattr(Agency, "reminder_reference", "RR-2026-007", raising=False)
    monkeypatch.setattr(Agency, "get_absolute_url", lambda self: "/cases/abc/", raising=False)
    make_clock(start=D(2026, 3, 2), label="Barts Health")
    _sweep_on(D(2026, 3, 10))
    row = Notification.objects.get()
    assert row.subject == "SCP: RR-2026-007: Agency check form due 12 March 2026"
    assert "RR-2026-007" in row.body_text and "12 March 2026" in row.body_text
    assert "http://127.0.0.1:8000/cases/abc/?partnership=partnership" in row.body_text  # opens in its partnership
    assert 'href="http://127.0.0.1:8000/cases/abc/?partnership=partnership"' in row.body_html


def test_the_sweep_query_count_does_not_grow_with_clocks_that_are_not_due(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_clock(start=D(2026, 3, 2))
    with CaptureQueriesContext(connection) as few:
        run_sweep(D(2026, 3, 10))
    Notification.objects.all().delete()
    Clock.objects.update(next_step=0, next_reminder_on=D(2026, 3, 10))
    for _ in range(40):
        make_clock(start=D(2026, 6, 1))  # due in June: nothing to send in March
    with CaptureQueriesContext(connection) as many:
        run_sweep(D(2026, 3, 10))
    assert len(many) == len(few)


def test_a_row_written_while_the_broker_was_down_is_delivered_by_the_next_sweep(people, monkeypatch):
    from kombu.exceptions import OperationalError

    from rapidreview.notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Redis is down")

    make_clock(start=D(2026, 3, 2))
    monkeypatch.setattr(tasks.deliver_notification, "apply_async", broker_down)
    _sweep_on(D(2026, 3, 10))
    row = Notification.objects.get()
    assert row.status == NotificationStatus.QUEUED
    assert mail.outbox == []

    monkeypatch.undo()
    _sweep_on(D(2026, 3, 10))  # a minute later: too soon to tell a lost row from one on its way
    assert mail.outbox == []
    _sweep_on(D(2026, 3, 10), at=datetime.time(9, 20))
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    _sweep_on(D(2026, 3, 11))
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def _working(day: datetime.date) -> bool:
    return is_working_day(day, partnership=default_partnership())


def test_a_deadline_counted_in_calendar_days_due_on_a_saturday_is_reminded_on_working_days_only(people):
    clock = make_clock(kind=ClockKind.CDOP_REFERRAL, start=D(2026, 3, 7))  # 7 calendar days: Saturday 14 March
    assert clock.due_on == D(2026, 3, 14) and clock.due_on.weekday() == 5
    day = D(2026, 3, 7)
    while day <= D(2026, 3, 25):
        _sweep_on(day, times=2)
        day += datetime.timedelta(days=1)
    rows = list(Notification.objects.order_by("created_at"))
    assert [row.kind for row in rows] == ["clocks.before", "clocks.due", "clocks.overdue", "clocks.escalate_chair",
                                          "clocks.escalate_executive"]
    assert all(_working(row.created_at.date()) for row in rows), [row.created_at for row in rows]
    due = rows[1]
    assert due.created_at.date() == D(2026, 3, 13)  # the Friday before: still time to act
    assert due.subject == "SCP: Referral after CDOP or JAR discussion due 14 March 2026"
    assert not any("due today" in row.subject for row in rows)


def test_a_sweep_on_a_weekend_sends_no_reminder_and_the_next_working_day_sends_it(people):
    clock = make_clock(kind=ClockKind.ACTION, start=D(2026, 3, 2), due=D(2026, 3, 13))  # due Friday 13 March
    Clock.objects.filter(pk=clock.pk).update(next_reminder_on=D(2026, 3, 13), next_step=1)  # Friday's sweep missed
    for day in (D(2026, 3, 14), D(2026, 3, 15)):  # Saturday, Sunday
        _sweep_on(day)
    assert not Notification.objects.exists()
    clock.refresh_from_db()
    assert clock.state == ClockState.OVERDUE  # the deadline itself still passes at the weekend
    _sweep_on(D(2026, 3, 16))  # Monday
    row = Notification.objects.get()
    assert row.created_at.date() == D(2026, 3, 16)
    assert row.kind == "clocks.overdue"


def test_the_chair_gets_one_email_listing_nine_escalations_and_each_step_is_recorded_once(people):
    from rapidreview.clocks.models import Reminder

    clocks = [make_clock(start=D(2026, 3, 2)) for _ in range(9)]  # nine agency forms due 12 March
    _sweep_on(D(2026, 3, 17), times=3)  # three working days overdue: escalated to the chair
    to_chair = [m for m in mail.outbox if m.to == ["chair@example.test"]]
    assert len(to_chair) == 1
    assert to_chair[0].subject == "SCP: Escalated to you: 9 overdue deadlines"
    assert to_chair[0].body.count("Agency check form") == 9
    to_unit = [m for m in mail.outbox if m.to == ["bu@example.test"]]
    assert len(to_unit) == 1 and to_unit[0].subject == "SCP: 9 deadlines need your attention, 9 overdue"
    assert len(mail.outbox) == 2

    reminders = Reminder.objects.all()
    assert reminders.count() == 18
    assert {(r.clock_id, r.step, r.recipient.email) for r in reminders} == (
        {(c.pk, "escalate_chair", "chair@example.test") for c in clocks}
        | {(c.pk, "overdue", "bu@example.test") for c in clocks})
    assert reminders.filter(notification__isnull=True).count() == 0
    assert Notification.objects.count() == 2

    _sweep_on(D(2026, 3, 19))  # two days later, the executive step is due for all nine: one more e-mail
    assert Notification.objects.count() == 3
    assert Reminder.objects.filter(step="escalate_executive").count() == 9


def test_meeting_one_clock_does_not_cancel_an_email_that_lists_other_deadlines_too(people, monkeypatch):
    from rapidreview.notifications import tasks

    first, second = make_clock(start=D(2026, 3, 2)), make_clock(start=D(2026, 3, 2))
    monkeypatch.setattr(tasks.deliver_notification, "apply_async", lambda *a, **k: None)  # the worker has not run
    _sweep_on(D(2026, 3, 10))
    note = Notification.objects.get()
    assert note.kind == "clocks.reminders"
    clock_meet(subject=first.subject)
    note.refresh_from_db()
    assert note.status == NotificationStatus.QUEUED  # still about the second deadline
    clock_meet(subject=second.subject)
    note.refresh_from_db()
    assert note.status == NotificationStatus.CANCELLED


def _count_queries_of_a_sweep(day: datetime.date) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries, _committing(execute=True):
        run_sweep(day)
    return len(queries)


def test_a_sweep_of_fifty_due_reminders_runs_as_many_queries_as_a_sweep_of_six(people, monkeypatch):
    # 25 clocks: SQLite splits one INSERT of more than 999 parameters (38 history rows) in two; PostgreSQL never.
    from rapidreview.clocks.models import Reminder
    from rapidreview.notifications import tasks

    monkeypatch.setattr(tasks.deliver_notification, "apply_async", lambda *a, **k: None)  # the worker has not run
    few = [make_clock(start=D(2026, 3, 2)) for _ in range(3)]
    six = _count_queries_of_a_sweep(D(2026, 3, 17))  # escalated: the business unit and the chair, per clock
    assert Reminder.objects.filter(clock__in=few).count() == 6

    Notification.objects.all().delete()  # and their reminders
    many = [make_clock(start=D(2026, 3, 2)) for _ in range(22)] + few
    Clock.objects.update(next_step=0, next_reminder_on=D(2026, 3, 10), state=ClockState.RUNNING)
    fifty = _count_queries_of_a_sweep(D(2026, 3, 17))
    assert Reminder.objects.filter(clock__in=many).count() == 50
    assert Notification.objects.count() == 2  # the business unit's and the chair's
    assert fifty == six


def test_two_sweeps_put_each_due_reminder_in_the_outbox_exactly_once(people):
    from rapidreview.clocks.models import Reminder

    clocks = [make_clock(start=D(2026, 3, 2)) for _ in range(12)]
    _sweep_on(D(2026, 3, 17), times=2)
    reminders = Reminder.objects.all()
    assert sorted(reminders.values_list("clock_id", "step", "recipient__email")) == sorted(
        [(c.pk, "overdue", "bu@example.test") for c in clocks]
        + [(c.pk, "escalate_chair", "chair@example.test") for c in clocks])
    assert all(r.notification_id for r in reminders)
    assert sorted(Notification.objects.values_list("to_email", flat=True)) == ["bu@example.test",
                                                                                "chair@example.test"]
    for note in Notification.objects.all():
        assert note.body_text.count("Agency check form") == 12
    assert len(mail.outbox) == 2
    assert all(clock.next_step == 4 for clock in Clock.objects.all())
    assert all(clock.history.count() == 2 for clock in Clock.objects.all())  # started, then advanced by one sweep
    for clock in Clock.objects.all():  # the sweep's record is the clock as it left it, as its save() would write
        latest = clock.history.order_by("-history_id").first()
        assert (latest.history_type, latest.history_user, latest.state, latest.due_on, latest.owner_user_id) == (
            "~", None, clock.state, clock.due_on, clock.owner_user_id)
        assert latest.history_date == clock.updated_at and latest.state == ClockState.OVERDUE


def test_a_digest_is_composed_when_it_is_delivered_and_the_outbox_shows_it_before(people, client):
    """The sweep writes each digest with its template and context (ADR 0028); delivery composes it, keeps what it
    sent and drops the template; until then the outbox page composes it to show it."""
    from django.urls import reverse

    from rapidreview.notifications.delivery import deliver

    make_clock(start=D(2026, 3, 2), label="Barts Health")  # due 12 March
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0), tick=False):
        run_sweep(D(2026, 3, 10))  # no commit here: nothing is handed to delivery yet
    note = Notification.objects.get()
    assert note.status == NotificationStatus.QUEUED and note.body_text == "" and note.body_html == ""
    assert note.template == "clocks/email/reminders" and note.context["items"][0]["due_text"] == "12 March 2026"
    client.force_login(people["business_unit"])
    page = client.get(reverse("notifications:detail", args=[note.pk])).content.decode()
    assert "Agency check form – Barts Health" in page and "by 12 March 2026" in page
    deliver(note.pk)
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT and note.template == "" and note.context is None
    assert "by 12 March 2026" in note.body_text and "by <strong>12 March 2026</strong>" in note.body_html
    assert mail.outbox[-1].body == note.body_text and mail.outbox[-1].alternatives[0][0] == note.body_html


def test_no_index_names_a_column_the_sweep_advances_so_clocks_are_updated_in_place():
    """ADR 0036: the sweep changes these on every clock it reminds about; an index over any of them would make
    PostgreSQL write an entry into every index of the table for every clock (no heap-only update)."""
    from django.db import connection

    advanced = {"next_step", "next_reminder_on", "updated_at"}
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Clock._meta.db_table)
    indexed = {name: set(c["columns"]) for name, c in constraints.items() if c["index"] or c["unique"]}
    assert len(indexed) >= 10  # the table's indexes were read
    assert {name: columns & advanced for name, columns in indexed.items() if columns & advanced} == {}
