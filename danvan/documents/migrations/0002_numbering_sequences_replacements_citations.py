import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def sequences_from_kinds(apps, schema_editor):
    """Until now every kind had its own sequence: the sequence is the kind."""
    IssuedDocument = apps.get_model("documents", "IssuedDocument")
    IssuedDocument.objects.update(sequence=F("kind"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_numbering_and_offices"),
        ("documents", "0001_initial"),
    ]

    operations = [
        # The counter counts a sequence: a kind's own, or "*" for every kind together.
        migrations.RemoveConstraint(
            model_name="documentcounter",
            name="document_counter_one_per_organization_year_kind",
        ),
        migrations.RenameField(model_name="documentcounter", old_name="kind", new_name="sequence"),
        migrations.AlterField(
            model_name="documentcounter",
            name="sequence",
            field=models.CharField(max_length=5, verbose_name="dãy số"),
        ),
        migrations.AddConstraint(
            model_name="documentcounter",
            constraint=models.UniqueConstraint(
                fields=("organization", "year", "sequence"),
                name="document_counter_one_per_organization_year_sequence",
                violation_error_message="Đã có sổ đăng ký số cho dãy số này trong năm.",
            ),
        ),
        # An issued document's number is unique in its sequence.
        migrations.AddField(
            model_name="issueddocument",
            name="sequence",
            field=models.CharField(
                default="",
                help_text="Loại văn bản, hoặc “*” khi mọi loại chung một dãy số.",
                max_length=5,
                verbose_name="dãy số",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(sequences_from_kinds, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="issueddocument", name="issued_document_number_unique"
        ),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.UniqueConstraint(
                fields=("organization", "year", "sequence", "number"),
                name="issued_document_number_unique_in_sequence",
                violation_error_message="Số văn bản này đã được dùng cho văn bản khác trong năm.",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                help_text="Văn bản đã ban hành có sai sót mà văn bản này thay thế.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replaced_by",
                to="documents.issueddocument",
                verbose_name="thay thế văn bản",
            ),
        ),
        migrations.CreateModel(
            name="Citation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document_kind", models.CharField(choices=[("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("TTr", "Tờ trình"), ("BB", "Biên bản"), ("BC", "Báo cáo")], max_length=5, verbose_name="dùng cho loại văn bản")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")),
                ("legal_kind", models.CharField(choices=[("Luật", "Luật"), ("Nghị quyết", "Nghị quyết"), ("Nghị định", "Nghị định"), ("Thông tư", "Thông tư"), ("Quyết định", "Quyết định"), ("Kế hoạch", "Kế hoạch"), ("Hướng dẫn", "Hướng dẫn")], max_length=20, verbose_name="loại văn bản được dẫn")),
                ("number", models.CharField(blank=True, help_text="Ví dụ “152/2025/NĐ-CP”. Luật được dẫn theo tên và ngày, không ghi số.", max_length=60, verbose_name="số, ký hiệu")),
                ("issued_on", models.DateField(verbose_name="ngày ban hành")),
                ("issuer", models.CharField(blank=True, help_text="Ví dụ “Chính phủ”.", max_length=200, verbose_name="cơ quan ban hành")),
                ("title", models.CharField(help_text="Luật: tên luật (“Thi đua, khen thưởng”). Văn bản khác: trích yếu sau tên cơ quan (“quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng”).", max_length=500, verbose_name="tên, trích yếu")),
                ("valid_from", models.DateField(verbose_name="áp dụng từ ngày")),
                ("valid_to", models.DateField(blank=True, help_text="Để trống nếu còn hiệu lực.", null=True, verbose_name="áp dụng đến hết ngày")),
                ("source", models.CharField(blank=True, help_text="Nơi đã đối chiếu số, ngày và hiệu lực (công báo, cổng thông tin).", max_length=500, verbose_name="nguồn đối chiếu")),
                ("organization", models.ForeignKey(blank=True, help_text="Để trống: căn cứ chung cho mọi tổ chức.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="citations", to="accounts.organization", verbose_name="tổ chức")),
            ],
            options={
                "verbose_name": "căn cứ văn bản",
                "verbose_name_plural": "căn cứ văn bản",
                "ordering": ["document_kind", "position", "valid_from", "pk"],
                "indexes": [models.Index(fields=["organization", "document_kind", "valid_from"], name="documents_c_organiz_00c8c8_idx")],
                "constraints": [models.CheckConstraint(condition=models.Q(("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"), name="citation_valid_to_after_valid_from", violation_error_message="Ngày hết áp dụng phải sau ngày bắt đầu áp dụng.")],
            },
        ),
    ]
