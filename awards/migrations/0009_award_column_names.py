import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_nomination_index_in_admin_order")]

    operations = [
        migrations.AlterField(
            model_name="award",
            name="award_form",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="awards.awardform",
                verbose_name="hình thức khen thưởng",
            ),
        ),
        migrations.AlterField(
            model_name="award",
            name="multiplier",
            field=models.DecimalField(
                decimal_places=2, editable=False, max_digits=5, verbose_name="hệ số"
            ),
        ),
        migrations.AlterField(
            model_name="award",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="số thứ tự"
            ),
        ),
    ]
