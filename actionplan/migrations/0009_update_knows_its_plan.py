# Each progress update carries its action's partnership, so that the meeting pages read one plan's updates of a
# period through (partnership, at) (issue 20; docs/decisions/0033-an-update-knows-its-plan.md). Added empty, filled
# from the actions in one statement, then required.

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE actionplan_actionupdate AS u SET partnership_id = a.partnership_id
FROM actionplan_action AS a WHERE a.id = u.action_id AND u.partnership_id IS NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_lead_partners_chair_scrutineer_education"),
        ("actionplan", "0008_plan_scoped_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionupdate",
            name="partnership",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="accounts.partnership"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="actionupdate",
            name="partnership",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="accounts.partnership"),
        ),
        migrations.AddIndex(
            model_name="actionupdate",
            index=models.Index(fields=["partnership", "-at"], name="actionupdate_plan_idx"),
        ),
    ]
