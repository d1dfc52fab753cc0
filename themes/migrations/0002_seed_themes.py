from django.db import migrations
from django.utils.text import slugify

# A copy of themes.services.SEED_THEMES at the time of writing: migrations must not import app code.
SEED = [
    "Neglect", "Domestic abuse", "Parental mental health", "Parental substance misuse",
    "Safe sleep and sudden unexpected death in infancy", "Non-accidental injury in infants",
    "Bruising in non-mobile babies", "Child sexual abuse", "Criminal and sexual exploitation", "Online harm",
    "Adolescent self-harm and suicide", "Serious youth violence", "Information sharing", "Professional curiosity",
    "The voice of the child", "Fathers and male carers", "Special educational needs and disability",
    "Race, culture and identity", "Housing", "Missed health appointments",
]


def seed(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for name in SEED:
        if not Theme.objects.filter(name=name).exists():
            Theme.objects.create(name=name, slug=slugify(name)[:120])


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
