"""Who may see which agency check form, and the reads the pages and other stages share.

Access is decided here and only here: an agency lead sees their own agency's forms; the business unit and the
rapid review chair see every form; a panel member sees a case's accepted forms once the pack was distributed and
only while they sit on that case's panel without a conflict of interest.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

# Panels is the stage before this one, so it is imported directly: no lazy look-up that could fail open.
from panels.selectors import case_panel_members, invited_agencies, is_conflicted, panel_for_case  # noqa: F401 - re-exported
from rapidreview.accounts.models import Role
from rapidreview.accounts.selectors import agency_leads, users_with_role
from referrals.models import Referral

from .models import OPEN_STATUSES, AgencyCheckForm, FormStatus, GlossaryTerm, Pack

SEES_ALL = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


# --- what this app reads from panels (an earlier stage: imported directly, never looked up lazily) -----------


def agencies_without_leads(agencies) -> list:
    """Those of ``agencies`` with no active safeguarding lead: their forms' e-mails and reminders would reach
    nobody at the agency (the business unit gets them instead)."""
    with_leads = set(users_with_role(Role.AGENCY_LEAD).filter(agency__in=[a.pk for a in agencies])
                     .values_list("agency_id", flat=True))
    return [a for a in agencies if a.pk not in with_leads]


def panel_meeting_date(case):
    """The date of the case's panel meeting, or None when it is not arranged yet."""
    panel = panel_for_case(case)
    if panel is None or panel.meeting_at is None:
        return None
    return timezone.localtime(panel.meeting_at).date()


def agency_panel_members(form) -> list:
    """The panel members from the form's agency on the form's case (who hear about overdue forms)."""
    return [p for p in case_panel_members(form.case) if p.agency_id == form.agency_id]


def form_reminder_owners(form: AgencyCheckForm, clock) -> list:
    """The agency's leads; once the form is overdue, also that agency's panel member (the chair comes by role)."""
    people = list(agency_leads(form.agency))
    if timezone.localdate() > clock.due_on:
        people += [p for p in agency_panel_members(form) if p not in people]
    return people


# --- forms ---------------------------------------------------------------------------------------------------
def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("agency", "case")


def forms_visible_to(user) -> QuerySet[AgencyCheckForm]:
    """Every form ``user`` may open. Panel members' access to accepted forms comes through ``pack_forms``."""
    forms = _with_related(AgencyCheckForm.objects.all())
    if not user or not user.is_authenticated or not user.is_active:
        return forms.none()
    if user.has_role(*SEES_ALL):
        return forms
    if user.has_role(Role.AGENCY_LEAD) and user.agency_id:
        return forms.filter(agency_id=user.agency_id)
    return forms.none()


def get_visible_form(user, form_id) -> AgencyCheckForm:
    """The form, or Http404 when it does not exist or ``user`` may not see it."""
    form = forms_visible_to(user).filter(pk=form_id).first()
    if form is None:
        raise Http404("No such form.")
    return form


def is_agency_lead_for(user, form) -> bool:
    return user.has_role(Role.AGENCY_LEAD) and user.agency_id == form.agency_id


def accepted_forms(case) -> QuerySet[AgencyCheckForm]:
    """The case's accepted forms, with their agency, in agency order: the panel pack."""
    return (AgencyCheckForm.objects.filter(case=case, status=FormStatus.ACCEPTED).select_related("agency")
            .prefetch_related("chronology").order_by("agency__name"))


def case_forms(case) -> QuerySet[AgencyCheckForm]:
    return AgencyCheckForm.objects.filter(case=case).select_related("agency").order_by("agency__name")


def my_forms(user) -> QuerySet[AgencyCheckForm]:
    """The forms a lead works on, most urgent first."""
    return forms_visible_to(user).order_by("status", "due_on")


def forms_awaiting_qa() -> QuerySet[AgencyCheckForm]:
    return _with_related(AgencyCheckForm.objects.filter(status=FormStatus.SUBMITTED)).order_by("submitted_at")


def forms_due_for(user) -> QuerySet[AgencyCheckForm]:
    return forms_visible_to(user).filter(status__in=OPEN_STATUSES).order_by("due_on")


def board_counts(case) -> dict:
    """How many of the case's forms are at each board status (overdue counted apart from its state)."""
    today = timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, due_on__lt=today)
    agg = AgencyCheckForm.objects.filter(case=case).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=overdue),
        **{s.value: Count("pk", filter=Q(status=s.value) & ~overdue) for s in FormStatus},
    )
    return agg


# --- the pack ------------------------------------------------------------------------------------------------
def pack_for(case) -> Pack | None:
    return Pack.objects.filter(case=case).first()


def can_see_pack(user, case) -> bool:
    """Business unit and chair always; panel members of the case once distributed, unless conflicted."""
    if not user.is_authenticated:
        return False
    if user.has_role(*SEES_ALL):
        return not is_conflicted(user, case)
    if not Pack.objects.filter(case=case).exists() or is_conflicted(user, case):
        return False
    return case_panel_members(case).filter(pk=user.pk).exists()


# --- the glossary --------------------------------------------------------------------------------------------
def glossary() -> dict:
    """Term (upper case) to (expansion, allowed) for the writing assistant."""
    return {t.term.upper(): (t.expansion, t.allowed) for t in GlossaryTerm.objects.all()}


# --- the minimal case summary an agency needs to search its records -----------------------------------------
def case_summary(case) -> dict:
    """The child's names, date of birth, address, household, incident summary and dates: nothing more."""
    referral = Referral.objects.filter(case_id=case.pk).prefetch_related("household").first()
    return {
        "reference": case.reference,
        "child_name": case.child_name,
        "aliases": referral.child_aliases if referral else "",
        "child_dob": case.child_dob,
        "address": referral.child_address if referral else "",
        "household": list(referral.household.all()) if referral else [],
        "incident_summary": referral.description if referral else "",
        "incident_date": case.incident_date,
        "sin_notified_on": case.sin_notified_on,
        "harm": case.get_harm_display() if case.harm else "",
    }
