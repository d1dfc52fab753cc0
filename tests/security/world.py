"""The objects and people the whole-application security tests run against.

Every object is built through the application's own services where one exists, and nothing is allowed to fail
quietly: if a service refuses, building the world raises and every test that needs it fails with the reason.

Scenes (``World.objects[scene]``: URL keyword argument -> value). Each page is asked about in one scene, chosen in
``access_table.SCENE`` (default "A"):

- "A": a case at the decision stage that every kind of person is involved in: a held panel with a member and a
  conflicted member, an issued agency check form for the lead's agency, a decision sheet out for signature, an
  action with uploaded evidence, and a third partnership invited to take part.
- "B": the same stage, but involving none of the case-dependent people; pages for case B must refuse them.
- "not_met": a referral made by the lead whose threshold was not met, with its letter and an assurance request.
- "cspr": a case whose decision was signed, sent to the National Panel and a practice review commissioned, with
  the lead's accepted (so versioned) form, milestones, agency participation and a parallel process.
- "disputed": a decision sheet the police executive disputed (an open dispute).
- "escalated": a disputed sheet whose dispute was discussed with the chair and escalated to the Executive chair.
- "draft": a decision sheet being written (complete, not yet sent), and the lead's form submitted and waiting for
  the business unit's quality assurance.

Objects that belong to no case (people, agencies, themes, the outbox...) are the same in every scene.

Partnerships (issue 18). Everything above belongs to the main partnership (``default_partnership()``), whose people
are ``World.users``. ``build_world(other=True)`` also builds a second partnership, "Wessex", with its own person
for every role (``World.foreign_users``) and its own copy of every scene (``World.foreign[scene]``), built by the
same code. ``World.joint`` is a case a third partnership leads with the main partnership taking part. "dual" holds
the business unit and agency lead roles in both partnerships (the lead of an agency both use). Every string that
identifies a Wessex object (its children's names, references, pseudonyms, texts, ids) is in ``World.markers``: no
response to someone acting in the main partnership may hold one.
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
    cspr_request_information,
    dispute_escalate,
    dispute_record_meeting,
    family_contact_save,
    national_panel_send,
    parallel_process_save,
    sheet_edit,
    sheet_send,
    sheet_start,
    signature_record,
)
from panels.models import Panel, PanelInvitation, PanelState
from panels.services import conflict_declare
from rapidreview.accounts.models import (
    AgencyType,
    LeadSafeguardingPartner,
    Partnership,
    Role,
    RoleAssignment,
    StatutoryPartner,
)
from rapidreview.accounts.selectors import executive_chair
from rapidreview.audit.models import RecordType, RetentionProposal, RetentionRule
from rapidreview.clocks.models import Clock
from rapidreview.clocks.services import non_working_day_add
from rapidreview.notifications.delivery import deliver
from rapidreview.notifications.models import Notification, NotificationStatus
from rapidreview.partnership_export.models import PartnershipImport
from rapidreview.partnership_export.services import export_request
from referrals.models import Case, CdopForum, Referral, Source, Stage, ThresholdOutcome
from referrals.services import (
    assurance_request_create,
    case_invite_partnership,
    case_send_to_threshold,
    cdop_discussion_record,
    incident_child_add,
    letter_save,
    referral_record_threshold,
    referral_submit,
)
from tests.agencychecks.factories import complete_form
from tests.decisions.factories import FULL_SHEET
from tests.factories import AgencyFactory, default_partnership, make_partnership, make_user, roles_start
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

# The second partnership's children, and the word in every text it writes (theme, action, learning, notes...).
FOREIGN_CHILD_NAMES = {"A": "Ottoline", "B": "Peregrine", "not_met": "Quintessa", "cspr": "Rosalind",
                       "disputed": "Sebastiana", "escalated": "Tarquinius", "draft": "Ulrica", "cdop": "Valentina"}
JOINT_CHILD_NAME = "Wilhelmina"  # the child of the case a third partnership leads and the main one takes part in
FOREIGN_WORD = "Xylophone"
# Objects the installation shares between partnerships: the same in both worlds (agencies' acronyms, an archive the
# installation's administrator uploaded to import). A page about only these is not another partnership's.
SHARED_KWARGS = frozenset({"term_id", "import_id"})
# Installation-wide objects each world has its own of: a partnership's page may name any agency (to add it to its
# arrangements), so their ids are no marker.
NOT_MARKERS = frozenset({"agency_id"})


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # scene -> {kwarg name: value}
    partnership: Partnership | None = None
    # The second partnership (built with ``build_world(other=True)``).
    other: Partnership | None = None
    foreign_users: dict = field(default_factory=dict)
    foreign: dict = field(default_factory=dict)  # scene -> {kwarg name: value}, every object Wessex's
    joint: dict = field(default_factory=dict)  # a case a third partnership leads, the main one taking part
    markers: list = field(default_factory=list)  # strings that identify Wessex's objects


@dataclass
class _Side:
    """One partnership's half of the world: its people, how its objects are named, what it built."""

    partnership: Partnership
    users: dict
    names: dict  # scene -> child's first name
    reference: str  # prefix of the references of the cases made directly
    word: str = "Matrix"  # in the names of its people and the texts it writes
    built: list = field(default_factory=list)  # every case it made


