"""The decision sheet as a document for the National Panel: the version's words with the facts of the case.

The sections follow the National Panel's rapid review template as far as it could be confirmed
(``docs/national-templates.md`` lists the headings; a test holds the PDF to that list). Facts already on the case
- dates, the child, the household, agencies, parallel processes on the referral, attendance, the vote and the
signatures - are read here, never typed into the sheet again.
"""

from dataclasses import dataclass

from panels.models import Attendance
from panels.selectors import invitations_for, panel_for_case
from rapidreview.accounts.models import StatutoryPartner
from rapidreview.accounts.selectors import delegate_capacities
from rapidreview.pdf import Marking, render_pdf
from referrals.models import Referral, SinNotification

from .models import DecisionSheet, DecisionSheetVersion, Recommendation, SignatureOutcome
from .selectors import joint_review, meeting_for, tally
from .services.national_panel import national_panel_deadline
from .services.sheets import PARTNERS


@dataclass(frozen=True)
class VersionStatus:
    """Where one version stands: ``short`` goes in every page's header, ``detail`` under the title."""

    short: str
    detail: str


def _partner_names(partners) -> str:
    names = [StatutoryPartner(p).label.lower() for p in partners]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def version_status(sheet: DecisionSheet, version: DecisionSheetVersion, signatures) -> VersionStatus:
    """Draft, awaiting signature (naming who has not signed), signed, disputed, or withdrawn, for this version
    only: a later version's signatures never count for an earlier one."""
    if version.frozen_at is None:
        return VersionStatus("DRAFT", "Draft: not sent for signature. Nobody has signed this version.")
    disputed = [s for s in signatures if s.outcome == SignatureOutcome.DISPUTE]
    if disputed:
        return VersionStatus("DISPUTED", f"Disputed by {_partner_names([s.partner for s in disputed])}. "
                                         "This version is not the partnership's decision.")
    agreed = {s.partner for s in signatures if s.outcome == SignatureOutcome.AGREE}
    if agreed.issuperset(PARTNERS):
        return VersionStatus("SIGNED", "Signed by all three safeguarding partners.")
    missing = [p for p in PARTNERS if p not in agreed]
    if sheet.current_id != version.pk:
        return VersionStatus("WITHDRAWN", f"Withdrawn from signature and replaced by a later version before "
                                          f"{_partner_names(missing)} signed. This version is not the decision.")
    return VersionStatus("AWAITING SIGNATURE", f"Awaiting signature from {_partner_names(missing)}.")


def _age(referral: Referral | None, case) -> str:
    if case.child_dob and case.incident_date:
        on, dob = case.incident_date, case.child_dob
        years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
        if years < 1:
            months = (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)
            return f"{months} month{'s' if months != 1 else ''} at the incident"
        return f"{years} year{'s' if years != 1 else ''} at the incident"
    return referral.child_age if referral and referral.child_age else "Not known"


def _parallel_from_referral(referral: Referral | None) -> list[tuple[str, str]]:
    if referral is None:
        return []
    rows = [("Police investigation", referral.get_police_investigation_display() or "Not recorded"),
            ("Coroner's inquest", referral.get_inquest_display() or "Not recorded")]
    if referral.other_reviews:
        rows.append(("Other reviews named on the referral", referral.other_reviews))
    return rows


def _attendance(case) -> list[dict]:
    panel = panel_for_case(case)
    if panel is None:
        return []
    rows = []
    for invitation in invitations_for(panel).order_by("-is_chair", "user__full_name"):
        attended = invitation.get_attendance_display() if invitation.attendance else "Not recorded"
        if invitation.attendance == Attendance.SUBSTITUTE and invitation.substitute_name:
            attended = f"Represented by {invitation.substitute_name}"
        role = "Chair" if invitation.is_chair else ("Voting member" if invitation.voting else "Member")
        if invitation.conflicted:
            role, attended = f"{role}; declared a conflict of interest", "Took no part"
        rows.append({"name": invitation.user.full_name, "seat": invitation.seat or (invitation.agency or ""),
                     "role": role, "attendance": attended})
    return rows


