"""An issued file is checked against its SHA-256 on every read: a file changed on disk is
never served, and raises one alarm in the back office and by mail."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns import services as campaigns
from danvan.audit.models import AuditEvent
from danvan.documents.models import IssuedDocument
from tests.factories import CampaignFactory, complete_plan
from tests.signing import flip_byte

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org, chairman):
    return campaigns.campaign_issue(
        actor=chairman, campaign=complete_plan(CampaignFactory(organization=org, year=2025))
    )


def overwrite(document, fmt, content):
    field = document.pdf if fmt == "pdf" else document.docx
    with open(field.path, "wb") as handle:
        handle.write(content)


def test_a_changed_file_is_not_served_and_raises_one_alarm(
    login, campaign, viewer, superuser, settings, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Admin", "admin@example.vn")]
    superuser.email = "tuan@example.vn"
    superuser.save(update_fields=["email"])
    document = campaign.issued_document
    with document.pdf.open("rb") as handle:
        original = handle.read()
    overwrite(document, "pdf", flip_byte(original, len(original) // 2))
    client = login(viewer)
    url = reverse("campaigns:plan_download", args=[campaign.pk, "pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 503
    assert b"%PDF" not in response.content
    assert "không còn khớp với bản đã ban hành" in response.content.decode()
    document.refresh_from_db()
    assert document.integrity_alarm_at is not None
    assert "pdf: SHA-256" in document.integrity_alarm
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "admin@example.vn",
        "tuan@example.vn",
    ]
    assert document.number_symbol in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="document.tampered").count() == 1
    # Read again: still refused, no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 503
    assert len(mail.outbox) == 2
    # The document's page says so.
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="integrity-alarm"' in page
    # The DOCX is unchanged and still served.
    docx = client.get(reverse("campaigns:plan_download", args=[campaign.pk, "docx"]))
    assert docx.status_code == 200


def test_the_back_office_lists_the_alarm_and_clears_it_once_restored(
    login, campaign, superuser, office_user
):
    document = campaign.issued_document
    with document.pdf.open("rb") as handle:
        original = handle.read()
    overwrite(document, "pdf", b"%PDF-1.7 tampered")
    login(office_user).get(reverse("campaigns:plan_download", args=[campaign.pk, "pdf"]))
    admin = login(superuser)
    listed = admin.get(reverse("admin:documents_issueddocument_changelist") + "?integrity=alarm")
    assert document.subject in listed.content.decode()
    clean = admin.get(reverse("admin:documents_issueddocument_changelist") + "?integrity=ok")
    assert document.subject not in clean.content.decode()
    action = {"action": "recheck_files", "_selected_action": [document.pk]}
    admin.post(reverse("admin:documents_issueddocument_changelist"), action)
    document.refresh_from_db()
    assert document.integrity_alarm_at is not None  # not restored yet: refused
    overwrite(document, "pdf", original)
    admin.post(reverse("admin:documents_issueddocument_changelist"), action)
    document.refresh_from_db()
    assert document.integrity_alarm_at is None
    assert AuditEvent.objects.filter(action="document.restored").count() == 1
    office = login(office_user).get(reverse("admin:documents_issueddocument_changelist"))
    assert "recheck_files" not in office.content.decode()  # superusers only


def test_a_missing_file_is_an_alarm_too(login, campaign, viewer):
    document = campaign.issued_document
    document.pdf.storage.delete(document.pdf.name)
    response = login(viewer).get(reverse("campaigns:plan_download", args=[campaign.pk, "pdf"]))
    assert response.status_code == 503
    assert IssuedDocument.objects.get(pk=document.pk).integrity_alarm_at is not None
