"""Demo data for the decisions stage: a sheet out for signature with one signature, a disputed sheet, a decision
with the National Panel, and a practice review in progress. Keyed on the case, so loading twice changes nothing.

The referrals demo has already moved these cases to their stages, so the records that belong to earlier steps
(the meeting, the vote, the signatures) are written as they would have been at the time.
"""

import datetime

from django.utils import timezone

from panels.selectors import panel_for_case, voting_members_present
from panels.services.common import LONDON
from rapidreview.accounts.models import LeadSafeguardingPartner, Partnership, StatutoryPartner
from rapidreview.clocks.models import ClockKind
from rapidreview.clocks.services import clock_meet, clock_start
from rapidreview.workdays import add_working_days
from referrals.models import Stage

from . import services
from .models import (
    SECTION_FIELDS,
    Cspr,
    CsprMilestone,
    CsprParticipation,
    DecisionSheet,
    DecisionSheetVersion,
    MeetingRecord,
    MilestoneKind,
    NationalPanelSubmission,
    ParallelProcess,
    ParticipationStatus,
    SheetStatus,
    Signature,
    Vote,
)
from .models.criteria import REG3_FIELDS, REG11_FIELDS
from .selectors import meeting_themes
from .services.cspr import checkpoint_clock_start, involved_agencies

LA, HEALTH, POLICE = StatutoryPartner.LOCAL_AUTHORITY, StatutoryPartner.HEALTH, StatutoryPartner.POLICE

SHEET = {
    "case_summary": "The child was admitted to hospital with injuries not consistent with the account given. "
                    "Three siblings live at home; the family moved into the borough eighteen months ago.",
    "agency_involvement": "Police: two call-outs for domestic abuse, not shared with health.\n"
                          "Barts Health: emergency department attendance six months earlier.\n"
                          "GP: missed immunisations; no follow-up.\n"
                          "Children's Social Care: a contact closed after a single visit.",
    "analysis": "The mother's limited English meant professionals relied on the father to interpret, which hid "
                "the domestic abuse. The family's insecure immigration status and temporary housing left them "
                "wary of services. Practice did not take account of these inequalities.",
    "immediate_actions": "Police: domestic abuse notifications to health visiting reviewed.\n"
                         "GP Care Group: reminder on following up missed immunisations.",
    "learning": "Use independent interpreters. Share domestic abuse call-outs with health visiting. "
                "Think about the whole family, including fathers and partners.",
    "criteria_met": "yes",
    "criteria_reasons": "Abuse is suspected, the child was seriously harmed, and there are concerns about how "
                        "agencies worked together.",
    "national_issues": "no", "national_issues_detail": "",
    "recommendation": "cspr",
    "rationale": "The learning about interpreting and information sharing reaches across every agency and has "
                 "not been reviewed locally before.",
    "child_in_need": "no",
    "significant_adults": "The father's brother often looked after the children at weekends.",
    "siblings_safety": "The three siblings were seen at home the next day and a strategy discussion was held for "
                       "each; they are staying with their maternal grandmother while enquiries continue.",
    "reg11_a": "yes", "reg11_a_reason": "Interpreting and the sharing of domestic abuse call-outs need improving.",
    "reg11_b": "yes", "reg11_b_reason": "Reliance on family members to interpret has been seen in two earlier "
                                        "reviews.",
    "reg11_c": "yes", "reg11_c_reason": "The police did not tell health visiting about the call-outs.",
    "reg11_d": "no", "reg11_d_reason": "The National Panel has not yet considered the case.",
    "reg3_a": "yes", "reg3_a_reason": "Interpreting for families is an improvement other areas may need too.",
    "reg3_b": "no", "reg3_b_reason": "No change to legislation or guidance is suggested.",
    "reg3_c": "no", "reg3_c_reason": "Not a recurrent national theme on what is known so far.",
    "cspr_methodology": "systems",
    "cspr_scope": "From the family's arrival in the borough to the incident; how interpreting and information "
                  "sharing worked across agencies.",
    "cspr_reviewer": "An independent reviewer from the partnership's reviewer framework",
    "cspr_timescale": "Final report within 6 months of the decision",
    "parallel_processes": "The Crown Prosecution Service is considering charges.",
    "family_involvement": "The mother has been told about the review through an independent interpreter and will "
                          "be invited to meet the reviewer.",
}


def _meeting(case, manager, themes=()):
    """The panel meeting record and vote, as written when the case was at rapid review."""
    meeting, created = MeetingRecord.objects.get_or_create(case=case, defaults={
        "chair_overview": SHEET["case_summary"], "areas_for_learning": SHEET["learning"],
        "cspr_criteria_met": "yes", "cspr_criteria_reasons": SHEET["criteria_reasons"], "national_issues": "no",
        **{f: SHEET[f] for f in REG11_FIELDS + REG3_FIELDS},
        "recorded_by": manager, "vote_closed_at": timezone.now(), "vote_closed_by": manager,
        "meeting_date": add_working_days(case.sin_notified_on, 9, partnership=case.partnership)
        if case.sin_notified_on else None})
    if created:
        panel = panel_for_case(case)
        if panel is not None:
            for member in voting_members_present(panel):
                Vote.objects.create(meeting=meeting, member=member, choice="yes", recorded_by=manager)
        meeting.themes.set(themes or meeting_themes(case).order_by("name")[:3])
    return meeting


