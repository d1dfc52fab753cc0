from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = "Statutory review action plan"
    demo_order = 30  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.clocks.ladders import register_reminder_owners
        from rapidreview.registry import register_card, register_case_section, register_nav

        from . import cards, selectors

        register_reminder_owners(self.get_model("Action"), selectors.action_reminder_owners,
                                 many=selectors.actions_reminder_owners)

        register_nav("Action plan", "actionplan:list",
                     roles=(Role.WORKING_GROUP, Role.BUSINESS_UNIT, Role.AGENCY_LEAD), order=60)
        register_card("actionplan/cards/overdue.html", cards.overdue_card, roles=(Role.WORKING_GROUP,), order=40)
        register_card("actionplan/cards/due.html", cards.due_card, roles=(Role.AGENCY_LEAD,), order=45)
        register_case_section("actionplan/case_section.html", cards.case_section, order=80)
