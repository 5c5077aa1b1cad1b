import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_numbering_and_offices"),
        ("models_registry", "0004_fields_copied_per_organization"),
    ]

    operations = [
        migrations.AlterField(
            model_name="field",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="fields",
                to="accounts.organization",
                verbose_name="tổ chức",
            ),
        ),
        migrations.AddConstraint(
            model_name="field",
            constraint=models.UniqueConstraint(
                fields=("organization", "code"),
                name="field_code_unique_in_organization",
                violation_error_message="Tổ chức đã có lĩnh vực trùng mã.",
            ),
        ),
        migrations.AddConstraint(
            model_name="field",
            constraint=models.UniqueConstraint(
                fields=("organization", "name"),
                name="field_name_unique_in_organization",
                violation_error_message="Tổ chức đã có lĩnh vực trùng tên.",
            ),
        ),
    ]
