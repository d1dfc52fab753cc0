"""People get a random public identifier for their page's address (instead of a counting number)."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(public_id__isnull=True).only("pk"):
        user.public_id = uuid.uuid4()
        user.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField("user", "public_id", models.UUIDField(editable=False, null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("user", "public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
        migrations.AddField("historicaluser", "public_id",
                            models.UUIDField(db_index=True, default=uuid.uuid4, editable=False)),
    ]
