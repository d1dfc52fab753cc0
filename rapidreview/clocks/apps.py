from django.apps import AppConfig


class ClocksConfig(AppConfig):
    name = "rapidreview.clocks"
    label = "clocks"
    verbose_name = "Statutory clocks and reminders"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_case_section, register_nav

        from . import cards

        register_nav("Deadlines", "clocks:mine", roles=(), order=80)
        register_card("clocks/card_overdue.html", cards.overdue_card, roles=(Role.BUSINESS_UNIT, Role.RR_CHAIR),
                      order=15)
        register_card("clocks/card_mine.html", cards.my_deadlines_card, roles=(), order=20)
        register_case_section("clocks/case_clocks.html", cards.case_section, order=20)
