"""Two partnerships, each with a case carrying a record in most apps, and the links between them an export must
cut: a case of one with the other taking part, a possible duplicate pointing across, an access log entry about
the other's case, and an agency lead who works for both.

Built straight from the models (not the services), so that the export's rules are tested on every kind of link
whatever state the apps are in. Every text that belongs to one partnership carries its ``marker``.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actionplan.models import Action, ActionEvidence
from agencychecks.models import AgencyCheckForm, ChronologyEntry, FormVersion
from decisions.models import DecisionSheet, DecisionSheetVersion, Signature
from rapidreview.accounts.models import Role, RoleAssignment
from rapidreview.audit.models import AccessLog, LegalHold
from rapidreview.clocks.models import Clock
from referrals.models import Case, CaseEvent, CaseParticipation, HouseholdMember, Referral
from tests.factories import AgencyFactory, make_partnership, make_user
from themes.models import CaseTheme, Theme

TODAY = datetime.date(2026, 3, 2)


@dataclass
class Side:
    partnership: object
    marker: str
    manager: object
    coordinator: object
    executive: object
    case: object
    sheet: object
    version: object
    form: object
    action: object
    evidence: object
    objects: list = field(default_factory=list)


def build_side(name: str, slug: str, marker: str, *, shared_lead, shared_agency) -> Side:
    """One partnership and its records; ``marker`` is in every text of its own."""
    p = make_partnership(name, slug=slug, short_name=marker)
    manager = make_user(Role.BUSINESS_UNIT, partnership=p, full_name=f"{marker} Manager",
                        email=f"manager@{slug}.test")
    coordinator = make_user(Role.BUSINESS_UNIT, partnership=p, full_name=f"{marker} Coordinator",
                            email=f"coordinator@{slug}.test")
    executive = make_user(Role.EXECUTIVE, partnership=p, full_name=f"{marker} Executive",
                          email=f"executive@{slug}.test")
    RoleAssignment.objects.create(user=shared_lead, partnership=p, role=Role.AGENCY_LEAD,
                                  starts_on=TODAY.replace(day=1))
    own_agency = AgencyFactory(name=f"{marker} Children's Social Care")
    p.agencies.add(own_agency, shared_agency)
    case = Case.objects.create(reference=f"RR-2026-{marker}1", partnership=p, source="professional",
                               child_first_name=f"{marker}child", child_last_name=f"{marker}family",
                               sin_notified_on=TODAY)
    case.involved_agencies.add(own_agency, shared_agency)
    referral = Referral.objects.create(case=case, received_on=TODAY, referrer_name=f"{marker} Referrer",
                                       description=f"{marker} what happened")
    HouseholdMember.objects.create(referral=referral, name=f"{marker} Mother", relationship="mother")
    CaseEvent.objects.create(case=case, kind="note", summary=f"{marker} referral received", actor=manager)
    sheet = DecisionSheet.objects.create(case=case)
    version = DecisionSheetVersion.objects.create(sheet=sheet, number=1, case_summary=f"{marker} summary",
                                                  rationale=f"{marker} rationale", created_by=manager)
    sheet.current = version
    sheet.save()
    Signature.objects.create(sheet=sheet, version=version, partner="police", signer=executive, outcome="agree",
                             signed_at=timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 30)))
    form = AgencyCheckForm.objects.create(case=case, agency=shared_agency, due_on=TODAY, issued_by=manager)
    ChronologyEntry.objects.create(form=form, date=TODAY, contact_type=_contact_type(),
                                   summary=f"{marker} seen at school", practitioner_role="Teacher")
    FormVersion.objects.create(form=form, number=1, submitted_by=shared_lead,
                               snapshot={"summary": f"{marker} form answer", "form": str(form.pk)})
    theme = Theme.objects.create(partnership=p, name=f"{marker} neglect", slug=f"{marker.lower()}-neglect")
    CaseTheme.objects.create(case=case, theme=theme, log="rapid_review", recorded_by=manager)
    action = Action.objects.create(partnership=p, case=case, source="rapid_review", learning=f"{marker} learning",
                                   description=f"{marker} action", agency=own_agency, due_on=TODAY)
    evidence = ActionEvidence.objects.create(
        action=action, text=f"{marker} evidence", added_by=manager, original_name="minutes.txt",
        file=SimpleUploadedFile("minutes.txt", f"{marker} minutes".encode()))
    Clock.objects.create(partnership=p, kind="agency_form", subject=form, case_id=case.pk, started_on=TODAY,
                         due_on=TODAY, reference=case.reference, url=f"/agency-checks/forms/{form.pk}/")
    AccessLog.objects.create(user=manager, action="view", object_type="referrals.case", object_id=str(case.pk),
                             case_id=case.pk, partnership=p, path=f"/cases/{case.pk}/")
    LegalHold.objects.create(case_id=case.pk, reason=f"{marker} inquest", set_by=manager)
    return Side(p, marker, manager, coordinator, executive, case, sheet, version, form, action, evidence)


def _contact_type():
    return ChronologyEntry._meta.get_field("contact_type").choices[0][0]


@dataclass
class World:
    ours: Side
    theirs: Side
    shared_lead: object


def build_world() -> World:
    """Tower Hamlets (marker TWH) and City & Hackney (marker CAH), linked the ways real partnerships are."""
    shared_agency = AgencyFactory(name="Metropolitan Police")
    shared_lead = make_user(full_name="Pat Police", email="police.lead@example.test", agency=shared_agency)
    ours = build_side("Tower Hamlets SCP", "tower-hamlets", "TWH", shared_lead=shared_lead,
                      shared_agency=shared_agency)
    theirs = build_side("City and Hackney SCP", "city-and-hackney", "CAH", shared_lead=shared_lead,
                        shared_agency=shared_agency)
    # City & Hackney takes part in our case; we take part in theirs.
    CaseParticipation.objects.create(case=ours.case, partnership=theirs.partnership, reason="TWH child lives there",
                                     added_by=ours.manager)
    CaseParticipation.objects.create(case=theirs.case, partnership=ours.partnership, reason="CAH joint",
                                     added_by=theirs.manager)
    # Our referral suspected a duplicate of their case; our manager looked at their case while taking part.
    Referral.objects.filter(case=ours.case).update(possible_duplicate_of=theirs.case)
    AccessLog.objects.create(user=ours.manager, action="view", object_type="referrals.case",
                             object_id=str(theirs.case.pk), case_id=theirs.case.pk, partnership=ours.partnership,
                             path=f"/cases/{theirs.case.pk}/")
    return World(ours, theirs, shared_lead)