def _today(days=0):
    return timezone.localdate() + datetime.timedelta(days=days)


def _case(side, key, stage=Stage.DECISION):
    """A case with its referral, already at ``stage`` (the steps before it are walked through the services by the
    "not_met" scene and by each app's tests)."""
    case = Case.objects.create(
        reference=f"{side.reference}-2026-{key.upper()[:6]}", stage=stage, source=Source.PROFESSIONAL,
        partnership=side.partnership,
        child_first_name=side.names[key], child_last_name=f"{side.word}case", child_dob=datetime.date(2018, 4, 1),
        harm="serious_harm", incident_date=_today(-20), la_aware_on=_today(-19), sin_notified_on=_today(-18),
        pseudonym=f"Child {key}" if side.word == "Matrix" else f"Child {side.word} {key}")
    Referral.objects.create(case=case, received_on=_today(-19), referrer_name="Rita Referrer",
                            description="Found injured at home.")
    side.built.append(case)
    return case


def _panel(side, key, case, members, conflicted):
    """A panel that met (one a day), with ``members`` and ``conflicted`` invited; ``conflicted`` declares a
    conflict."""
    days = (*SCENES, "joint")  # one panel a day in a partnership
    panel = Panel.objects.create(case=case, state=PanelState.HELD, ics_uid=f"{uuid.uuid4()}@test",
                                 meeting_date=_today(-5 - days.index(key)), created_by=side.users["bu"])
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


def _involved_case(side, key, agency):
    """A case at the decision stage with case A's people involved: panel, conflicted member, the lead's form."""
    u = side.users
    case = _case(side, key)
    panel, conflict = _panel(side, key, case, [u["panel"]], u["conflicted"])
    form = _form(case, agency, u["bu"])
    return {"case_id": case.pk, "case": case, "panel": panel, "conflict_id": conflict.pk, "form_id": form.pk}


