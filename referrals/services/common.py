"""Helpers the referral services share."""

import re

from rapidreview.db import DomainError

from ..models import IncidentChild


def require_role(actor, *roles, partnership, message="You do not have permission to do this."):
    """Refuse a write by someone who holds none of ``roles`` today in ``partnership`` (the case's leading
    partnership: only it changes the case)."""
    if actor is None or not actor.has_role_in(partnership, *roles):
        raise DomainError(message)


def refuse_child_names(case, text: str) -> None:
    """Refuse ``text`` that names a child in the incident: it is sent by e-mail, which never names them."""
    words = set(re.findall(r"[\w'-]+", text.lower()))
    names = [case.child_first_name, case.child_last_name]
    for first, last in IncidentChild.objects.filter(case_id=case.pk).values_list("first_name", "last_name"):
        names += [first, last]
    for name in names:
        if name and len(name) > 1 and name.lower() in words:
            raise DomainError("Do not name the child: this is sent by e-mail. Use the case reference instead.")
