import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The column is required once filled: a migration of its own, because PostgreSQL
    does not alter a table with the filling's foreign-key checks still pending."""

    dependencies = [
        ("evaluations", "0003_assignment_round"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="round",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="evaluations.round",
                verbose_name="đợt",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                fields=["round", "evaluator", "scored_at"], name="assignment_round_evaluator"
            ),
        ),
    ]
