"""Writes for the panel's outcome and what follows it. Each transition is one function here."""

from .cspr import (  # noqa: F401
    cspr_commission,
    cspr_correct_publication,
    cspr_publish,
    cspr_record_implementation_review,
    cspr_record_workshop,
    cspr_report_sent,
    cspr_update,
    milestone_add,
    milestone_complete,
    parallel_process_save,
    participation_update,
)
from .cspr_conduct import (  # noqa: F401
    cspr_checkpoint_record,
    cspr_record_family_draft,
    cspr_request_answered,
    cspr_request_information,
    family_contact_save,
)
from .meeting import immediate_action_add, meeting_save, vote_close, vote_record  # noqa: F401
from .national_panel import (  # noqa: F401
    national_panel_correct_sent,
    national_panel_record_response,
    national_panel_send,
    no_cspr_record,
)
from .sheets import (  # noqa: F401
    dispute_escalate,
    dispute_record_meeting,
    dispute_resolve,
    sheet_edit,
    sheet_prefill,
    sheet_revise,
    sheet_send,
    sheet_start,
    sheet_withdraw,
    signature_record,
)
