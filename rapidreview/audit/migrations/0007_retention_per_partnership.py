# Retention periods become each partnership's own setting (issue 18): the periods set before partnerships are the
# installation's one partnership's. Retention actions name the case's partnership from now on; the rows from before
# stay empty (the table is append-only) and read as the first partnership's. Switching partnership is logged.

import django.db.models.deletion
from django.db import migrations, models

from rapidreview.accounts.migration_support import assign_to_legacy


def fill(apps, schema_editor):
    assign_to_legacy(apps, "audit", "RetentionRule")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_partnership_created_at'),
        ('audit', '0006_accesslog_partnership'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalretentionrule',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='retentionaction',
            name='partnership',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='retentionrule',
            name='partnership',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.partnership'),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed'), ('change', 'Changed'), ('export', 'Exported'), ('pdf', 'Downloaded a PDF'), ('denied', 'Denied'), ('sign_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('switch', 'Switched partnership')], max_length=20),
        ),
        migrations.AlterField(
            model_name='historicalretentionrule',
            name='record_type',
            field=models.CharField(choices=[('not_met', 'Cases closed without a Serious Incident Notification'), ('rapid_review', 'Rapid reviews and child safeguarding practice reviews')], max_length=20),
        ),
        migrations.AlterField(
            model_name='retentionrule',
            name='record_type',
            field=models.CharField(choices=[('not_met', 'Cases closed without a Serious Incident Notification'), ('rapid_review', 'Rapid reviews and child safeguarding practice reviews')], max_length=20),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='retentionrule',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddConstraint(
            model_name='retentionrule',
            constraint=models.UniqueConstraint(fields=('partnership', 'record_type'), name='one_retention_rule_per_type'),
        ),
    ]
