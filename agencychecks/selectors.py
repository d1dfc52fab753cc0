"""Who may see which agency check form, and the reads the pages and other stages share.

Access is decided here and only here, in the partnership the person acts in (ADR 0015):

- an agency lead sees their own agency's forms on the cases that partnership leads or takes part in: the lead of
  an agency serving two partnerships sees each partnership's forms when acting in it, and the forms of a joint
  cross-border case in either;
- the business unit and the rapid review chair see the forms of the cases they may see; only the leading
  partnership's business unit issues, quality-assures and distributes them;
- a panel member sees a case's accepted forms once the pack was distributed and only while they sit on that case's
  panel without a conflict of interest.

A case's forms go to the agencies of its leading partnership and of every partnership taking part in it; each
form's e-mails go to the agency's safeguarding leads in those partnerships.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Count, Max, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

# Panels is the stage before this one, so it is imported directly: no lazy look-up that could fail open.
from panels.selectors import (  # noqa: F401 - re-exported
    case_panel_members,
    invited_agencies,
    is_conflicted,
    panel_for_case,
    panel_members_of_cases,
)
from rapidreview.accounts.models import Agency, Partnership, Role, User
from rapidreview.accounts.selectors import agencies_served, agency_leads, agency_leads_in
from referrals.models import CaseParticipation, Referral
from referrals.selectors import case_other_children, partnership_case_ids, visible_cases

from .models import OPEN_STATUSES, AgencyCheckForm, FormStatus, GlossaryTerm, Pack, PackRender

SEES_ALL = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


# --- what this app reads from panels (an earlier stage: imported directly, never looked up lazily) -----------


# --- partnerships of a case, and the agencies and leads its forms go to --------------------------------------
def case_partnerships(case) -> list[Partnership]:
    """The partnership leading ``case``, then those taking part in it (participation not ended), by name."""
    taking_part = Partnership.objects.filter(
        pk__in=CaseParticipation.objects.filter(case_id=case.pk, ended_at__isnull=True).values("partnership_id"))
    return [case.partnership, *taking_part.exclude(pk=case.partnership_id).order_by("name")]


@dataclass
class IssuableAgency:
    """An agency a case's forms may go to, the case's partnerships it serves, and its leads there."""

    agency: Agency
    partnerships: list[Partnership]
    leads: list[User]

    @property
    def has_lead(self) -> bool:
        return bool(self.leads)


def issuable_agencies(case) -> list[IssuableAgency]:
    """The active agencies in the arrangements of the case's leading partnership or of a partnership taking part,
    by name, each with the partnerships it serves in the case and its safeguarding leads there."""
    partnerships = case_partnerships(case)
    serving: dict = {}
    for partnership in partnerships:
        for agency in partnership.agencies.filter(is_active=True):
            serving.setdefault(agency.pk, (agency, []))[1].append(partnership)
    rows = []
    for agency, served in sorted(serving.values(), key=lambda pair: pair[0].name):
        rows.append(IssuableAgency(agency=agency, partnerships=served, leads=_leads_in(agency, served)))
    return rows


def _leads_in(agency, partnerships) -> list[User]:
    leads: list[User] = []
    for partnership in partnerships:
        leads += [lead for lead in agency_leads(agency, partnership=partnership) if lead not in leads]
    return leads


def form_leads(form) -> list[tuple[User, Partnership]]:
    """Whom a form's e-mails and reminders go to: the agency's safeguarding leads in the case's partnerships that
    the agency serves (the leading partnership first), each with the partnership their link opens in."""
    recipients: list[tuple[User, Partnership]] = []
    for partnership in case_partnerships(form.case):
        if not partnership.agencies.filter(pk=form.agency_id).exists():
            continue
        for lead in agency_leads(form.agency, partnership=partnership):
            if all(lead != seen for seen, _ in recipients):
                recipients.append((lead, partnership))
    return recipients


def agencies_without_leads(rows: list[IssuableAgency]) -> list[IssuableAgency]:
    """Those of ``rows`` with no safeguarding lead in the partnerships they serve in the case: their forms' e-mails
    and reminders would reach nobody at the agency (the business unit gets them instead)."""
    return [row for row in rows if not row.has_lead]


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
    people = [lead for lead, _ in form_leads(form)]
    if timezone.localdate() > clock.due_on:
        people += [p for p in agency_panel_members(form) if p not in people]
    return people


def forms_reminder_owners(pairs) -> list[list]:
    """``form_reminder_owners`` for many (form, clock) pairs in a fixed number of queries (the reminder sweep)."""
    forms = [form for form, _ in pairs]
    prefetch_related_objects(forms, "case__partnership")
    taking_part: dict = {}
    for row in (CaseParticipation.objects.filter(case_id__in={f.case_id for f in forms}, ended_at__isnull=True)
                .select_related("partnership").order_by("partnership__name")):
        taking_part.setdefault(row.case_id, []).append(row.partnership)

    def partnerships(form) -> list[Partnership]:  # as case_partnerships: the leading one, then by name
        others = [p for p in taking_part.get(form.case_id, []) if p.pk != form.case.partnership_id]
        return [form.case.partnership, *others]

    # An agency's leads count in a partnership only where the agency serves it (as form_leads).
    leads = agency_leads_in(agencies_served({(form.agency_id, p.pk) for form in forms for p in partnerships(form)}))
    today = timezone.localdate()
    overdue = {form.case_id for form, clock in pairs if today > clock.due_on}
    members = panel_members_of_cases(overdue) if overdue else {}
    out = []
    for form, clock in pairs:
        people: list = []
        for partnership in partnerships(form):
            for lead in leads.get((form.agency_id, partnership.pk), []):
                if lead not in people:
                    people.append(lead)
        if today > clock.due_on:
            people += [p for p in members.get(form.case_id, []) if p.agency_id == form.agency_id and p not in people]
        out.append(people)
    return out


# --- forms ---------------------------------------------------------------------------------------------------
def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("agency", "case", "case__partnership")


def forms_visible_to(user) -> QuerySet[AgencyCheckForm]:
    """Every form ``user`` may open in the partnership they act in. Panel members' access to accepted forms comes
    through the pack."""
    forms = _with_related(AgencyCheckForm.objects.all())
    if not user or not user.is_authenticated or not user.is_active or user.partnership is None:
        return forms.none()
    if user.has_role(*SEES_ALL):
        return forms.filter(case__in=visible_cases(user))
    return _agency_forms(user, forms)


def _agency_forms(user, forms: QuerySet) -> QuerySet[AgencyCheckForm]:
    """The forms of the user's agency on the cases their acting partnership leads or takes part in, while they are
    a safeguarding lead there."""
    if not user.agency_id or user.partnership is None or not user.has_role(Role.AGENCY_LEAD):
        return forms.none()
    return forms.filter(agency_id=user.agency_id, case_id__in=partnership_case_ids(user.partnership))


def get_visible_form(user, form_id) -> AgencyCheckForm:
    """The form, or Http404 when it does not exist or ``user`` may not see it."""
    form = forms_visible_to(user).filter(pk=form_id).first()
    if form is None:
        raise Http404("No such form.")
    return form


def is_agency_lead_for(user, form) -> bool:
    """Whether ``user`` completes ``form``: a safeguarding lead of its agency, acting in a partnership that leads
    or takes part in its case."""
    return (user.agency_id == form.agency_id
            and _agency_forms(user, AgencyCheckForm.objects.all()).filter(pk=form.pk).exists())


def issues_forms(user, case) -> bool:
    """Whether ``user`` acts in the partnership leading ``case`` and is its business unit there: only they issue,
    quality-assure and distribute its forms (a partnership taking part reads them)."""
    partnership = user.partnership
    return (partnership is not None and partnership.pk == case.partnership_id
            and user.has_role(Role.BUSINESS_UNIT))


def may_review(user, form) -> bool:
    """Whether ``user`` may return or accept ``form`` now: the leading partnership's business unit, once it is
    submitted."""
    return form.status == FormStatus.SUBMITTED and issues_forms(user, form.case)


def accepted_forms(case) -> QuerySet[AgencyCheckForm]:
    """The case's accepted forms, with their agency, in agency order: the panel pack."""
    return (AgencyCheckForm.objects.filter(case=case, status=FormStatus.ACCEPTED).select_related("agency")
            .prefetch_related("chronology").order_by("agency__name"))


