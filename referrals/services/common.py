"""Helpers the referral services share."""

from rapidreview.db import DomainError


def require_role(actor, *roles, message="You do not have permission to do this."):
    """Refuse a write by someone who holds none of ``roles`` today."""
    if actor is None or not actor.has_role(*roles):
        raise DomainError(message)
