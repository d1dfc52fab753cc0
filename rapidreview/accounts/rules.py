"""Role predicates (django-rules). Object predicates live beside each app's selectors."""

import rules

from .models import Role


def _role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_business_unit = _role(Role.BUSINESS_UNIT)
is_rr_chair = _role(Role.RR_CHAIR)
is_threshold_decision_maker = _role(Role.THRESHOLD)
is_panel_member = _role(Role.PANEL_MEMBER)
is_agency_lead = _role(Role.AGENCY_LEAD)
is_executive = _role(Role.EXECUTIVE)
is_working_group = _role(Role.WORKING_GROUP)

rules.add_perm("accounts.manage_partnership", is_business_unit)
rules.add_perm("accounts.manage_people", is_business_unit)