def case_forms(case) -> QuerySet[AgencyCheckForm]:
    return AgencyCheckForm.objects.filter(case=case).select_related("agency").order_by("agency__name")


def my_forms(user) -> QuerySet[AgencyCheckForm]:
    """The forms a lead works on, most urgent first."""
    return forms_visible_to(user).order_by("status", "due_on")


def forms_awaiting_qa(user) -> QuerySet[AgencyCheckForm]:
    """Submitted forms on the cases the user's acting partnership leads (its business unit quality-assures them)."""
    partnership = user.partnership
    if partnership is None:
        return AgencyCheckForm.objects.none()
    return (forms_visible_to(user).filter(status=FormStatus.SUBMITTED, case__partnership=partnership)
            .order_by("submitted_at"))


def forms_due_for(user) -> QuerySet[AgencyCheckForm]:
    return forms_visible_to(user).filter(status__in=OPEN_STATUSES).order_by("due_on")


def form_states(case) -> list[tuple[str, datetime.date]]:
    """Each of the case's forms as (status, due date): a case has a dozen forms, so one short read serves both the
    board's counts and the case page's task rows."""
    return list(AgencyCheckForm.objects.filter(case=case).order_by().values_list("status", "due_on"))


def board_counts(states: list[tuple[str, datetime.date]]) -> dict:
    """How many of the forms in ``states`` (``form_states``) are at each board status (overdue counted apart from
    its state)."""
    today = timezone.localdate()
    counts = {"total": len(states), "overdue": 0, **{s.value: 0 for s in FormStatus}}
    for status, due_on in states:
        counts["overdue" if status in OPEN_STATUSES and due_on is not None and due_on < today else status] += 1
    return counts


