"""Forms for issuing, completing and quality-assuring agency check forms, distributing the pack, and the glossary;
one module per part of the process, as in ``agencychecks.views``."""

from .common import MAX_TEXT, RealDateField  # noqa: F401
from .completing import (  # noqa: F401
    SECTION_FORMS,
    AnalysisForm,
    ChronologyEntryForm,
    InvolvementForm,
    LearningForm,
    SectionForm,
    SignoffForm,
    ThemesForm,
    chronology_formset,
    theme_choices,
)
from .glossary import GlossaryTermForm  # noqa: F401
from .issue import IssueForm  # noqa: F401
from .pack import DistributeForm  # noqa: F401
from .review import AcceptForm, ReturnForm  # noqa: F401