def _people(side, agency, other_agency):
    u, p, word = side.users, side.partnership, side.word
    u["bu"] = make_user(Role.BUSINESS_UNIT, partnership=p, full_name=f"{word} Business Unit")
    u["chair"] = make_user(Role.RR_CHAIR, partnership=p, full_name=f"{word} Chair")
    u["panel"] = make_user(Role.PANEL_MEMBER, agency=agency, partnership=p, full_name=f"{word} Panel Member")
    u["conflicted"] = make_user(Role.PANEL_MEMBER, agency=agency, partnership=p, full_name=f"{word} Conflicted Member")
    u["lead"] = make_user(Role.AGENCY_LEAD, agency=agency, partnership=p, full_name=f"{word} Lead")
    u["other_lead"] = make_user(Role.AGENCY_LEAD, agency=other_agency, partnership=p, full_name=f"{word} Other Lead")
    u["wg"] = make_user(Role.WORKING_GROUP, partnership=p, full_name=f"{word} Working Group")
    first = roles_start()
    # People with partner roles; "exec_la" and "threshold_la" complete the three partners but are not asked.
    for key, name, role, partner, chair in (
            ("threshold", "Threshold", Role.THRESHOLD, POLICE, False),
            ("threshold_la", "LA Threshold", Role.THRESHOLD, LA, False),
            ("exec", "Executive", Role.EXECUTIVE, HEALTH, True),
            ("other_exec", "Other Executive", Role.EXECUTIVE, POLICE, False),
            ("exec_la", "LA Executive", Role.EXECUTIVE, LA, False)):
        u[key] = make_user(full_name=f"{word} {name}")
        RoleAssignment.objects.create(user=u[key], partnership=p, role=role, statutory_partner=partner,
                                      is_chair=chair, starts_on=first)
    p.agencies.add(agency, other_agency)


def build_world(other: bool = False) -> World:
    """The main partnership's world; with ``other``, also the second partnership's (see the module docstring)."""
    world = World(partnership=default_partnership())
    # A third partnership that takes part in case A, and in Wessex's case A: no one signs in as it.
    third = make_partnership("Third Borough Safeguarding Children Partnership", slug="third-borough",
                             short_name="TBSCP")
    main = _Side(world.partnership, world.users, CHILD_NAMES, "MX")
    world.objects = _build_side(main, third, agency_names=("Matrix Health Trust", "Matrix Housing", "Matrix School"))
    if other:
        _build_other(world, third)
    # An archive uploaded by the installation's administrator, checked and waiting to be imported.
    upload = PartnershipImport.objects.create(uploaded_by=world.users["bu"], archive="imports/matrix.zip",
                                              archive_sha256="0" * 64, manifest={"partnership": "Imported"})
    for objects in (world.objects, world.foreign):
        for scene in objects.values():
            scene["import_id"] = upload.pk
    return world


def _build_side(side, third, *, agency_names) -> dict:
    health, housing, school = agency_names
    agency = AgencyFactory(name=health, type=AgencyType.ACUTE_TRUST, statutory_partner=HEALTH)
    other_agency = AgencyFactory(name=housing, type=AgencyType.HOUSING)
    b_agency = AgencyFactory(name=school, type=AgencyType.EDUCATION)
    _people(side, agency, other_agency)
    side.partnership.agencies.add(b_agency)
    u = side.users
    bu = u["bu"]
    objects = {}

    a = _involved_case(side, "A", agency)
    a["sheet"] = _sent_sheet(a["case"], bu)
    a["number"] = 1
    action = action_create(case=a["case"], source=ActionSource.RAPID_REVIEW, learning="Bruising in babies",
                           description=f"{side.word} audit of the bruising protocol", agency=agency, owner=None,
                           due_on=_today(30), actor=bu)
    a["action_id"] = action.pk
    evidence = action_add_evidence(action=action, actor=u["lead"], text=f"The {side.word} audit report.",
                                   upload=SimpleUploadedFile("audit.pdf", minimal_pdf()))
    a["evidence_id"] = evidence.pk
    a["taking_part_id"] = case_invite_partnership(case=a["case"], actor=bu, partnership=third,
                                                    reason="The child lives there.").pk
    a["child_id"] = incident_child_add(case=a["case"], actor=bu, first_name=f"{side.word}sibling",
                                       outcome="at_risk").pk
    objects["A"] = a

    b_case = _case(side, "B")
    b_panel, b_conflict = _panel(side, "B", b_case, [], make_user(
        Role.PANEL_MEMBER, partnership=side.partnership, full_name=f"{side.word} Member B"))
    b_form = _form(b_case, b_agency, bu)
    b_action = action_create(case=b_case, source=ActionSource.RAPID_REVIEW, learning="School attendance",
                             description=f"{side.word} review of attendance follow-up", agency=b_agency, owner=None,
                             due_on=_today(30), actor=bu)
    objects["B"] = {"case_id": b_case.pk, "case": b_case, "panel": b_panel, "conflict_id": b_conflict.pk,
                    "form_id": b_form.pk, "sheet": _sent_sheet(b_case, bu), "number": 1, "action_id": b_action.pk}

    objects["not_met"] = _not_met(side, agency)
    objects["cspr"] = _cspr(side, agency)
    objects["disputed"] = _disputed(side, agency, "disputed")
    escalated = _disputed(side, agency, "escalated")
    dispute = escalated["dispute"]
    dispute_record_meeting(dispute=dispute, actor=u["chair"], meeting_on=_today(), notes="Discussed the rationale.")
    dispute_escalate(dispute=dispute, actor=bu, reason="No agreement after the meeting.")
    objects["escalated"] = escalated
    objects["draft"] = _draft(side, agency)
    discussion = cdop_discussion_record(forum=CdopForum.CDOP, discussed_on=_today(-2), actor=bu,
                                        forum_reference=f"CDOP/{side.word.upper()}/1", partnership=side.partnership)
    objects["cdop"] = {"discussion_id": discussion.pk}
    _add_shared(side, objects)
    return objects


