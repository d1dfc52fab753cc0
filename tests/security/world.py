"""The objects and people the whole-application security tests run against.

Every object is built through the application's own services where one exists, and nothing is allowed to fail
quietly: if a service refuses, building the world raises and every test that needs it fails with the reason.

Scenes (``World.objects[scene]``: URL keyword argument -> value). Each page is asked about in one scene, chosen in
``access_table.SCENE`` (default "A"):

- "A": a case at the decision stage that every kind of person is involved in: a held panel with a member and a
  conflicted member, an issued agency check form for the lead's agency, a decision sheet out for signature, an
  action with uploaded evidence.
- "B": the same stage, but involving none of the case-dependent people; pages for case B must refuse them.
- "not_met": a referral made by the lead whose threshold was not met, with its letter and an assurance request.
- "cspr": a case whose decision was signed, sent to the National Panel and a practice review commissioned, with
  the lead's accepted (so versioned) form, milestones, agency participation and a parallel process.
- "disputed": a decision sheet the police executive disputed (an open dispute).
- "escalated": a disputed sheet whose dispute was discussed with the chair and escalated to the Executive chair.
- "draft": a decision sheet being written (complete, not yet sent), and the lead's form submitted and waiting for
  the business unit's quality assurance.

Objects that belong to no case (people, agencies, themes, the outbox...) are the same in every scene.
"""

import contextlib
import datetime
import uuid
from dataclasses import dataclass, field

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from actionplan.models import ActionSource
from actionplan.services import action_add_evidence, action_create, meeting_record
from agencychecks.models import AgencyCheckForm, GlossaryTerm
from agencychecks.services import form_accept, form_submit
from decisions.models import ProcessKind, ProcessStatus, SignatureOutcome
from decisions.services import (
    cspr_commission,
    dispute_escalate,
    dispute_record_meeting,
    national_panel_send,
    parallel_process_save,
    sheet_edit,
    sheet_send,
    sheet_start,
    signature_record,
)
from panels.models import Panel, PanelInvitation, PanelState
from panels.services import conflict_declare
from rapidreview.accounts.models import AgencyType, Role, RoleAssignment, StatutoryPartner
from rapidreview.accounts.selectors import executive_chair
from rapidreview.audit.models import RecordType, RetentionProposal, RetentionRule
from rapidreview.clocks.models import Clock
from rapidreview.clocks.services import non_working_day_add
from rapidreview.notifications.delivery import deliver
from rapidreview.notifications.models import Notification, NotificationStatus
from referrals.models import Case, CdopForum, Referral, Source, Stage, ThresholdOutcome
from referrals.services import (
    assurance_request_create,
    case_send_to_threshold,
    cdop_discussion_record,
    letter_save,
    referral_record_threshold,
    referral_submit,
)
from tests.agencychecks.factories import complete_form
from tests.decisions.factories import FULL_SHEET
from tests.factories import AgencyFactory, make_user
from tests.files import minimal_pdf
from themes.learning import learning_create
from themes.models import LearningKind
from themes.services import theme_create

LA, HEALTH, POLICE = StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE

# Everyone the matrix signs in as. "other_lead": a lead of an agency not involved in case A; "conflicted": a panel
# member on case A's panel who declared a conflict of interest; "exec": the health executive, who chairs the
# Executive; "other_exec": the police executive.
PERSONAS = ("anon", "bu", "chair", "threshold", "panel", "lead", "exec", "wg", "other_lead", "conflicted",
            "other_exec")
CASE_DEPENDENT = ("panel", "lead")  # whose access to a case comes from being involved in it
SCENES = ("A", "B", "not_met", "cspr", "disputed", "escalated", "draft", "cdop")
CHILD_NAMES = {"A": "Araminta", "B": "Bartholomew", "not_met": "Clementine", "cspr": "Dorothea",
               "disputed": "Evander", "escalated": "Florizel", "draft": "Gwendolyn",
               "cdop": "Hephzibah"}  # a CDOP or JAR discussion holds no child's name: this one appears nowhere


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # scene -> {kwarg name: value}


def _today(days=0):
    return timezone.localdate() + datetime.timedelta(days=days)


