# Issue 18: "never two panels on the same day" holds within a partnership. The panel keeps its case's leading
# partnership so that the unique constraint can name it.

import django.db.models.deletion
from django.db import migrations, models


def copy_from_case(apps, schema_editor):
    Panel = apps.get_model("panels", "Panel")
    Case = apps.get_model("referrals", "Case")
    panels = Panel.objects.filter(partnership__isnull=True)
    panels.update(partnership_id=models.Subquery(
        Case.objects.filter(pk=models.OuterRef("case_id")).values("partnership_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_partnership_slugs_and_roles"),
        ("panels", "0005_partnership_required"),
        ("referrals", "0005_partnership_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpanel",
            name="partnership",
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False,
                                    help_text="The case's leading partnership, whose one-panel-a-day rule applies.",
                                    null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                    to="accounts.partnership"),
        ),
        migrations.AddField(
            model_name="panel",
            name="partnership",
            field=models.ForeignKey(editable=False, null=True,
                                    help_text="The case's leading partnership, whose one-panel-a-day rule applies.",
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.partnership"),
        ),
        migrations.RunPython(copy_from_case, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="panel",
            name="partnership",
            field=models.ForeignKey(editable=False,
                                    help_text="The case's leading partnership, whose one-panel-a-day rule applies.",
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.partnership"),
        ),
        migrations.RemoveConstraint(model_name="panel", name="one_panel_per_day"),
        migrations.AddConstraint(
            model_name="panel",
            constraint=models.UniqueConstraint(condition=models.Q(("state__in", ("scheduled", "held"))),
                                               fields=("partnership", "meeting_date"),
                                               name="one_panel_per_partnership_day"),
        ),
    ]
