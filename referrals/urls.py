from django.urls import path

from .views import assurance, cases, cdop, children, intake, participation, public, steps

app_name = "referrals"

urlpatterns = [
    path("refer/", public.public_start, name="public_start"),
    # The addresses from before partnerships: one partnership, or the referral in progress (views/public.py).
    path("refer/form/", public.public_referral, name="public_referral"),
    path("refer/check/", public.public_check, name="public_check"),
    path("refer/done/", public.public_done, name="public_done"),
    path("refer/<slug:slug>/", public.public_partnership, name="public_partnership"),
    path("refer/<slug:slug>/form/", public.public_referral, name="public_referral"),
    path("refer/<slug:slug>/check/", public.public_check, name="public_check"),
    path("refer/<slug:slug>/done/", public.public_done, name="public_done"),
    path("referrals/new/", intake.referral_start, name="referral_start"),
    path("referrals/new/check/", intake.referral_check, name="referral_check"),
    path("referrals/new/sent/", intake.referral_done, name="referral_done"),
    path("referrals/new/<slug:step>/", intake.referral_step, name="referral_step"),
    path("referrals/cdop/", cdop.cdop_list, name="cdop_list"),
    path("referrals/cdop/new/", cdop.cdop_new, name="cdop_new"),
    path("referrals/cdop/<uuid:discussion_id>/", cdop.cdop_discussion, name="cdop_discussion"),
    path("assurance/<uuid:request_id>/", assurance.assurance_reply, name="assurance_reply"),
    path("cases/", cases.case_list_view, name="case_list"),
    path("cases/<uuid:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/summary/", cases.case_summary, name="case_summary"),
    path("cases/<uuid:case_id>/threshold/send/", steps.send_threshold, name="send_threshold"),
    path("cases/<uuid:case_id>/threshold/", steps.threshold_record, name="threshold_record"),
    path("cases/<uuid:case_id>/sin/", steps.sin_record, name="sin_record"),
    path("cases/<uuid:case_id>/sin/notification/", steps.sin_sheet_view, name="sin_sheet"),
    path("cases/<uuid:case_id>/letter/", steps.letter_edit, name="letter_edit"),
    path("cases/<uuid:case_id>/letter/pdf/", steps.letter_pdf, name="letter_pdf"),
    path("cases/<uuid:case_id>/letter/send/", steps.letter_send_view, name="letter_send"),
    path("cases/<uuid:case_id>/assurance/", steps.assurance_new, name="assurance_new"),
    path("cases/<uuid:case_id>/assurance/<uuid:request_id>/", steps.assurance_answer, name="assurance_answer"),
    path("cases/<uuid:case_id>/close/", steps.case_close, name="case_close"),
    path("cases/<uuid:case_id>/children/add/", children.child_add, name="child_add"),
    path("cases/<uuid:case_id>/children/<uuid:child_id>/", children.child_edit, name="child_edit"),
    path("cases/<uuid:case_id>/children/<uuid:child_id>/remove/", children.child_remove, name="child_remove"),
    path("cases/<uuid:case_id>/lead/propose/", participation.propose_lead, name="propose_lead"),
    path("cases/<uuid:case_id>/lead/answer/", participation.answer_lead, name="answer_lead"),
    path("cases/<uuid:case_id>/partnerships/invite/", participation.invite_partnership, name="invite_partnership"),
    path("cases/<uuid:case_id>/partnerships/<int:taking_part_id>/end/", participation.end_participation,
         name="end_participation"),
]
