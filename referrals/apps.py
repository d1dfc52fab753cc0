from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_nav

        from . import cards

        register_nav("Cases", "referrals:case_list",
                     (Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.THRESHOLD, Role.EXECUTIVE), order=10)
        register_nav("Make a referral", "referrals:referral_start", (Role.AGENCY_LEAD, Role.BUSINESS_UNIT), order=20)
        register_card("referrals/cards/cases_by_stage.html", cards.cases_by_stage, (Role.BUSINESS_UNIT, Role.RR_CHAIR),
                      order=1)
        register_card("referrals/cards/awaiting_threshold.html", cards.awaiting_threshold, (Role.BUSINESS_UNIT,),
                      order=10)
        register_card("referrals/cards/sin_due.html", cards.sin_due, (Role.BUSINESS_UNIT, Role.RR_CHAIR), order=11)
        register_card("referrals/cards/cdop_waiting.html", cards.cdop_waiting, (Role.BUSINESS_UNIT,), order=9)
        register_card("referrals/cards/assurance_to_answer.html", cards.assurance_to_answer, (Role.AGENCY_LEAD,),
                      order=5)
        register_card("referrals/cards/threshold_discussion.html", cards.threshold_discussion, (Role.THRESHOLD,),
                      order=12)