def _case(key, stage=Stage.DECISION):
    """A case with its referral, already at ``stage`` (the steps before it are walked through the services by the
    "not_met" scene and by each app's tests)."""
    case = Case.objects.create(
        reference=f"MX-2026-{key.upper()[:6]}", stage=stage, source=Source.PROFESSIONAL,
        child_first_name=CHILD_NAMES[key], child_last_name="Matrixcase", child_dob=datetime.date(2018, 4, 1),
        harm="serious_harm", incident_date=_today(-20), la_aware_on=_today(-19), sin_notified_on=_today(-18),
        pseudonym=f"Child {key}")
    Referral.objects.create(case=case, received_on=_today(-19), referrer_name="Rita Referrer",
                            description="Found injured at home.")
    return case


def _panel(key, case, members, conflicted, bu):
    """A panel that met (one a day), with ``members`` and ``conflicted`` invited; ``conflicted`` declares a
    conflict."""
    panel = Panel.objects.create(case=case, state=PanelState.HELD, ics_uid=f"{uuid.uuid4()}@test",
                                 meeting_date=_today(-5 - SCENES.index(key)), created_by=bu)
    for member in [*members, conflicted]:
        PanelInvitation.objects.create(panel=panel, user=member, agency=member.agency, voting=True)
    conflict = conflict_declare(case=case, user=conflicted, nature="Related to the family",
                                implications="Cannot take part", actor=conflicted)
    return panel, conflict


def _form(case, agency, bu):
    form = AgencyCheckForm.objects.create(case=case, agency=agency, issued_by=bu, issued_on=_today(-4),
                                          due_on=_today(5))
    case.involved_agencies.add(agency)
    return form


def _sent_sheet(case, bu):
    sheet = sheet_start(case=case, actor=bu)
    sheet_edit(sheet=sheet, actor=bu, content=FULL_SHEET)
    sheet_send(sheet=sheet, actor=bu)
    sheet.refresh_from_db()
    return sheet


def _involved_case(world, key, agency):
    """A case at the decision stage with case A's people involved: panel, conflicted member, the lead's form."""
    u = world.users
    case = _case(key)
    panel, conflict = _panel(key, case, [u["panel"]], u["conflicted"], u["bu"])
    form = _form(case, agency, u["bu"])
    return {"case_id": case.pk, "case": case, "panel": panel, "conflict_id": conflict.pk, "form_id": form.pk}


def _people(world, agency, other_agency):
    u = world.users
    u["bu"] = make_user(Role.BUSINESS_UNIT, full_name="Matrix Business Unit")
    u["chair"] = make_user(Role.RR_CHAIR, full_name="Matrix Chair")
    u["panel"] = make_user(Role.PANEL_MEMBER, agency=agency, full_name="Matrix Panel Member")
    u["conflicted"] = make_user(Role.PANEL_MEMBER, agency=agency, full_name="Matrix Conflicted Member")
    u["lead"] = make_user(Role.AGENCY_LEAD, agency=agency, full_name="Matrix Lead")
    u["other_lead"] = make_user(Role.AGENCY_LEAD, agency=other_agency, full_name="Matrix Other Lead")
    u["wg"] = make_user(Role.WORKING_GROUP, full_name="Matrix Working Group")
    first = timezone.localdate().replace(day=1)
    # People with partner roles; "exec_la" and "threshold_la" complete the three partners but are not asked.
    for key, name, role, partner, chair in (
            ("threshold", "Matrix Threshold", Role.THRESHOLD, POLICE, False),
            ("threshold_la", "Matrix LA Threshold", Role.THRESHOLD, LA, False),
            ("exec", "Matrix Executive", Role.EXECUTIVE, HEALTH, True),
            ("other_exec", "Matrix Other Executive", Role.EXECUTIVE, POLICE, False),
            ("exec_la", "Matrix LA Executive", Role.EXECUTIVE, LA, False)):
        u[key] = make_user(full_name=name)
        RoleAssignment.objects.create(user=u[key], role=role, statutory_partner=partner, is_chair=chair,
                                      starts_on=first)


