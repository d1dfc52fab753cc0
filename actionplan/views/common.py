"""Who may read and manage the action plan, shared by every action plan view."""

from rapidreview.accounts.models import Role

VIEWERS = (Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.AGENCY_LEAD)
# Overdue actions escalate to the rapid review chair and the chair of the Executive, so they may read them too;
# which actions anyone sees is decided by selectors.actions_visible_to.
READERS = (*VIEWERS, Role.RR_CHAIR, Role.EXECUTIVE)
MANAGERS = (Role.WORKING_GROUP, Role.BUSINESS_UNIT)
