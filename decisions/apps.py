from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_case_section, register_case_tasks, register_nav

        from . import registrations

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
        try:
            from themes.statistics import register_figure
        except ImportError:
            return
        register_figure("national_panel_agreed", registrations.national_panel_agreed_figure)
        register_figure("cspr_published", registrations.cspr_published_figure)
