from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_signatures")]

    operations = [
        migrations.AddField(
            model_name="issueddocument",
            name="render_queued_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Lần gần nhất văn bản dài được giao cho tiến trình nền tạo tệp.",
                null=True,
                verbose_name="giao tạo tệp lúc",
            ),
        ),
    ]
