import importlib

import django.db.models.deletion
from django.db import migrations, models

SAME_CAMPAIGN = importlib.import_module("evaluations.migrations.0007_inspection_same_campaign")


def on_sqlite(action):
    """``action`` on SQLite only. SQLite alters or drops a column by building the table anew,
    which drops its triggers and fails on the other tables' triggers that name it: the
    same-campaign triggers are dropped before and made again after."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            action(apps, schema_editor)

    return run


# Each inspection's unit is its registration's, each sheet's sequence its model's; plain
# SQL that PostgreSQL and SQLite both run.
BACKFILL = [
    """
    UPDATE evaluations_inspection SET unit_id = (
        SELECT r.unit_id FROM models_registry_registration r
        WHERE r.id = evaluations_inspection.registration_id
    )
    """,
    """
    UPDATE evaluations_assignment SET sequence = (
        SELECT r.sequence FROM evaluations_inspection i
        JOIN models_registry_registration r ON r.id = i.registration_id
        WHERE i.id = evaluations_assignment.inspection_id
    )
    """,
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_phone_numbers"),
        ("evaluations", "0008_inspection_round_sent"),
        ("models_registry", "0014_registration_org_sequence"),
    ]

    operations = [
        migrations.RunPython(on_sqlite(SAME_CAMPAIGN.drop), on_sqlite(SAME_CAMPAIGN.create)),
        migrations.AddField(
            model_name="inspection",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.unit",
                verbose_name="đơn vị chủ trì",
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="sequence",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="số thứ tự"),
        ),
        *(migrations.RunSQL(sql, migrations.RunSQL.noop, elidable=True) for sql in BACKFILL),
        migrations.RunPython(on_sqlite(SAME_CAMPAIGN.create), on_sqlite(SAME_CAMPAIGN.drop)),
    ]