def _not_met(side, agency):
    """A referral from the lead, sent for threshold, not met; its letter written and assurance asked of the agency."""
    u = side.users
    bu = u["bu"]
    case = referral_submit(source=Source.PROFESSIONAL, agencies=[agency], actor=u["lead"],
                           partnership=side.partnership, data={
                               "child_first_name": side.names["not_met"], "child_last_name": f"{side.word}case",
                               "child_dob": datetime.date(2019, 6, 1), "harm": "serious_harm",
                               "incident_date": _today(-10), "la_aware_on": _today(-9),
                               "referrer_name": f"{side.word} Lead", "referrer_email": "lead@matrix.example",
                               "description": "Bruising noticed at nursery."})
    side.built.append(case)
    case_send_to_threshold(case=case, actor=bu)
    referral_record_threshold(case=case, actor=bu, discussed_on=_today(-1), la_participant=u["threshold_la"],
                              police_participant=u["threshold"], absence_reason="Health could not attend.",
                              outcome=ThresholdOutcome.NOT_MET, rationale="No abuse or neglect suspected.")
    letter_save(case=case, actor=bu, next_steps="The family is supported by early help.")
    item = assurance_request_create(case=case, actor=bu, agency=agency, request="Confirm the health visitor "
                                    "followed the bruising protocol.", due_on=_today(10))
    case.refresh_from_db()
    return {"case_id": case.pk, "case": case, "request_id": item.pk}


def _sign(sheet, side, disputer=None):
    for partner, signer in ((LA, "exec_la"), (HEALTH, "exec"), (POLICE, "other_exec")):
        outcome = SignatureOutcome.DISPUTE if signer == disputer else SignatureOutcome.AGREE
        signature_record(sheet=sheet, signer=side.users[signer], partner=partner, outcome=outcome,
                         reasons="The criteria for a local review are not met." if signer == disputer else "")