def _frozen_sheet(case, manager, status, signers, signed_on):
    """A sheet whose version 1 was sent for signature and signed by ``signers`` (partner -> user)."""
    sheet = DecisionSheet.objects.create(case=case, status=status)
    version = DecisionSheetVersion.objects.create(sheet=sheet, number=1, created_by=manager,
                                                  frozen_at=timezone.now(), **{f: SHEET[f] for f in SECTION_FIELDS})
    sheet.current = version
    at = timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time(11)))
    for partner, person in signers.items():
        Signature.objects.create(sheet=sheet, version=version, partner=partner, signer=person, outcome="agree",
                                 signed_at=at)
    if len(signers) == 3:
        sheet.signed_at = at
    sheet.save()
    return sheet


def _publish(cspr, manager, today) -> None:
    """Take the older demo review through its report and publication, as the business unit would."""
    services.cspr_report_sent(cspr=cspr, actor=manager, sent_on=today - datetime.timedelta(days=45))
    services.cspr_publish(cspr=cspr, actor=manager, published_on=today - datetime.timedelta(days=30),
                          pseudonym="Child M", published_url="https://example.org/reviews/child-m")
    services.cspr_record_workshop(cspr=cspr, actor=manager, held_on=today - datetime.timedelta(days=25),
                                  notes="Ninety practitioners attended; the seven-minute briefing was shared.")


# Tower Hamlets' Lead Safeguarding Partners (Working Together 2023), each with its executive as delegate.
LEADS = {LA: ("Morwenna Tallis", "Chief Executive", "Tower Hamlets Council", "exec.la"),
         HEALTH: ("Desmond Achterberg", "Chief Executive", "NHS North East London Integrated Care Board",
                  "exec.health"),
         POLICE: ("Gareth Pellow", "Commissioner", "the Metropolitan Police Service", "exec.police")}


def _roles(partnership, users) -> None:
    """The lead partners and their delegates, and the chair and scrutineer who are told of decisions."""
    for partner, (name, title, organisation, delegate) in LEADS.items():
        lead, created = LeadSafeguardingPartner.objects.get_or_create(
            partnership=partnership, partner=partner,
            defaults={"name": name, "title": title, "organisation": organisation})
        if created:
            lead.delegates.add(users[delegate])
    Partnership.objects.filter(pk=partnership.pk, chair_email="").update(
        chair_name="Dr Alex Morgan (independent chair)", chair_email="chair@thscp.example.org",
        scrutineer_name="Jo Bennett (independent scrutineer)", scrutineer_email="scrutiny@thscp.example.org",
        education_participation_note="Schools and the Education Safeguarding Service sit on every rapid review "
                                     "panel where the child attended an education setting.")


def _oversee(cspr, manager, today) -> None:
    """Regulation 14 checks, a written request to the reviewer and the family's contact, through the services."""
    checkpoint_clock_start(cspr, after=cspr.started_on)
    if cspr.started_on > today:
        return
    services.cspr_checkpoint_record(cspr=cspr, actor=manager, checked_on=today, on_time=True,
                                    quality_adequate=False,
                                    notes="The chronology stops before the second call-out; the partners asked the "
                                          "reviewer for it.")
    services.cspr_request_information(
        cspr=cspr, actor=manager, kind="information",
        detail="The chronology of police call-outs from January, to complete the analysis.",
        addressed_to="Dr Ada Lovelace", addressed_to_email="ada.lovelace@reviewers.example.org",
        due_on=add_working_days(today, 10, partnership=cspr.case.partnership))
    services.family_contact_save(cspr=cspr, actor=manager, relationship="Mother", contacted_on=cspr.started_on,
                                 consent="given", advocate_offered=True,
                                 notes="Met with an independent interpreter and an advocate from a local charity.")


