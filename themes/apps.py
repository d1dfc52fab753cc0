from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Themes, learning and statistics"
    demo_order = 20  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.accounts.signals import partnership_created
        from rapidreview.clocks.ladders import register_reminder_owners
        from rapidreview.registry import register_card, register_case_section, register_nav

        from . import cards, receivers, selectors

        register_reminder_owners(self.get_model("LearningItem"), selectors.learning_reminder_owners)
        partnership_created.connect(receivers.give_standard_themes, dispatch_uid="themes-standard-list")

        register_nav("Themes", "themes:list", roles=(Role.BUSINESS_UNIT, Role.RR_CHAIR), order=65)
        register_nav("Learning", "themes:learning", roles=(Role.BUSINESS_UNIT,), order=70)
        register_nav("Statistics", "themes:statistics", roles=(Role.BUSINESS_UNIT, Role.RR_CHAIR, Role.EXECUTIVE),
                     order=75)
        register_nav("Benchmarking", "themes:benchmarking", roles=(Role.BUSINESS_UNIT, Role.EXECUTIVE), order=76)
        register_card("themes/cards/learning.html", cards.learning_card, roles=(Role.BUSINESS_UNIT,), order=70)
        register_case_section("themes/case_section.html", cards.case_section, order=70)
        self.watch_report_data()

    @staticmethod
    def watch_report_data():
        """The reports are cached until what they count changes (rapidreview/datacache.py)."""
        from django.apps import apps

        from rapidreview.accounts.models import Agency, Partnership
        from rapidreview.datacache import watch
        from referrals.models import Case

        from .benchmarking import BENCHMARKS
        from .models import CaseTheme, Theme
        from .selectors import REPORT
        from .statistics import READS, STATISTICS

        watch(REPORT, CaseTheme, Theme, Agency, Case.involved_agencies.through)
        # The statistics watch what they read; the figures other stages register name theirs (ADR 0035).
        watch(STATISTICS, *READS)
        watch(BENCHMARKS, *(model for model in apps.get_models(include_auto_created=True)
                            if model._meta.app_label in {"referrals", "themes", "clocks"}), Partnership)
