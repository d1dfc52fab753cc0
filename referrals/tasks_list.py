"""The case page's task list: the rows for the stages this app owns (received, threshold, not met, SIN), then
every later stage's."""

from django.urls import reverse

from rapidreview.accounts.models import Role
from rapidreview.registry import case_tasks_for

from .models import Case, Source, Stage, ThresholdOutcome
from .selectors import leads_case, one_to_one


def case_tasks(case: Case, user) -> list[dict]:
    """Every task row of the case for ``user``. A partnership that only takes part in the case sees where it
    stands, with nothing to act on: no row links anywhere (changes are for the leading partnership)."""
    rows = own_tasks(case, user) + case_tasks_for(case)
    if not leads_case(user, case):
        return [{**row, "url": None} for row in rows]
    return rows


def own_tasks(case: Case, user) -> list[dict]:
    rows = []

    def url(name):
        return reverse(f"referrals:{name}", args=[case.pk])

    runs = user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)
    decides = user.has_role(Role.BUSINESS_UNIT, Role.THRESHOLD)
    decision = one_to_one(case, "threshold_decision")

    sent = case.stage != Stage.RECEIVED
    rows.append({"label": "Send for the threshold discussion", "status": "done" if sent else "todo",
                 "url": url("send_threshold") if not sent and user.has_role(Role.BUSINESS_UNIT) else None})
    if not sent:
        rows.append({"label": "Record the threshold discussion", "status": "cannot_start", "url": None})
        return rows
    rows.append({"label": "Record the threshold discussion", "status": "done" if decision else "todo",
                 "url": url("threshold_record") if decision is None and decides else None,
                 "hint": decision.get_outcome_display() if decision else ""})
    if decision is None:
        return rows
    closed = case.stage == Stage.CLOSED
    if decision.outcome in (ThresholdOutcome.MET, ThresholdOutcome.NOTIFY_ONLY):
        notify_only = decision.outcome == ThresholdOutcome.NOTIFY_ONLY
        sin = one_to_one(case, "sin")
        if user.has_role(Role.BUSINESS_UNIT):
            rows.append({"label": "Prepare the notification for the national system", "status": "optional",
                         "url": url("sin_sheet"), "hint": "Every answer the DfE form asks for, ready to copy"})
        rows.append({"label": "Record the notification to the Secretary of State and Ofsted" if notify_only
                     else "Record the Serious Incident Notification", "status": "done" if sin else "todo",
                     "url": url("sin_record") if sin is None and runs else None,
                     "hint": f"Notified {sin.notified_on:%-d %B %Y}" if sin else ""})
        if case.source == Source.PUBLIC and not notify_only:  # the public done page promises a letter
            rows += _letter_rows(case, runs, url, may_write=True)
        if notify_only and sin is not None:
            rows.append(_learning_row(case, runs and not closed))
            rows.append({"label": "Record themes and close the case", "status": "done" if closed else "todo",
                         "url": url("case_close") if runs and not closed else None,
                         "hint": "No rapid review follows this notification"})
        return rows

    rows += _letter_rows(case, runs, url, may_write=not closed)
    letter = one_to_one(case, "letter")
    open_requests = [r for r in case.assurance_requests.all() if not r.is_answered]
    rows.append({"label": "Ask an agency for assurance", "status": "in_progress" if open_requests else "optional",
                 "url": url("assurance_new") if runs and not closed else None,
                 "hint": f"{len(open_requests)} awaiting an answer" if open_requests else ""})
    rows.append(_learning_row(case, runs and not closed))
    ready = bool(letter and letter.sent_on and not open_requests)
    rows.append({"label": "Record themes and close the case",
                 "status": "done" if closed else ("todo" if ready else "cannot_start"),
                 "url": url("case_close") if runs and ready and not closed else None})
    return rows


def _learning_row(case: Case, may_start: bool) -> dict:
    """A local learning route when the case has learning but no review: a local learning review, a practitioner
    learning event or a 7-minute briefing, planned on the learning pages and linked to this case."""
    return {"label": "Start a local learning route", "status": "optional",
            "url": reverse("themes:learning_route_start", args=[case.pk]) if may_start else None,
            "hint": "A local learning review, a practitioner learning event or a 7-minute briefing"}


def _letter_rows(case: Case, runs: bool, url, *, may_write: bool) -> list[dict]:
    letter = one_to_one(case, "letter")
    sent = bool(letter and letter.sent_on)
    return [
        {"label": "Prepare the letter to the referrer", "status": "done" if letter else "todo",
         "url": url("letter_edit") if runs and may_write and not sent else None},
        {"label": "Send the letter", "status": "done" if sent else ("todo" if letter else "cannot_start"),
         "url": url("letter_send") if runs and letter and not sent else None},
    ]
