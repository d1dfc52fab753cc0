from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    demo_order = 10  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.clocks.ladders import register_reminder_owners
        from rapidreview.registry import register_card, register_case_lookup, register_nav

        from . import cards, selectors

        register_case_lookup(selectors.get_visible_case)
        register_reminder_owners(self.get_model("Case"), selectors.case_reminder_owners,
                                 many=selectors.cases_reminder_owners)
        register_reminder_owners(self.get_model("AssuranceRequest"), selectors.assurance_reminder_owners)
        register_reminder_owners(self.get_model("CdopDiscussion"), selectors.cdop_reminder_owners)

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
