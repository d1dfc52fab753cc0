from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Rapid review panels"
    demo_order = 40  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from rapidreview.accounts.models import Role
        from rapidreview.registry import (
            register_card,
            register_case_records,
            register_case_section,
            register_case_tasks,
            register_nav,
        )
        from referrals.selectors import register_case_exclusion, register_case_grant

        from . import registry, selectors

        register_case_grant(selectors.panel_member_case_grant)
        register_case_exclusion(selectors.conflict_case_exclusion)
        register_nav("Panels", "panels:calendar", (Role.BUSINESS_UNIT, Role.RR_CHAIR), order=30)
        register_card("panels/cards/business_unit.html", registry.business_unit_card, (Role.BUSINESS_UNIT,),
                      order=30)
        register_card("panels/cards/member.html", registry.member_card, (Role.PANEL_MEMBER,), order=35)
        register_case_section("panels/includes/case_section.html", registry.case_section, order=30)
        register_case_tasks(registry.case_tasks, order=30)
        register_case_records("panel")
