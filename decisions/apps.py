from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    demo_order = 60  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.clocks.ladders import register_reminder_owners
        from rapidreview.registry import (
            register_card,
            register_case_records,
            register_case_section,
            register_case_tasks,
            register_nav,
        )
        from referrals.models import Case
        from themes.statistics import register_figure

        from . import registrations, selectors
        from .models import Cspr, NationalPanelSubmission

        register_reminder_owners(self.get_model("Cspr"), selectors.cspr_reminder_owners)
        register_reminder_owners(self.get_model("CsprInformationRequest"), selectors.reviewer_request_reminder_owners)

        register_nav("Decisions", "decisions:index", (Role.EXECUTIVE, Role.BUSINESS_UNIT, Role.RR_CHAIR), order=60)
        register_card("decisions/card_awaiting.html", registrations.awaiting_card, (Role.EXECUTIVE,), order=20)
        register_card("decisions/card_escalations.html", registrations.escalations_card,
                      (Role.EXECUTIVE, Role.RR_CHAIR), order=21)
        register_card("decisions/card_chair_disputes.html", registrations.chair_disputes_card, (Role.RR_CHAIR,),
                      order=19)
        register_card("decisions/card_business_unit.html", registrations.business_unit_card, (Role.BUSINESS_UNIT,),
                      order=40)
        register_case_section("decisions/case_section.html", registrations.case_section, order=60)
        register_case_tasks(registrations.case_tasks, order=60)
        register_case_records("meeting_record", "decision_sheet", "decision_sheet__current",
                              "national_panel_submission", "national_panel_submission__sent_for", "cspr",
                              "alternative_learning")
        register_figure("national_panel_agreed", registrations.national_panel_agreed_figure,
                        reads=(NationalPanelSubmission, Case))
        register_figure("cspr_published", registrations.cspr_published_figure, reads=(Cspr, Case))
