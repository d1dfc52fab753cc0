"""Helpers the accounts views share."""

import uuid

from django.utils import timezone

from rapidreview.notifications.services import notify


def security_notice(user, *, what: str, kind: str) -> None:
    """Tell the person by e-mail that their password or second factor changed, in case it was not them. The
    installation's own e-mail: an account is not one partnership's."""
    notify(to=user, subject=f"Your Rapid Review {what} was changed", template="accounts/email/security_change",
           context={"what": what, "when": timezone.now()}, kind=kind,
           key=f"{kind}:{user.pk}:{uuid.uuid4()}", partnership=None)
