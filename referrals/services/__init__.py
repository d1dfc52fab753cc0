"""Writes on cases. Every stage change goes through ``case_transition``; each step of the process is one
function here, kept in the module for its part of the process."""

from ..timeline import case_record_event  # noqa: F401
from .cases import case_transition  # noqa: F401
from .cdop import cdop_discussion_no_referral, cdop_discussion_record, cdop_referral_due_on  # noqa: F401
from .children import CHILD_FIELDS, incident_child_add, incident_child_edit, incident_child_remove  # noqa: F401
from .intake import CASE_FIELDS, case_next_reference, referral_submit  # noqa: F401
from .not_met import (  # noqa: F401
    DEFAULT_NEXT_STEPS,
    assurance_request_answer,
    assurance_request_create,
    case_close_without_review,
    letter_allowed,
    letter_can_be_emailed,
    letter_default_next_steps,
    letter_save,
    letter_send,
    render_letter_html,
    render_letter_pdf,
)
from .participation import (  # noqa: F401
    HANDOVER_STAGES,
    case_answer_lead,
    case_end_participation,
    case_invite_partnership,
    case_propose_lead,
)
from .sin import case_record_sin, sin_due_on, sin_tells_ofsted  # noqa: F401
from .threshold import case_send_to_threshold, referral_record_threshold, threshold_partner  # noqa: F401
