"""The panel's outcome and everything decided after it.

- ``MeetingRecord``: what the rapid review panel discussed, written by the business unit during and after the
  meeting, with the ``Vote`` of each voting member present. Closing the vote moves the case to ``decision``.
- ``DecisionSheet`` with its ``DecisionSheetVersion`` rows, ``Signature`` rows and ``Dispute`` rows: the sheet the
  three statutory partners sign.
- ``NationalPanelSubmission``: when the signed sheet went to the National Panel and what it answered.
- ``Cspr`` (with milestones, agency participation and parallel processes) when a Child Safeguarding Practice
  Review is commissioned; ``AlternativeLearning`` when it is not.
"""

from .criteria import REGULATION_3, REGULATION_11, CriterionView  # noqa: F401
from .cspr import (  # noqa: F401
    Consent,
    Cspr,
    CsprCheckpoint,
    CsprInformationRequest,
    CsprMilestone,
    CsprParticipation,
    FamilyContact,
    Methodology,
    MilestoneKind,
    ParallelProcess,
    ParticipationStatus,
    ProcessKind,
    ProcessStatus,
    RequestKind,
)
from .meeting import AgencyPresentation, ImmediateAction, MeetingRecord, Vote, VoteChoice, YesNo  # noqa: F401
from .national_panel import (  # noqa: F401
    AlternativeKind,
    AlternativeLearning,
    NationalPanelResponse,
    NationalPanelSubmission,
)
from .sheets import (  # noqa: F401
    SECTION_FIELDS,
    DecisionSheet,
    DecisionSheetVersion,
    Dispute,
    DisputeStatus,
    Recommendation,
    Section,
    SheetStatus,
    Signature,
    SignatureOutcome,
    section_anchor,
)
