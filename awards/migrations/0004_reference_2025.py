from django.db import migrations


def add_reference(apps, schema_editor):
    from awards.migrations._reference import ensure_reference

    ensure_reference(
        apps.get_model("awards", "AwardForm"),
        apps.get_model("awards", "Multiplier"),
        apps.get_model("awards", "BaseSalary"),
        apps.get_model("awards", "RoundingRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0003_effective_dated_rules_thresholds_replacements")]

    operations = [migrations.RunPython(add_reference, migrations.RunPython.noop)]
