from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0007_nomination_index_in_list_order")]

    operations = [
        # The new index first: the nominations are never without one.
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                fields=["organization", "-created_at", "-id"], name="nomination_org_created"
            ),
        ),
        migrations.RemoveIndex(model_name="nomination", name="awards_nomi_organiz_2f5657_idx"),
    ]
