from django.urls import path

from . import views

app_name = "panels"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("members/", views.members, name="members"),
    path("members/add/", views.member_add, name="member_add"),
    path("members/<uuid:assignment_id>/", views.member_edit, name="member_edit"),
    path("members/<uuid:assignment_id>/end/", views.member_end, name="member_end"),
    path("case/<uuid:case_id>/", views.panel_detail, name="panel"),
    path("case/<uuid:case_id>/set-up/", views.panel_set_up, name="set_up"),
    path("case/<uuid:case_id>/schedule/", views.panel_schedule, name="schedule"),
    path("case/<uuid:case_id>/cancel/", views.panel_cancel, name="cancel"),
    path("case/<uuid:case_id>/invitations/", views.panel_send_invitations, name="send_invitations"),
    path("case/<uuid:case_id>/agenda/", views.panel_agenda, name="agenda"),
    path("case/<uuid:case_id>/agenda/send/", views.panel_agenda_send, name="agenda_send"),
    path("case/<uuid:case_id>/attendance/", views.panel_attendance, name="attendance"),
    path("case/<uuid:case_id>/held/", views.panel_held, name="held"),
    path("case/<uuid:case_id>/conflict/", views.conflict_declare, name="conflict_declare_case"),
    path("case/<uuid:case_id>/conflict/record/", views.conflict_record, name="conflict_record"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/declare/", views.conflict_declare, name="conflict_declare"),
    path("conflicts/<uuid:conflict_id>/", views.conflict_handle, name="conflict_handle"),
    path("conflicts/<uuid:conflict_id>/substitute/", views.conflict_substitute, name="conflict_substitute"),
    path("liaison/", views.liaison_record, name="liaison"),
]
