"""Which pages the benchmark measures, derived from the URL conf (issue 20).

- **Pages without arguments** (lists, dashboards, exports, new-item forms) are found by walking the URL conf. The
  harness asks each one in-process as anonymous and then as each role of the measured partnership, and measures it
  as the first who gets a 200: a new page is measured without anyone adding it here. A page nobody in the
  partnership gets (a wizard step that needs its earlier steps, an action that only takes POST, the installation's
  pages) is reported as not measured, with what each role got.
- **Pages with arguments** are measured where a person lands on them: from an e-mail, a dashboard card or a list.
  ``DETAIL_PAGES`` names each with the role that lands there and how to find its object in the measured
  partnership. Every other such page is in ``NOT_LANDING`` with the reason. ``tests/performance/test_harness_pages.py``
  fails when a URL name is in neither, so a new page must be placed before it lands.
- The Django admin (``admin:``) is the installation administrator's tool, not a partnership's page. Its case
  changelist is measured as the yardstick for our case list.

Each picker takes the measured partnership and returns the URL's positional arguments, or None when the data has
no such object (the page is then reported as not measured, which fails the run).
"""

from collections.abc import Callable, Iterator

from django.db.models import Count, Q
from django.urls import URLPattern, URLResolver, get_resolver

from actionplan.models import OPEN_STATUSES, Action
from agencychecks.models import AgencyCheckForm, FormStatus
from decisions.models import DecisionSheet, MeetingRecord, SheetStatus
from rapidreview.accounts.models import Partnership, Role
from rapidreview.clocks.models import Clock, ClockState
from rapidreview.notifications.models import Notification
from referrals.models import Case, Stage
from themes.models import LearningItem, ThemeLog

ROLE_ORDER = [Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.PANEL_MEMBER, Role.AGENCY_LEAD,
              Role.EXECUTIVE, Role.WORKING_GROUP]
EXCLUDED_NAMESPACES = ("admin",)


def url_names() -> Iterator[tuple[str, bool]]:
    """Every named URL of the project as (name with namespaces, whether it takes arguments)."""

    def walk(resolver: URLResolver, namespace: str) -> Iterator[tuple[str, bool]]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = str(pattern.pattern)
                yield f"{namespace}{pattern.name}", bool(pattern.pattern.converters) or "<" in route or "(" in route

    seen = set()
    for name, takes_arguments in walk(get_resolver(), ""):
        if name.split(":", 1)[0] in EXCLUDED_NAMESPACES or (name, takes_arguments) in seen:
            continue
        seen.add((name, takes_arguments))
        yield name, takes_arguments


def pages_without_arguments() -> list[str]:
    return sorted({name for name, takes_arguments in url_names() if not takes_arguments})


def pages_with_arguments() -> list[str]:
    return sorted({name for name, takes_arguments in url_names() if takes_arguments})


# --- pickers: the measured partnership's object behind each page ---------------------------------------------------
def _cases(p: Partnership):
    return Case.objects.filter(partnership=p)


def busiest_rapid_review(p: Partnership) -> Case | None:
    """The rapid review with the most accepted agency forms (the generator makes one with twelve): the case page
    and pack everyone measures."""
    accepted = Count("agency_forms", filter=Q(agency_forms__status=FormStatus.ACCEPTED))
    return (_cases(p).filter(stage=Stage.RAPID_REVIEW).annotate(n=accepted).order_by("-n", "-created_at").first()
            or _cases(p).order_by("-created_at").first())


def _case_args(case: Case | None):
    return (case.pk,) if case else None


def the_case(p: Partnership):
    """The URL arguments of the busiest rapid review: the case whose pages everyone measures."""
    return _case_args(busiest_rapid_review(p))


def first_open_action(p: Partnership) -> Action | None:
    """The open action due soonest: the action whose pages are measured."""
    return Action.objects.filter(partnership=p, status__in=OPEN_STATUSES).order_by("due_on", "pk").first()


def _action_args(p: Partnership):
    action = first_open_action(p)
    return (action.pk,) if action else None


def _first(qs):
    obj = qs.first()
    return (obj.pk,) if obj else None


def _sheet_case(p: Partnership, status=SheetStatus.SENT):
    sheet = DecisionSheet.objects.filter(case__partnership=p, status=status).order_by("-created_at").first()
    return (sheet.case_id,) if sheet else None


def _closed_meeting_case(p: Partnership):
    record = (MeetingRecord.objects.filter(case__partnership=p, vote_closed_at__isnull=False)
              .order_by("-meeting_date").first())
    return (record.case_id,) if record else None


