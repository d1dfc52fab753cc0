from django.urls import path

from .views import attendance, calendar, conflicts, invitation, membership, panel

app_name = "panels"

urlpatterns = [
    path("", calendar.calendar, name="calendar"),
    path("members/", membership.members, name="members"),
    path("members/add/", membership.member_add, name="member_add"),
    path("members/<uuid:assignment_id>/", membership.member_edit, name="member_edit"),
    path("members/<uuid:assignment_id>/end/", membership.member_end, name="member_end"),
    path("case/<uuid:case_id>/", panel.panel_detail, name="panel"),
    path("case/<uuid:case_id>/set-up/", panel.panel_set_up, name="set_up"),
    path("case/<uuid:case_id>/schedule/", panel.panel_schedule, name="schedule"),
    path("case/<uuid:case_id>/cancel/", panel.panel_cancel, name="cancel"),
    path("case/<uuid:case_id>/invitations/", panel.panel_send_invitations, name="send_invitations"),
    path("case/<uuid:case_id>/reply/", invitation.invitation_reply, name="reply"),
    path("case/<uuid:case_id>/calendar.ics", invitation.invitation_calendar, name="calendar_ics"),
    path("case/<uuid:case_id>/agenda/", panel.panel_agenda, name="agenda"),
    path("case/<uuid:case_id>/agenda/send/", panel.panel_agenda_send, name="agenda_send"),
    path("case/<uuid:case_id>/attendance/", attendance.panel_attendance, name="attendance"),
    path("case/<uuid:case_id>/held/", attendance.panel_held, name="held"),
    path("case/<uuid:case_id>/conflict/", conflicts.conflict_declare, name="conflict_declare_case"),
    path("case/<uuid:case_id>/conflict/record/", conflicts.conflict_record, name="conflict_record"),
    path("conflicts/", conflicts.conflicts, name="conflicts"),
    path("conflicts/declare/", conflicts.conflict_declare, name="conflict_declare"),
    path("conflicts/<uuid:conflict_id>/", conflicts.conflict_handle, name="conflict_handle"),
    path("conflicts/<uuid:conflict_id>/substitute/", conflicts.conflict_substitute, name="conflict_substitute"),
    path("liaison/", calendar.liaison_record, name="liaison"),
]
