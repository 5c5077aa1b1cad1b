from django.db import migrations

from awards.migrations._reference import ensure_reference


def add_reference(apps, schema_editor):
    ensure_reference(
        apps.get_model("awards", "AwardForm"),
        apps.get_model("awards", "Multiplier"),
        apps.get_model("awards", "BaseSalary"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(add_reference, migrations.RunPython.noop)]