def sheet_document(sheet: DecisionSheet, version: DecisionSheetVersion) -> dict:
    """Everything the decision sheet PDF shows for ``version``."""
    case = sheet.case
    referral = Referral.objects.filter(case=case).prefetch_related("household").first()
    sin = SinNotification.objects.filter(case=case).first()
    meeting = meeting_for(case)
    panel = panel_for_case(case)
    submission = getattr(case, "national_panel_submission", None)
    signatures = list(version.signatures.select_related("signer").order_by("signed_at"))
    by_partner = {s.partner: s for s in signatures}
    deadline = national_panel_deadline(case)
    capacities = delegate_capacities(case.partnership)
    meeting_date = (meeting.meeting_date if meeting and meeting.meeting_date else
                    panel.meeting_date if panel else None)
    return {
        "sheet": sheet, "case": case, "version": version, "referral": referral, "sin": sin,
        # Sign-off stays with the leading partnership; a joint review names each partnership taking part too.
        "lead": case.partnership, "joint": joint_review(case),
        "status": version_status(sheet, version, signatures),
        "key_dates": [
            ("Incident", case.incident_date),
            ("Local authority became aware", case.la_aware_on),
            ("Serious Incident Notification", sin.notified_on if sin else case.sin_notified_on),
            ("Rapid review panel meeting", meeting_date),
        ],
        "submission": submission, "deadline": deadline,
        "child": {
            "age": _age(referral, case),
            "harm": case.get_harm_display() or "Not recorded",
            "sex": referral.get_child_sex_display() if referral and referral.child_sex else "Not recorded",
            "ethnicity": referral.child_ethnicity if referral and referral.child_ethnicity else "Not recorded",
            "disability": referral.child_disability if referral and referral.child_disability else "None recorded",
            "looked_after": referral.get_looked_after_display() if referral and referral.looked_after
            else "Not recorded",
            "child_protection_plan": referral.get_child_protection_plan_display()
            if referral and referral.child_protection_plan else "Not recorded",
            "child_in_need": version.get_child_in_need_display() or "Not answered",
        },
        "household": list(referral.household.all()) if referral else [],
        "agencies": sorted(a.name for a in case.involved_agencies.all()),
        "themes": sorted(t.name for t in meeting.themes.all()) if meeting else [],
        "regulation_11": version.regulation_11(),
        "regulation_3": version.regulation_3(),
        "national_panel_views": submission.criteria_views() if submission and submission.response_on else [],
        "is_cspr": version.recommendation == Recommendation.CSPR,
        "parallel": _parallel_from_referral(referral),
        "attendance": _attendance(case),
        "tally": tally(meeting) if meeting else [],
        "vote_closed_at": meeting.vote_closed_at if meeting else None,
        "signoff": [{"partner": StatutoryPartner(p).label, "signature": by_partner.get(p),
                     "capacity": capacities.get((p, by_partner[p].signer_id), "") if p in by_partner else ""}
                    for p in PARTNERS],
    }


def render_sheet_pdf(sheet: DecisionSheet, version: DecisionSheetVersion, *, base_url: str | None = None) -> bytes:
    """The decision sheet PDF for one version, with that version's status and only its own signatures."""
    context = sheet_document(sheet, version)
    status = context["status"]
    reference = sheet.case.reference
    return render_pdf("decisions/sheet_pdf.html", context, partnership=sheet.case.partnership,
                      title=f"Rapid review decision sheet, case {reference}, version {version.number}",
                      marking=Marking.OFFICIAL_SENSITIVE, status=status.short,
                      footer=f"Decision sheet, case {reference}, version {version.number}",
                      base_url=base_url)


def sheet_pdf_filename(sheet: DecisionSheet, version: DecisionSheetVersion) -> str:
    return f"rapid-review-decision-sheet-{sheet.case.reference}-v{version.number}.pdf"
