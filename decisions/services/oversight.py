"""Telling the partnership chair and the independent scrutineer of decisions (Working Together 2023).

Their addresses are partnership settings; they may have no account, so the e-mail goes to the address. Like every
e-mail it names the case by its reference only, never the child.
"""

from rapidreview.notifications.services import notify
from referrals.models import Case

EVENTS = {
    "sheet_signed": "Decision sheet signed",
    "national_panel_response": "National Panel response recorded",
    "cspr_commissioned": "Practice review commissioned",
    "cspr_published": "Practice review published",
}


def oversight_recipients(partnership) -> list[tuple[str, str]]:
    """(role, address) of the partnership chair and the independent scrutineer, where the partnership holds one."""
    rows = [("chair", partnership.chair_email), ("scrutineer", partnership.scrutineer_email)]
    return [(role, address) for role, address in rows if address]


def oversight_tell(*, case: Case, event: str, detail: str, related, key: str) -> int:
    """Queue one e-mail to the chair and one to the scrutineer about ``event``; returns how many were queued.

    Called inside the service that makes the decision, so the e-mail is written in the same transaction.
    """
    partnership = case.partnership
    sent = 0
    for role, address in oversight_recipients(partnership):
        note = notify(to=address, subject=f"{EVENTS[event]}: {case.reference}",
                      template="decisions/email/oversight", kind=f"decisions.oversight.{event}",
                      context={"reference": case.reference, "event": EVENTS[event], "detail": detail,
                               "role": role},
                      key=f"decisions.oversight.{event}:{key}:{role}", related=related, partnership=partnership)
        sent += note is not None
    return sent
