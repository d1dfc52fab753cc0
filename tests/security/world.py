"""The objects and people the whole-application security tests run against.

Two cases at the decision stage: case A, which every kind of person is involved in (a panel with a member and a
conflicted member, an agency check form for the lead's agency, a decision sheet, an action), and case B, which
involves none of them. Built through the other apps' models and services so the tests see what users would.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from rapidreview.accounts.models import AgencyType, Role, RoleAssignment, StatutoryPartner
from tests.factories import AgencyFactory, make_user

LA, HEALTH, POLICE = StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE

# Everyone the matrix signs in as. "other_lead": a lead of an agency not involved in case A; "conflicted": a panel
# member on case A's panel who declared a conflict of interest; "other_exec": an executive of another partner.
PERSONAS = ("anon", "bu", "chair", "threshold", "panel", "lead", "exec", "wg", "other_lead", "conflicted",
            "other_exec")
CASE_DEPENDENT = ("panel", "lead")  # whose access to a case comes from being involved in it


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # "A" and "B": kwarg name -> value


def _safe(build, *args, **kwargs):
    """Build an object through another app; None when that app cannot make it (yet)."""
    try:
        with transaction.atomic():
            return build(*args, **kwargs)
    except Exception:  # noqa: BLE001 - an app still being written must not stop the whole matrix
        return None


def _case(reference, first_name):
    from referrals.models import Case, Referral, Source, Stage

    case = Case.objects.create(
        reference=reference, stage=Stage.DECISION, source=Source.PROFESSIONAL, child_first_name=first_name,
        child_last_name="Matrixcase", child_dob=datetime.date(2018, 4, 1), harm="serious_harm",
        incident_date=timezone.localdate() - datetime.timedelta(days=20),
        la_aware_on=timezone.localdate() - datetime.timedelta(days=19),
        sin_notified_on=timezone.localdate() - datetime.timedelta(days=18), pseudonym=f"Child {reference[-1]}",
    )
    _safe(Referral.objects.create, case=case, received_on=timezone.localdate() - datetime.timedelta(days=19),
          referrer_name="Rita Referrer", description="Found injured at home.")
    return case


def _panel(case, members, conflicted, days_ago):
    from panels.models import ConflictOfInterest, Panel, PanelInvitation, PanelState

    panel = Panel.objects.create(case=case, state=PanelState.HELD, ics_uid=f"{uuid.uuid4()}@test",
                                 meeting_date=timezone.localdate() - datetime.timedelta(days=days_ago))
    for member in [*members, conflicted]:
        PanelInvitation.objects.create(panel=panel, user=member, agency=member.agency, voting=True)
    conflict = ConflictOfInterest.objects.create(case=case, user=conflicted, declared_by=conflicted,
                                                 nature="Related to the family", implications="Cannot take part")
    return panel, conflict


def _form(case, agency, issued_by):
    from agencychecks.models import AgencyCheckForm

    form = AgencyCheckForm.objects.create(case=case, agency=agency, issued_by=issued_by,
                                          due_on=timezone.localdate() + datetime.timedelta(days=5))
    case.involved_agencies.add(agency)
    return form


def build_world() -> World:
    world = World()
    agency = AgencyFactory(name="Matrix Health Trust", type=AgencyType.ACUTE_TRUST, statutory_partner=HEALTH)
    other_agency = AgencyFactory(name="Matrix Housing", type=AgencyType.HOUSING)
    b_agency = AgencyFactory(name="Matrix School", type=AgencyType.EDUCATION)
    u = world.users
    u["bu"] = make_user(Role.BUSINESS_UNIT, full_name="Matrix Business Unit")
    u["chair"] = make_user(Role.RR_CHAIR, full_name="Matrix Chair")
    u["threshold"] = make_user(full_name="Matrix Threshold")
    RoleAssignment.objects.create(user=u["threshold"], role=Role.THRESHOLD, statutory_partner=POLICE,
                                  starts_on=timezone.localdate().replace(day=1))
    u["panel"] = make_user(Role.PANEL_MEMBER, agency=agency, full_name="Matrix Panel Member")
    u["conflicted"] = make_user(Role.PANEL_MEMBER, agency=agency, full_name="Matrix Conflicted Member")
    u["lead"] = make_user(Role.AGENCY_LEAD, agency=agency, full_name="Matrix Lead")
    u["other_lead"] = make_user(Role.AGENCY_LEAD, agency=other_agency, full_name="Matrix Other Lead")
    u["wg"] = make_user(Role.WORKING_GROUP, full_name="Matrix Working Group")
    u["exec"] = make_user(full_name="Matrix Executive")
    RoleAssignment.objects.create(user=u["exec"], role=Role.EXECUTIVE, statutory_partner=HEALTH, is_chair=True,
                                  starts_on=timezone.localdate().replace(day=1))
    u["other_exec"] = make_user(full_name="Matrix Other Executive")
    RoleAssignment.objects.create(user=u["other_exec"], role=Role.EXECUTIVE, statutory_partner=POLICE,
                                  starts_on=timezone.localdate().replace(day=1))

    for key, first_name, members, form_agency in (("A", "Araminta", [u["panel"]], agency),
                                                   ("B", "Bartholomew", [], b_agency)):
        case = _case(f"MX-2026-000{key}", first_name)
        objects = {"case_id": case.pk, "case": case}
        conflicted = u["conflicted"] if key == "A" else make_user(Role.PANEL_MEMBER, full_name=f"Member {key}")
        built = _safe(_panel, case, members, conflicted, 5 if key == "A" else 6)
        if built:
            objects["panel"], conflict = built
            objects["conflict_id"] = conflict.pk
        form = _safe(_form, case, form_agency, u["bu"])
        if form:
            objects["form_id"] = form.pk
        _add_decisions(objects, case, u["bu"])
        _add_action(objects, case, form_agency, u["bu"])
        world.objects[key] = objects
    _add_shared(world)
    return world


def _add_decisions(objects, case, bu):
    try:
        from decisions.services.sheets import sheet_send, sheet_start
    except ImportError:
        return
    sheet = _safe(sheet_start, case=case, actor=bu)
    if sheet is None:
        return
    objects["sheet"] = sheet
    objects["number"] = 1
    _safe(sheet_send, sheet=sheet, actor=bu)


def _add_action(objects, case, agency, bu):
    try:
        from actionplan.models import ActionSource
        from actionplan.services import action_create
    except ImportError:
        return
    action = _safe(action_create, case=case, source=ActionSource.RAPID_REVIEW, learning="Bruising in babies",
                   description="Audit the bruising protocol", agency=agency, owner=None,
                   due_on=timezone.localdate() + datetime.timedelta(days=30), actor=bu)
    if action is not None:
        objects["action_id"] = action.pk


def _add_shared(world):
    """Objects that belong to no case: the same in both variants."""
    shared = {}
    bu = world.users["bu"]
    shared["person_id"] = world.users["lead"].public_id
    shared["assignment_id"] = world.users["panel"].role_assignments.first().pk
    shared["agency_id"] = world.users["lead"].agency_id
    from rapidreview.audit.models import RecordType, RetentionRule

    shared["rule_id"] = RetentionRule.for_type(RecordType.NOT_MET).pk
    for name, build in (("term_id", _glossary_term), ("theme_id", _theme), ("item_id", lambda: _bulletin(bu)),
                        ("meeting_id", lambda: _wg_meeting(bu)),
                        ("clock_id", lambda: _first_id("clocks", "Clock", case_id=world.objects["A"]["case_id"])),
                        ("notification_id", lambda: _first_id("notifications", "Notification"))):
        value = _safe(build)
        if value is not None:
            shared[name] = value
    for key in ("A", "B"):
        world.objects[key] = {**shared, **world.objects[key]}


def _glossary_term():
    from agencychecks.models import GlossaryTerm

    return GlossaryTerm.objects.get_or_create(term="MXQ", defaults={"expansion": "Matrix"})[0].pk


def _theme():
    from themes.models import Theme

    return Theme.objects.create(name="Matrix theme", slug="matrix-theme").pk


def _bulletin(bu):
    from themes.models import LearningItem

    return LearningItem.objects.create(kind="bulletin", title="Matrix bulletin", date=timezone.localdate(),
                                       body="Learning from Child A.", created_by=bu).pk


def _wg_meeting(bu):
    from actionplan.models import WorkingGroupMeeting

    return WorkingGroupMeeting.objects.create(held_on=timezone.localdate(), recorded_by=bu).pk


def _first_id(app_label, model_name, **filters):
    from django.apps import apps

    row = apps.get_model(app_label, model_name).objects.filter(**filters).order_by("pk").first()
    return row.pk if row is not None else None
