"""The audit section on the case page: a link to the full history, and the legal hold, for those who may see it."""

from rapidreview.accounts.models import Role

from .models import LegalHold


def case_audit_section(request, case):
    if not request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR):
        return None
    return {"case": case, "hold": LegalHold.objects.filter(case_id=case.pk).first(),
            "can_hold": request.user.has_role(Role.BUSINESS_UNIT)}
