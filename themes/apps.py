from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes, learning and statistics"

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import register_card, register_case_section, register_nav

        from . import cards

        register_nav("Themes", "themes:list", roles=(Role.BUSINESS_UNIT, Role.RR_CHAIR), order=65)
        register_nav("Learning", "themes:learning", roles=(Role.BUSINESS_UNIT,), order=70)
        register_nav("Statistics", "themes:statistics", roles=(Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE),
                     order=75)
        register_card("themes/cards/learning.html", cards.learning_card, roles=(Role.BUSINESS_UNIT,), order=70)
        register_case_section("themes/case_section.html", cards.case_section, order=70)