def _cspr(side, agency):
    """Decision signed by all three partners, sent to the National Panel, a practice review commissioned."""
    u = side.users
    bu = u["bu"]
    objects = _involved_case(side, "cspr", agency)
    case = objects["case"]
    form = AgencyCheckForm.objects.get(pk=objects["form_id"])
    complete_form(form)
    form_submit(form=form, actor=u["lead"])
    form_accept(form=form, actor=bu, note="Clear and complete.")
    sheet = _sent_sheet(case, bu)
    _sign(sheet, side)
    national_panel_send(case=case, actor=bu, sent_on=_today(), sent_for=executive_chair(partnership=side.partnership))
    cspr = cspr_commission(case=case, actor=bu, methodology="systems", methodology_detail="",
                           reviewers="An independent reviewer", terms_of_reference="How agencies shared concerns.",
                           started_on=_today())
    process = parallel_process_save(cspr=cspr, actor=bu, kind=ProcessKind.CRIMINAL, description="Police inquiry",
                                    status=ProcessStatus.ONGOING, may_delay_publication=True, notes="")
    request = cspr_request_information(cspr=cspr, actor=bu, kind="draft", detail="The draft of the analysis.",
                                       addressed_to="An independent reviewer",
                                       addressed_to_email=f"reviewer@{side.word.lower()}.example.org",
                                       due_on=_today(14))
    contact = family_contact_save(cspr=cspr, actor=bu, relationship="Mother", contacted_on=_today(),
                                  consent="given", advocate_offered=True, notes="")
    objects.update(sheet=sheet, number=1, milestone_id=cspr.milestones.order_by("kind").first().pk,
                   participation_id=cspr.participations.get(agency=agency).pk, process_id=process.pk,
                   reviewer_request_id=request.pk, family_contact_id=contact.pk)
    return objects


def _disputed(side, agency, key):
    """A decision sheet the police executive disputed after the other two signed."""
    objects = _involved_case(side, key, agency)
    sheet = _sent_sheet(objects["case"], side.users["bu"])
    _sign(sheet, side, disputer="other_exec")
    sheet.refresh_from_db()
    objects.update(sheet=sheet, number=1, dispute=sheet.disputes.get(), dispute_id=sheet.disputes.get().pk)
    return objects


def _draft(side, agency):
    """A complete decision sheet not yet sent; the lead's form submitted and waiting for quality assurance."""
    u = side.users
    objects = _involved_case(side, "draft", agency)
    form = AgencyCheckForm.objects.get(pk=objects["form_id"])
    complete_form(form)
    form_submit(form=form, actor=u["lead"])
    sheet = sheet_start(case=objects["case"], actor=u["bu"])
    sheet_edit(sheet=sheet, actor=u["bu"], content=FULL_SHEET)
    objects.update(sheet=sheet, number=1)
    return objects


def _failed_notification(partnership):
    """One of ``partnership``'s e-mails the mail server (a closed port) refused until the outbox gave it up, as the
    outbox shows it."""
    note = Notification.objects.filter(status=NotificationStatus.QUEUED, partnership=partnership).order_by(
        "pk").first()
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


def _add_shared(side, objects):
    """Objects that belong to no case: the same in every scene."""
    u, p, word = side.users, side.partnership, side.word
    bu = u["bu"]
    shared = {
        "person_id": u["lead"].public_id,
        "assignment_id": u["panel"].role_assignments.get().pk,
        "agency_id": u["lead"].agency_id,
        "lead_id": LeadSafeguardingPartner.objects.create(
            partnership=p, partner=StatutoryPartner.POLICE, name=f"{word} Chief", title="Chief Constable",
            organisation=f"{word} Police").pk,
        "rule_id": RetentionRule.for_type(RecordType.NOT_MET, partnership=p).pk,
        "term_id": GlossaryTerm.objects.get_or_create(term="MXQ", defaults={"expansion": "Matrix"})[0].pk,
        "theme_id": theme_create(name=f"{word} theme", description="Bruising in non-mobile babies", actor=bu,
                                 partnership=p).pk,
        "item_id": learning_create(kind=LearningKind.BULLETIN, actor=bu, title=f"{word} bulletin", partnership=p,
                                   date=timezone.localdate(), body=f"Learning from {word} Child A.").pk,
        "meeting_id": meeting_record(held_on=timezone.localdate(), notes=f"{word}: reviewed overdue actions.",
                                     actor=u["wg"], partnership=p).pk,
        "clock_id": Clock.objects.filter(case_id=objects["A"]["case_id"]).order_by("pk").first().pk,
        "notification_id": _failed_notification(p),
        "day_id": non_working_day_add(date=_today(400), reason=f"{word} closure day", actor=bu, partnership=p).pk,
        # A proposal to anonymise, made by another member of the business unit (the service checks the case is
        # due when it is confirmed, so the world's cases are never anonymised).
        "proposal_id": RetentionProposal.objects.create(
            case_id=objects["B"]["case_id"], reference=objects["B"]["case"].reference,
            proposed_by=make_user(Role.BUSINESS_UNIT, partnership=p, full_name=f"{word} Second Unit"),
            note="Past retention.").pk,
        "slug": p.slug,
        "export_id": export_request(partnership=p, actor=bu, reason=f"{word}: moving to another installation.").pk,
    }
    for scene in SCENES:
        objects[scene] = {**shared, **objects[scene]}


