# When each partnership joined the installation. Existing rows get the moment this runs: for the one partnership
# from before, that is when partnerships came in (access-log lines before it are its own).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_partnership_slugs_and_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpartnership',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='partnership',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