def _open_vote_case(p: Partnership):
    record = (MeetingRecord.objects.filter(case__partnership=p, vote_closed_at__isnull=True)
              .order_by("-created_at").first())
    return (record.case_id,) if record else None


# url name -> (role that lands there, picker, where they come from). ``agency_lead`` is the lead of the form's or
# action's agency (prepare.py finds them); "anon" is the public.
DETAIL_PAGES: dict[str, tuple[str, Callable, str]] = {
    "referrals:case_detail": (Role.BUSINESS_UNIT, the_case,
                              "every e-mail about a case; the case list"),
    "referrals:case_summary": (Role.PANEL_MEMBER, the_case,
                               "the short form of the case, linked from the panel's pages"),
    "agencychecks:board": (Role.BUSINESS_UNIT, the_case,
                           "the case page's agency checks section"),
    "agencychecks:form": (Role.AGENCY_LEAD, lambda p: _first(AgencyCheckForm.objects.filter(
        case=busiest_rapid_review(p)).order_by("agency__name")), "the e-mail issuing a form"),
    "agencychecks:pack": (Role.PANEL_MEMBER, the_case,
                          "the e-mail sending the panel pack"),
    "agencychecks:pack_pdf": (Role.PANEL_MEMBER, the_case,
                              "the pack page's download"),
    "panels:panel": (Role.BUSINESS_UNIT, the_case,
                     "the panel calendar; invitations"),
    "panels:reply": (Role.PANEL_MEMBER, the_case,
                     "the panel invitation e-mail"),
    "decisions:meeting": (Role.BUSINESS_UNIT, _closed_meeting_case, "the case page's meeting section"),
    "decisions:vote": (Role.PANEL_MEMBER, _open_vote_case, "the e-mail asking members to vote"),
    "decisions:sheet": (Role.EXECUTIVE, _sheet_case, "the decisions list; the e-mail asking for signature"),
    "decisions:sheet_pdf": (Role.EXECUTIVE, _sheet_case, "the decision sheet's download"),
    "decisions:cspr": (Role.BUSINESS_UNIT, lambda p: _case_args(_cases(p).filter(stage=Stage.CSPR)
                                                                  .order_by("-created_at").first()),
                       "the case page's practice review section; milestone reminders"),
    "actionplan:detail": (Role.AGENCY_LEAD, _action_args, "action reminders; the action plan"),
    "actionplan:progress": (Role.AGENCY_LEAD, _action_args, "the action's 'add progress' button"),
    "clocks:detail": (Role.BUSINESS_UNIT, lambda p: _first(Clock.objects.filter(
        partnership=p, state=ClockState.OVERDUE).order_by("due_on", "pk")), "overdue reminders; all deadlines"),
    "notifications:detail": (Role.BUSINESS_UNIT, lambda p: _first(Notification.objects.filter(
        partnership=p).order_by("-created_at", "-pk")), "the outbox"),
    "themes:log": (Role.BUSINESS_UNIT, lambda p: (ThemeLog.RAPID_REVIEW,), "the themes page"),
    "themes:learning_detail": (Role.BUSINESS_UNIT, lambda p: _first(LearningItem.objects.filter(
        partnership=p).order_by("-date", "pk")), "learning follow-up reminders"),
    "audit:case_history": (Role.BUSINESS_UNIT, the_case,
                           "the case page's history link"),
    "referrals:public_partnership": ("anon", lambda p: (p.slug,), "the partnership's published referral link"),
}

