from django.apps import AppConfig


class AgencyChecksConfig(AppConfig):
    name = "agencychecks"
    verbose_name = "Agency check forms"
    demo_order = 50  # load_demo runs this app's demo.load(context) in ascending demo_order

    def ready(self):
        from django.db.models.signals import post_delete

        from panels.signals import substitute_seated
        from rapidreview.accounts.models import Role
        from rapidreview.clocks.ladders import register_reminder_owners
        from rapidreview.registry import (
            register_card,
            register_case_records,
            register_case_section,
            register_case_tasks,
            register_nav,
        )

        from . import dashboard, document, selectors, services

        register_reminder_owners(self.get_model("AgencyCheckForm"), selectors.form_reminder_owners,
                                 many=selectors.forms_reminder_owners)

        register_nav("Agency checks", "agencychecks:index", roles=(Role.AGENCY_LEAD, Role.BUSINESS_UNIT), order=40)
        register_card("agencychecks/cards/forms_due.html", dashboard.forms_due_card, roles=(Role.AGENCY_LEAD,),
                      order=20)
        register_card("agencychecks/cards/awaiting_qa.html", dashboard.awaiting_qa_card,
                      roles=(Role.BUSINESS_UNIT,), order=30)
        register_case_section("agencychecks/case_section.html", dashboard.case_section, order=40)
        register_case_tasks(dashboard.case_tasks, order=40)
        register_case_records("agency_pack")
        substitute_seated.connect(services.pack_send_to_seated_substitute, dispatch_uid="agencychecks-pack-substitute")
        post_delete.connect(document.pack_file_delete, sender=self.get_model("PackRender"),
                            dispatch_uid="agencychecks-pack-file-delete")
