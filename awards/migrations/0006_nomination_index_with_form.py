from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0005_award_forms_without_reward")]

    operations = [
        # The new index first: the nominations are never without one.
        migrations.AddIndex(
            model_name="nomination",
            index=models.Index(
                fields=["organization", "campaign", "status", "award_form"],
                name="nomination_org_campaign_status",
            ),
        ),
        migrations.RemoveIndex(model_name="nomination", name="awards_nomi_organiz_218548_idx"),
    ]