def load(context: dict) -> None:
    """Tower Hamlets' decisions (``context["partnership"]``): every demo case here is one it leads."""
    cases = context.get("cases") or {}
    users = context["users"]
    partnership = context["partnership"]

    def workdays(start: datetime.date, n: int) -> datetime.date:
        return add_working_days(start, n, partnership=partnership)

    manager, chair = users["manager"], users["chair"]
    executives = {LA: users["exec.la"], HEALTH: users["exec.health"], POLICE: users["exec.police"]}
    today = timezone.localdate()
    _roles(partnership, users)

    case = cases.get("out_for_signature")
    if case is not None and case.stage == Stage.DECISION and not DecisionSheet.objects.filter(case=case).exists():
        _meeting(case, manager)
        sheet = services.sheet_start(case=case, actor=manager)
        services.sheet_edit(sheet=sheet, actor=manager, content=SHEET)
        services.sheet_send(sheet=sheet, actor=manager)
        services.signature_record(sheet=sheet, signer=executives[LA], partner=LA, outcome="agree")

    case = cases.get("disputed")
    if case is not None and case.stage == Stage.DECISION and not DecisionSheet.objects.filter(case=case).exists():
        _meeting(case, manager)
        sheet = services.sheet_start(case=case, actor=manager)
        services.sheet_edit(sheet=sheet, actor=manager,
                            content={**SHEET, "recommendation": "multi_agency",
                                     "rationale": "A multi-agency learning review is proportionate."})
        services.sheet_send(sheet=sheet, actor=manager)
        services.signature_record(sheet=sheet, signer=executives[LA], partner=LA, outcome="agree")
        services.signature_record(sheet=sheet, signer=executives[POLICE], partner=POLICE, outcome="dispute",
                                  reasons="The criteria for a practice review are met; a learning review is not "
                                          "enough given the missed domestic abuse information.")
        dispute = sheet.disputes.get()
        services.dispute_escalate(dispute=dispute, actor=chair,
                                  reason="The panel and the police could not agree on the level of review.")

    for key in ("sent_to_national_panel", "cspr_in_progress", "cspr_published"):
        case = cases.get(key)
        if case is None or DecisionSheet.objects.filter(case=case).exists() or case.sin_notified_on is None:
            continue
        _meeting(case, manager)
        sent_on = min(workdays(case.sin_notified_on, 14), today)
        _frozen_sheet(case, manager, SheetStatus.SENT, executives, workdays(sent_on, -1))
        submission = NationalPanelSubmission.objects.create(
            case=case, sent_on=sent_on, working_day=14, sent_by=manager, sent_for=executives[LA])
        clock_meet(subject=case, kind=ClockKind.NATIONAL_PANEL,
                   met_at=datetime.datetime.combine(sent_on, datetime.time(12), tzinfo=LONDON))
        if key == "sent_to_national_panel":
            continue
        submission.response_on = workdays(sent_on, 5)
        submission.response = "agree"
        submission.response_text = "The National Panel agrees that a local practice review should be held and " \
                                    "asks that it looks at the use of interpreters."
        submission.response_recorded_by = manager
        submission.reg3_a_view, submission.reg3_a_comment = "agrees", "Interpreting is a national concern."
        submission.reg3_b_view, submission.reg3_c_view = "not_stated", "agrees"
        submission.save()
        started = workdays(sent_on, 2)
        cspr = Cspr.objects.create(
            case=case, methodology="learning_together", commissioned_by=manager, started_on=started,
            methodology_detail="Systems review with practitioner learning events.",
            reviewers="Dr Ada Lovelace (independent reviewer)",
            terms_of_reference="How agencies shared information about domestic abuse, and how the family's "
                               "language and immigration status shaped the help they received.")
        clock = clock_start(kind=ClockKind.CSPR_REPORT, subject=cspr, start=started, case_id=case.pk,
                            partnership=partnership, label="Practice review final report")
        cspr.final_report_due_on = clock.due_on
        cspr.planned_publication_on = clock.due_on + datetime.timedelta(days=60)
        pre_start = today
        if key == "cspr_published":
            cspr.planned_publication_on = today - datetime.timedelta(days=30)
            pre_start = workdays(cspr.planned_publication_on, -30)
        cspr.save()
        clock_start(kind=ClockKind.PRE_PUBLICATION, subject=cspr, start=pre_start, case_id=case.pk,
                    partnership=partnership, due=workdays(cspr.planned_publication_on, -7),
                    label="Report to the National Panel and the Secretary of State")
        for i, agency in enumerate(involved_agencies(case)):
            CsprParticipation.objects.create(cspr=cspr, agency=agency, status=[
                ParticipationStatus.CONTRIBUTED, ParticipationStatus.TAKING_PART,
                ParticipationStatus.NOT_RESPONDING][i % 3])
        event_on = workdays(started, 20)
        CsprMilestone.objects.create(cspr=cspr, kind=MilestoneKind.PRACTITIONER_EVENT, planned_on=event_on,
                                     completed_on=event_on if event_on <= today else None,
                                     attendees=22 if event_on <= today else None,
                                     notes="Practitioners from seven agencies.")
        CsprMilestone.objects.create(cspr=cspr, kind=MilestoneKind.DRAFT_REPORT, planned_on=workdays(today, 15))
        CsprMilestone.objects.create(cspr=cspr, kind=MilestoneKind.FINAL_REPORT, planned_on=clock.due_on)
        ParallelProcess.objects.create(cspr=cspr, kind="criminal", description="Prosecution of the father",
                                       status="ongoing", may_delay_publication=True)
        ParallelProcess.objects.create(cspr=cspr, kind="iopc", description="Referral about the second call-out",
                                       status="concluded", may_delay_publication=False)
        _oversee(cspr, manager, today)
        if key == "cspr_published":
            _publish(cspr, manager, today)
