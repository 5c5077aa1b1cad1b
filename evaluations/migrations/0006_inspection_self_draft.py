from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0005_assignment_draft")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="self_draft",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
