from django.db import migrations
from django.utils.text import slugify

from themes.standard import STANDARD_THEMES as SEED  # plain data: the one standard list


def seed(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for name in SEED:
        if not Theme.objects.filter(name=name).exists():
            Theme.objects.create(name=name, slug=slugify(name)[:120])


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
