"""Helpers the referral services share."""

from rapidreview.db import DomainError


def require_role(actor, *roles, partnership, message="You do not have permission to do this."):
    """Refuse a write by someone who holds none of ``roles`` today in ``partnership`` (the case's leading
    partnership: only it changes the case)."""
    if actor is None or not actor.has_role_in(partnership, *roles):
        raise DomainError(message)
