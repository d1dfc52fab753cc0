"""Forms for referral intake (signed-in and public), the threshold discussion, the SIN, and the "not met" path:
the letter, assurance requests and closing."""

from .cdop import CdopDiscussionForm, NoReferralForm  # noqa: F401
from .children import IncidentChildForm, RemoveChildForm  # noqa: F401
from .common import DateField  # noqa: F401
from .intake import (  # noqa: F401
    AgenciesForm,
    BaseHouseholdFormSet,
    ChildForm,
    CriteriaForm,
    HouseholdFormSet,
    HouseholdMemberForm,
    IncidentForm,
    KindForm,
    ReferrerForm,
)
from .not_met import (  # noqa: F401
    AssuranceAnswerForm,
    AssuranceReplyForm,
    AssuranceRequestForm,
    CloseForm,
    LetterForm,
    LetterManualSendForm,
)
from .participation import AnswerLeadForm, EndParticipationForm, InvitePartnershipForm, ProposeLeadForm  # noqa: F401
from .public import PartnershipChoiceForm, PartnershipSearchForm, PublicReferralForm  # noqa: F401
from .sin import SinForm  # noqa: F401
from .threshold import ThresholdForm, threshold_people  # noqa: F401