# Pages with arguments a person reaches only by a button or link on a page measured above, each a form or an action
# on one object (its cost is the object's page plus a form), or a download of a file the generator does not make.
STEP = "a step reached from a button on a measured page"
ACTION = "an action on one object, reached from its page (POST)"
NOT_LANDING: dict[str, str] = {
    "accounts:password_reset_confirm": "the one-time link of a password reset e-mail: a token, not data",
    "accounts:person": "reached from the people list", "accounts:person_edit": STEP, "accounts:role_add": STEP,
    "accounts:role_end": ACTION, "accounts:agency_edit": STEP,
    "accounts:agency_add": ACTION, "accounts:agency_remove": ACTION, "accounts:lead_partner_edit": STEP,
    "clocks:recalculate": STEP, "clocks:closure_remove": ACTION, "notifications:resend": ACTION,
    "audit:legal_hold": STEP, "audit:legal_hold_remove": ACTION, "audit:retention_rule": STEP,
    "audit:retention_propose": STEP, "audit:retention_confirm": ACTION, "audit:retention_withdraw": ACTION,
    "partnership_export:export": "an export the generator does not make", "partnership_export:confirm": ACTION,
    "partnership_export:withdraw": ACTION, "partnership_export:download": "an export the generator does not make",
    "partnership_export:import": "an import the generator does not make", "partnership_export:import_cancel": ACTION,
    "partnership_export:import_done": "an import the generator does not make",
    "referrals:public_referral": "the public form's step after choosing the area (session state)",
    "referrals:public_check": "the public form's check step (session state)",
    "referrals:public_done": "the public form's confirmation (session state)",
    "referrals:referral_step": "a step of the referral wizard (session state)",
    "referrals:assurance_reply": "an assurance request the generator does not make",
    "referrals:cdop_discussion": "a CDOP or JAR discussion, which the generator does not make (its list is measured)",
    "referrals:send_threshold": STEP, "referrals:threshold_record": STEP, "referrals:sin_record": STEP,
    "referrals:sin_sheet": STEP, "referrals:letter_edit": STEP, "referrals:letter_pdf": STEP,
    "referrals:letter_send": ACTION, "referrals:assurance_new": STEP, "referrals:assurance_answer": STEP,
    "referrals:case_close": STEP, "referrals:invite_partnership": STEP, "referrals:end_participation": ACTION,
    "referrals:propose_lead": STEP, "referrals:answer_lead": STEP,
    "referrals:child_add": STEP, "referrals:child_edit": STEP, "referrals:child_remove": STEP,
    "themes:learning_route_start": STEP,
    "panels:member_edit": STEP, "panels:member_end": ACTION, "panels:set_up": STEP, "panels:schedule": STEP,
    "panels:cancel": ACTION, "panels:send_invitations": ACTION, "panels:calendar_ics": STEP, "panels:agenda": STEP,
    "panels:agenda_send": ACTION, "panels:attendance": STEP, "panels:held": ACTION,
    "panels:conflict_declare_case": STEP, "panels:conflict_record": STEP, "panels:conflict_handle": STEP,
    "panels:conflict_substitute": STEP,
    "agencychecks:glossary_edit": STEP, "agencychecks:glossary_delete": ACTION, "agencychecks:issue": STEP,
    "agencychecks:distribute": ACTION, "agencychecks:section": STEP, "agencychecks:check": STEP,
    "agencychecks:return": STEP, "agencychecks:accept": ACTION, "agencychecks:versions": STEP,
    "decisions:meeting_edit": STEP, "decisions:immediate_action_new": STEP, "decisions:vote_close": ACTION,
    "decisions:sheet_start": ACTION,
    "decisions:sheet_sign": "the e-mail asking an executive to sign lands on 'confirm it's you' first "
                            "(accounts:reauthenticate, measured), then on this form under the sheet (decisions:sheet, "
                            "measured); a session made minutes before the run is redirected there too",
    "decisions:sheet_edit": STEP, "decisions:sheet_send": ACTION,
    "decisions:sheet_withdraw": ACTION, "decisions:sheet_revise": ACTION, "decisions:sheet_version": STEP,
    "decisions:sheet_version_pdf": STEP, "decisions:dispute_meeting": STEP, "decisions:dispute_escalate": STEP,
    "decisions:dispute_resolve": STEP, "decisions:national_panel_send": STEP,
    "decisions:national_panel_correct": STEP, "decisions:national_panel_response": STEP, "decisions:no_cspr": STEP,
    "decisions:cspr_commission": STEP, "decisions:cspr_edit": STEP, "decisions:milestone_new": STEP,
    "decisions:milestone_edit": STEP, "decisions:participation_edit": STEP, "decisions:process_new": STEP,
    "decisions:process_edit": STEP, "decisions:cspr_report_sent": STEP, "decisions:cspr_publish": STEP,
    "decisions:cspr_publication_correct": STEP, "decisions:cspr_workshop": STEP,
    "decisions:cspr_implementation_review": STEP, "decisions:cspr_checkpoint_new": STEP,
    "decisions:cspr_request_new": STEP, "decisions:cspr_request_answered": STEP,
    "decisions:family_contact_new": STEP, "decisions:family_contact_edit": STEP, "decisions:cspr_family_draft": STEP,
    "actionplan:meeting": "reached from the working group meetings list", "actionplan:edit": STEP,
    "actionplan:confirm": STEP, "actionplan:send_back": STEP, "actionplan:evidence_add": STEP,
    "actionplan:evidence_download": "a file the generator does not make (evidence is text)",
    "themes:edit": STEP, "themes:toggle": ACTION, "themes:case_record": STEP, "themes:learning_create": STEP,
    "themes:learning_edit": STEP, "themes:learning_follow_up_done": ACTION, "themes:bulletin_send": ACTION,
    "themes:bulletin_pdf": STEP,
}