def _build_other(world, third):
    """The second partnership, its people, its copy of every scene, the joint case and the person in both."""
    world.other = make_partnership("Wessex Safeguarding Children Partnership", slug="wessex", short_name="WSCP")
    side = _Side(world.other, world.foreign_users, FOREIGN_CHILD_NAMES, "XYL", word=FOREIGN_WORD)
    # Agencies belong to the installation (every partnership may add one to its arrangements): their names are
    # no partnership's secret, so they carry no marker.
    world.foreign = _build_side(side, third, agency_names=(
        "Wessex Health Trust", "Wessex Housing", "Wessex School"))
    world.joint = _joint(world, third)
    # Someone both partnerships know: the business unit and the lead of an agency both use, in each.
    shared_agency = AgencyFactory(name="Matrix and Wessex Police", type=AgencyType.POLICE, statutory_partner=POLICE)
    dual = make_user(Role.BUSINESS_UNIT, Role.AGENCY_LEAD, agency=shared_agency, full_name="Dana Dual",
                     partnership=world.partnership)
    for role in (Role.BUSINESS_UNIT, Role.AGENCY_LEAD):
        RoleAssignment.objects.create(user=dual, partnership=world.other, role=role,
                                      starts_on=roles_start())
    world.partnership.agencies.add(shared_agency)
    world.other.agencies.add(shared_agency)
    world.users["dual"] = world.foreign_users["dual"] = dual
    world.markers = _markers(world, side)


def _joint(world, third):
    """A case the third partnership leads at the decision stage, with the main partnership invited to take part.

    Led by a partnership of its own, so that nothing the main partnership may read of it is Wessex's."""
    side = _Side(third, {}, {"joint": JOINT_CHILD_NAME}, "JX", word="Joint")
    agency = AgencyFactory(name="Joint Health Trust", type=AgencyType.ACUTE_TRUST, statutory_partner=HEALTH)
    _people(side, agency, AgencyFactory(name="Joint Housing", type=AgencyType.HOUSING))
    u = side.users
    objects = _involved_case(side, "joint", agency)
    case = objects["case"]
    objects["sheet"] = _sent_sheet(case, u["bu"])
    objects["number"] = 1
    objects["action_id"] = action_create(
        case=case, source=ActionSource.RAPID_REVIEW, learning="Joint learning", description="Joint action",
        agency=agency, owner=None, due_on=_today(30), actor=u["bu"]).pk
    objects["taking_part_id"] = case_invite_partnership(
        case=case, actor=u["bu"], partnership=world.partnership, reason="The child lives in the main partnership.").pk
    return objects


def _markers(world, side) -> list[str]:
    """What identifies Wessex's objects: its word, children's names, references, pseudonyms and object ids."""
    markers = {FOREIGN_WORD, *FOREIGN_CHILD_NAMES.values()}
    for case in side.built:
        case.refresh_from_db()
        markers |= {case.reference, case.pseudonym, str(case.pk)}
    for objects in world.foreign.values():
        for name, value in objects.items():
            if isinstance(value, uuid.UUID) and name not in SHARED_KWARGS | NOT_MARKERS:
                markers.add(str(value))
    markers.discard("")
    return sorted(markers)
