from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0006_nomination_index_with_form")]

    operations = [
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(fields=["organization", "kind", "id"], name="nomination_org_kind"),
        ),
    ]