def build_world() -> World:
    world = World()
    agency = AgencyFactory(name="Matrix Health Trust", type=AgencyType.ACUTE_TRUST, statutory_partner=HEALTH)
    other_agency = AgencyFactory(name="Matrix Housing", type=AgencyType.HOUSING)
    b_agency = AgencyFactory(name="Matrix School", type=AgencyType.EDUCATION)
    _people(world, agency, other_agency)
    u = world.users
    bu = u["bu"]

    a = _involved_case(world, "A", agency)
    a["sheet"] = _sent_sheet(a["case"], bu)
    a["number"] = 1
    action = action_create(case=a["case"], source=ActionSource.RAPID_REVIEW, learning="Bruising in babies",
                           description="Audit the bruising protocol", agency=agency, owner=None,
                           due_on=_today(30), actor=bu)
    a["action_id"] = action.pk
    evidence = action_add_evidence(action=action, actor=u["lead"], text="The audit report.",
                                   upload=SimpleUploadedFile("audit.pdf", minimal_pdf()))
    a["evidence_id"] = evidence.pk
    world.objects["A"] = a

    b_case = _case("B")
    b_panel, b_conflict = _panel("B", b_case, [], make_user(Role.PANEL_MEMBER, full_name="Member B"), bu)
    b_form = _form(b_case, b_agency, bu)
    b_action = action_create(case=b_case, source=ActionSource.RAPID_REVIEW, learning="School attendance",
                             description="Review attendance follow-up", agency=b_agency, owner=None,
                             due_on=_today(30), actor=bu)
    world.objects["B"] = {"case_id": b_case.pk, "case": b_case, "panel": b_panel, "conflict_id": b_conflict.pk,
                          "form_id": b_form.pk, "sheet": _sent_sheet(b_case, bu), "number": 1,
                          "action_id": b_action.pk}

    world.objects["not_met"] = _not_met(world, agency)
    world.objects["cspr"] = _cspr(world, agency)
    world.objects["disputed"] = _disputed(world, agency, "disputed")
    escalated = _disputed(world, agency, "escalated")
    dispute = escalated["dispute"]
    dispute_record_meeting(dispute=dispute, actor=u["chair"], meeting_on=_today(), notes="Discussed the rationale.")
    dispute_escalate(dispute=dispute, actor=bu, reason="No agreement after the meeting.")
    world.objects["escalated"] = escalated
    world.objects["draft"] = _draft(world, agency)
    discussion = cdop_discussion_record(forum=CdopForum.CDOP, discussed_on=_today(-2), forum_reference="CDOP/MATRIX/1",
                                        actor=bu)
    world.objects["cdop"] = {"discussion_id": discussion.pk}
    _add_shared(world)
    return world


def _not_met(world, agency):
    """A referral from the lead, sent for threshold, not met; its letter written and assurance asked of the agency."""
    u = world.users
    bu = u["bu"]
    case = referral_submit(source=Source.PROFESSIONAL, agencies=[agency], actor=u["lead"], data={
        "child_first_name": CHILD_NAMES["not_met"], "child_last_name": "Matrixcase",
        "child_dob": datetime.date(2019, 6, 1), "harm": "serious_harm", "incident_date": _today(-10),
        "la_aware_on": _today(-9), "referrer_name": "Matrix Lead", "referrer_email": "lead@matrix.example",
        "description": "Bruising noticed at nursery."})
    case_send_to_threshold(case=case, actor=bu)
    referral_record_threshold(case=case, actor=bu, discussed_on=_today(-1), la_participant=u["threshold_la"],
                              police_participant=u["threshold"], absence_reason="Health could not attend.",
                              outcome=ThresholdOutcome.NOT_MET, rationale="No abuse or neglect suspected.")
    letter_save(case=case, actor=bu, next_steps="The family is supported by early help.")
    item = assurance_request_create(case=case, actor=bu, agency=agency, request="Confirm the health visitor "
                                    "followed the bruising protocol.", due_on=_today(10))
    case.refresh_from_db()
    return {"case_id": case.pk, "case": case, "request_id": item.pk}


def _sign(sheet, world, disputer=None):
    for partner, signer in ((LA, "exec_la"), (HEALTH, "exec"), (POLICE, "other_exec")):
        outcome = SignatureOutcome.DISPUTE if signer == disputer else SignatureOutcome.AGREE
        signature_record(sheet=sheet, signer=world.users[signer], partner=partner, outcome=outcome,
                         reasons="The criteria for a local review are not met." if signer == disputer else "")