# --- the pack ------------------------------------------------------------------------------------------------
def pack_for(case) -> Pack | None:
    return Pack.objects.filter(case=case).first()


def can_see_pack(user, case, *, conflicted: bool | None = None) -> bool:
    """Business unit and chair always; panel members of the case once distributed, unless conflicted
    (``conflicted``: whether ``user`` declared a conflict on ``case``, when the caller knows already)."""
    if not user.is_authenticated:
        return False

    def declared_conflict() -> bool:
        return is_conflicted(user, case) if conflicted is None else conflicted

    if user.has_role(*SEES_ALL):
        return not declared_conflict()
    if not Pack.objects.filter(case=case).exists() or declared_conflict():
        return False
    return case_panel_members(case).filter(pk=user.pk).exists()


def pack_fingerprint(case) -> str:
    """A digest of everything the pack PDF shows (two queries): which forms are accepted and when each last changed,
    their chronologies (how many entries, the last change), the agencies' names, and the distribution. Accepting,
    editing or reopening a form, or changing a chronology entry, gives a new fingerprint."""
    forms = (AgencyCheckForm.objects.filter(case=case, status=FormStatus.ACCEPTED).order_by("pk")
             .values_list("pk", "updated_at", "agency__name")
             .annotate(entries=Count("chronology"), latest=Max("chronology__updated_at")))
    pack = Pack.objects.filter(case=case).values_list("pk", "updated_at").first()
    parts = [case.pk, case.reference, case.partnership_id, pack, *forms]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def rendered_pack(case, fingerprint: str) -> PackRender | None:
    """The stored pack PDF of ``case`` made from the forms as they are now (``fingerprint``), if there is one and
    its file is in storage (a restored database may name a file the restored uploads lack)."""
    render = PackRender.objects.filter(case=case, fingerprint=fingerprint, rendered_at__isnull=False).first()
    return render if render is not None and default_storage.exists(render.file.name) else None


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
        "other_children": case_other_children(case),
    }
