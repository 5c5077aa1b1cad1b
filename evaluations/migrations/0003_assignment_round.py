import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Each sheet's round is its inspection's; plain SQL that PostgreSQL and SQLite both run.
BACKFILL = """
UPDATE evaluations_assignment SET round_id = (
    SELECT i.round_id FROM evaluations_inspection i
    WHERE i.id = evaluations_assignment.inspection_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_inspection_results"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="round",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="evaluations.round",
                verbose_name="đợt",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
    ]
