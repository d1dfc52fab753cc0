"""The business unit's dashboard card for e-mails that have not gone (registered in NotificationsConfig.ready)."""

from .selectors import undelivered


def undelivered_card(request) -> dict | None:
    found = undelivered(request.user)
    return found if found["failed"] or found["retrying"] else None
