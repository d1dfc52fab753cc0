"""Writes about panels, one module per part of the process: the membership register, who is invited and what they
are sent, scheduling, the agenda, the meeting itself, conflicts of interest and liaison about clustered cases."""

from .agenda import panel_agenda_save, panel_agenda_send  # noqa: F401
from .attendance import panel_record_attendance, panel_record_held  # noqa: F401
from .conflicts import (  # noqa: F401
    conflict_agree_substitute,
    conflict_declare,
    conflict_record_handling,
    conflict_require_substitutes,
)
from .invitations import (  # noqa: F401
    invitation_reply,
    invitations_sync,
    invitee_choices,
    panel_send_invitations,
    panel_set_up,
    papers_url,
)
from .liaison import liaison_record  # noqa: F401
from .membership import MEMBERSHIP_FIELDS, membership_add, membership_end, membership_update  # noqa: F401
from .scheduling import panel_cancel, panel_schedule  # noqa: F401
