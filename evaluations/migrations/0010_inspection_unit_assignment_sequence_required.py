import importlib

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Case, F, Value, When

FIRST = importlib.import_module("evaluations.migrations.0009_inspection_unit_assignment_sequence")
SAME_CAMPAIGN, on_sqlite = FIRST.SAME_CAMPAIGN, FIRST.on_sqlite


class Migration(migrations.Migration):
    """The columns are required once filled, with the indexes that read them: a migration
    of its own, because PostgreSQL does not alter a table with the filling's foreign-key
    checks still pending."""

    dependencies = [
        ("evaluations", "0009_inspection_unit_assignment_sequence"),
    ]

    operations = [
        migrations.RunPython(on_sqlite(SAME_CAMPAIGN.drop), on_sqlite(SAME_CAMPAIGN.create)),
        migrations.AlterField(
            model_name="inspection",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.unit",
                verbose_name="đơn vị chủ trì",
            ),
        ),
        migrations.AlterField(
            model_name="assignment",
            name="sequence",
            field=models.PositiveIntegerField(editable=False, verbose_name="số thứ tự"),
        ),
        migrations.RunPython(on_sqlite(SAME_CAMPAIGN.create), on_sqlite(SAME_CAMPAIGN.drop)),
        migrations.RemoveIndex(model_name="inspection", name="inspection_round_sent"),
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(
                fields=["unit", "round", "self_submitted_at", "id"], name="inspection_unit_sent"
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                F("round"),
                F("evaluator"),
                Case(When(scored_at__isnull=True, then=Value(0)), default=Value(1)),
                F("sequence"),
                name="assignment_worklist",
            ),
        ),
    ]
