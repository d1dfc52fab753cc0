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
