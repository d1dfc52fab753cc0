"""The audit section on the case page: a link to the full history, and the legal hold, for those who may see it."""

from django.db.models import OuterRef, Subquery

from rapidreview.accounts.models import Role

from .models import LegalHold


def legal_hold_reason():
    """The case's legal hold reason (None without a hold), read with the case on its page."""
    return Subquery(LegalHold.objects.filter(case_id=OuterRef("pk")).values("reason")[:1])


def case_audit_section(request, case):
    if not request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR):
        return None
    return {"case": case, "hold_reason": case.legal_hold_reason}
