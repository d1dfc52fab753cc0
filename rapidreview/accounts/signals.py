"""What happens at sign-in and sign-out: session stamps for re-authentication and absolute expiry, and the log.
Also the signal other apps listen to when the installation gains a partnership."""

import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver

from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log

from .decorators import AUTH_AT_SESSION_KEY, LOGIN_AT_SESSION_KEY
from .middleware import PartnershipMiddleware

# Sent by ``services.partnership_create`` inside its transaction, with ``partnership`` (the new row) and ``actor``
# (the installation's administrator): apps that keep a per-partnership list set it up here (themes seeds the
# standard themes list). A receiver that fails undoes the partnership.
partnership_created = Signal()

# Sent once a new partnership row exists: ``partnership_created.send(sender=Partnership, partnership=p, actor=user)``.
# The ledgers give it its starting lists (themes: the standard themes list).
partnership_created = Signal()


@receiver(user_logged_in, dispatch_uid="accounts-stamp-session")
def stamp_session(sender, request, user, **kwargs):
    """Remember when this session began (12-hour absolute limit) and when the password was last typed."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[AUTH_AT_SESSION_KEY] = now
    request.session["last_seen"] = int(now)

    # The sign-in is logged in the partnership the person starts in (their first by name, or the one a link named).
    access_log(request, action=AccessAction.SIGN_IN, obj=user,
               partnership=PartnershipMiddleware.choose(request, user))


@receiver(user_login_failed, dispatch_uid="accounts-log-failure")
def log_failure(sender, credentials, request=None, **kwargs):
    """A failed sign-in is logged without the address typed: it may be someone's mistyped personal e-mail."""
    if request is None:
        return
    access_log(request, action=AccessAction.SIGN_IN_FAILED)