def _cspr(world, agency):
    """Decision signed by all three partners, sent to the National Panel, a practice review commissioned."""
    u = world.users
    bu = u["bu"]
    objects = _involved_case(world, "cspr", agency)
    case = objects["case"]
    form = AgencyCheckForm.objects.get(pk=objects["form_id"])
    complete_form(form)
    form_submit(form=form, actor=u["lead"])
    form_accept(form=form, actor=bu, note="Clear and complete.")
    sheet = _sent_sheet(case, bu)
    _sign(sheet, world)
    national_panel_send(case=case, actor=bu, sent_on=_today(), sent_for=executive_chair())
    cspr = cspr_commission(case=case, actor=bu, methodology="systems", methodology_detail="",
                           reviewers="An independent reviewer", terms_of_reference="How agencies shared concerns.",
                           started_on=_today())
    process = parallel_process_save(cspr=cspr, actor=bu, kind=ProcessKind.CRIMINAL, description="Police inquiry",
                                    status=ProcessStatus.ONGOING, may_delay_publication=True, notes="")
    objects.update(sheet=sheet, number=1, milestone_id=cspr.milestones.order_by("kind").first().pk,
                   participation_id=cspr.participations.get(agency=agency).pk, process_id=process.pk)
    return objects


def _disputed(world, agency, key):
    """A decision sheet the police executive disputed after the other two signed."""
    objects = _involved_case(world, key, agency)
    sheet = _sent_sheet(objects["case"], world.users["bu"])
    _sign(sheet, world, disputer="other_exec")
    sheet.refresh_from_db()
    objects.update(sheet=sheet, number=1, dispute=sheet.disputes.get(), dispute_id=sheet.disputes.get().pk)
    return objects


def _draft(world, agency):
    """A complete decision sheet not yet sent; the lead's form submitted and waiting for quality assurance."""
    u = world.users
    objects = _involved_case(world, "draft", agency)
    form = AgencyCheckForm.objects.get(pk=objects["form_id"])
    complete_form(form)
    form_submit(form=form, actor=u["lead"])
    sheet = sheet_start(case=objects["case"], actor=u["bu"])
    sheet_edit(sheet=sheet, actor=u["bu"], content=FULL_SHEET)
    objects.update(sheet=sheet, number=1)
    return objects


def _failed_notification():
    """One e-mail the mail server (a closed port) refused until the outbox gave it up, as the outbox shows it."""
    note = Notification.objects.filter(status=NotificationStatus.QUEUED).order_by("pk").first()
    closed_port = override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                                    EMAIL_HOST="127.0.0.1", EMAIL_PORT=9, EMAIL_TIMEOUT=2, EMAIL_USE_TLS=False,
                                    EMAIL_USE_SSL=False)
    start = timezone.now()
    # Tried now and again days later: an outbox that retries for a while gives up on the second try.
    with closed_port, contextlib.suppress(OSError):  # the failure this builds; the row records it
        for days in (0, 4):
            with time_machine.travel(start + datetime.timedelta(days=days), tick=False):
                deliver(note.pk)
            note.refresh_from_db()
            if note.status == NotificationStatus.FAILED:
                break
    note.refresh_from_db()
    assert note.status == NotificationStatus.FAILED, note.status
    return note.pk


def _add_shared(world):
    """Objects that belong to no case: the same in every scene."""
    u = world.users
    bu = u["bu"]
    shared = {
        "person_id": u["lead"].public_id,
        "assignment_id": u["panel"].role_assignments.get().pk,
        "agency_id": u["lead"].agency_id,
        "rule_id": RetentionRule.for_type(RecordType.NOT_MET).pk,
        "term_id": GlossaryTerm.objects.get_or_create(term="MXQ", defaults={"expansion": "Matrix"})[0].pk,
        "theme_id": theme_create(name="Matrix theme", description="Bruising in non-mobile babies", actor=bu).pk,
        "item_id": learning_create(kind=LearningKind.BULLETIN, actor=bu, title="Matrix bulletin",
                                   date=timezone.localdate(), body="Learning from Child A.").pk,
        "meeting_id": meeting_record(held_on=timezone.localdate(), notes="Reviewed overdue actions.",
                                     actor=u["wg"]).pk,
        "clock_id": Clock.objects.filter(case_id=world.objects["A"]["case_id"]).order_by("pk").first().pk,
        "notification_id": _failed_notification(),
        "day_id": non_working_day_add(date=_today(400), reason="Partnership closure day", actor=bu).pk,
        # A proposal to anonymise, made by another member of the business unit (the service checks the case is
        # due when it is confirmed, so the world's cases are never anonymised).
        "proposal_id": RetentionProposal.objects.create(
            case_id=world.objects["B"]["case_id"], reference=world.objects["B"]["case"].reference,
            proposed_by=make_user(Role.BUSINESS_UNIT, full_name="Second Unit"), note="Past retention.").pk,
    }
    for scene in SCENES:
        world.objects[scene] = {**shared, **world.objects[scene]}
