from django.urls import path

from .views import executive, meeting, outcome, sheets

app_name = "decisions"

urlpatterns = [
    path("", executive.index, name="index"),
    path("awaiting-signature/", executive.awaiting, name="awaiting"),
    # Meeting record and vote
    path("case/<uuid:case_id>/meeting/", meeting.meeting_detail, name="meeting"),
    path("case/<uuid:case_id>/meeting/edit/", meeting.meeting_edit, name="meeting_edit"),
    path("case/<uuid:case_id>/meeting/actions/new/", meeting.immediate_action_new, name="immediate_action_new"),
    path("case/<uuid:case_id>/vote/", meeting.vote, name="vote"),
    path("case/<uuid:case_id>/vote/close/", meeting.vote_close_view, name="vote_close"),
    # Decision sheet
    path("case/<uuid:case_id>/sheet/", sheets.sheet_detail, name="sheet"),
    path("case/<uuid:case_id>/sheet/start/", sheets.sheet_start_view, name="sheet_start"),
    path("case/<uuid:case_id>/sheet/edit/", sheets.sheet_edit_view, name="sheet_edit"),
    path("case/<uuid:case_id>/sheet/send/", sheets.sheet_send_view, name="sheet_send"),
    path("case/<uuid:case_id>/sheet/withdraw/", sheets.sheet_withdraw_view, name="sheet_withdraw"),
    path("case/<uuid:case_id>/sheet/revise/", sheets.sheet_revise_view, name="sheet_revise"),
    path("case/<uuid:case_id>/sheet/sign/", sheets.sheet_sign, name="sheet_sign"),
    path("case/<uuid:case_id>/sheet/pdf/", sheets.sheet_pdf, name="sheet_pdf"),
    path("case/<uuid:case_id>/sheet/versions/<int:number>/", sheets.sheet_version, name="sheet_version"),
    path("case/<uuid:case_id>/sheet/versions/<int:number>/pdf/", sheets.sheet_pdf, name="sheet_version_pdf"),
    path("disputes/<uuid:dispute_id>/meeting/", sheets.dispute_meeting, name="dispute_meeting"),
    path("disputes/<uuid:dispute_id>/escalate/", sheets.dispute_escalate_view, name="dispute_escalate"),
    path("disputes/<uuid:dispute_id>/resolve/", sheets.dispute_resolve_view, name="dispute_resolve"),
    # National Panel and outcome
    path("case/<uuid:case_id>/national-panel/send/", outcome.national_panel_send_view, name="national_panel_send"),
    path("case/<uuid:case_id>/national-panel/correct/", outcome.national_panel_correct_view,
         name="national_panel_correct"),
    path("case/<uuid:case_id>/national-panel/response/", outcome.national_panel_response_view,
         name="national_panel_response"),
    path("case/<uuid:case_id>/no-review/", outcome.no_cspr_view, name="no_cspr"),
    path("case/<uuid:case_id>/review/commission/", outcome.cspr_commission_view, name="cspr_commission"),
    path("case/<uuid:case_id>/review/", outcome.cspr_detail, name="cspr"),
    path("case/<uuid:case_id>/review/edit/", outcome.cspr_edit, name="cspr_edit"),
    path("case/<uuid:case_id>/review/milestones/new/", outcome.milestone_new, name="milestone_new"),
    path("case/<uuid:case_id>/review/milestones/<uuid:milestone_id>/", outcome.milestone_edit,
         name="milestone_edit"),
    path("case/<uuid:case_id>/review/participation/<uuid:participation_id>/", outcome.participation_edit,
         name="participation_edit"),
    path("case/<uuid:case_id>/review/processes/new/", outcome.process_edit, name="process_new"),
    path("case/<uuid:case_id>/review/processes/<uuid:process_id>/", outcome.process_edit, name="process_edit"),
    path("case/<uuid:case_id>/review/report-sent/", outcome.report_sent, name="cspr_report_sent"),
    path("case/<uuid:case_id>/review/publish/", outcome.publish, name="cspr_publish"),
    path("case/<uuid:case_id>/review/publish/correct/", outcome.publication_correct, name="cspr_publication_correct"),
    path("case/<uuid:case_id>/review/workshop/", outcome.workshop, name="cspr_workshop"),
    path("case/<uuid:case_id>/review/implementation-review/", outcome.implementation_review,
         name="cspr_implementation_review"),
]
