from django.db import migrations, models


def sent_from_the_audit_trail(apps, schema_editor):
    """Drafts sent for signature before the column existed keep waiting in the signers'
    inbox: the time is read from the audit trail's last "campaign.send_for_signature"."""
    Campaign = apps.get_model("campaigns", "Campaign")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="campaigns", model="campaign").first()
    if content_type is None:
        return
    for campaign in Campaign.objects.filter(status="draft", sent_for_signature_at__isnull=True):
        sent = (
            AuditEvent.objects.filter(
                content_type=content_type,
                object_id=str(campaign.pk),
                action="campaign.send_for_signature",
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if sent is not None:
            Campaign.objects.filter(pk=campaign.pk).update(sent_for_signature_at=sent)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_stages"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="sent_for_signature_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="trình ký lúc"
            ),
        ),
        migrations.RunPython(sent_from_the_audit_trail, migrations.RunPython.noop),
    ]
