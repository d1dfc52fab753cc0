"""Who may open the agency check pages."""

from rapidreview.accounts.models import Role

STAFF = (Role.BUSINESS_UNIT, Role.RR_CHAIR)
FORM_ROLES = (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.AGENCY_LEAD)
