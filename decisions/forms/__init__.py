"""Forms for the panel's outcome, one module per part of the process (as the views are)."""

from .cspr_conduct import (  # noqa: F401
    CheckpointForm,
    FamilyContactForm,
    FamilyDraftForm,
    InformationRequestForm,
    RequestAnsweredForm,
)
from .meeting import ImmediateActionForm, MeetingRecordForm, VoteForm  # noqa: F401
from .outcome import (  # noqa: F401
    ActionFormSet,
    ActionRowForm,
    CsprCommissionForm,
    CsprUpdateForm,
    DateNotesForm,
    MilestoneForm,
    NationalPanelCorrectForm,
    NationalPanelResponseForm,
    NationalPanelSendForm,
    NoCsprForm,
    ParallelProcessForm,
    ParticipationForm,
    PublicationCorrectionForm,
    PublishForm,
    ReportSentForm,
)
from .sheets import (  # noqa: F401
    DisputeMeetingForm,
    EscalateForm,
    ResolveForm,
    SheetForm,
    SignForm,
    WithdrawForm,
)
