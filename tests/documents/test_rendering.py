"""A document is numbered in a short transaction, then rendered with no lock held: a
rendering that fails keeps the number and content and is made again, never renumbered."""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from awards import services as awards
from danvan.documents import services
from danvan.documents.models import DocumentKind, IssuedDocument
from tests.documents.specs import seed_plan
from tests.documents.text import docx_lines
from tests.factories import CampaignFactory, NominationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_pdf(monkeypatch):
    """WeasyPrint failing (a missing font, say) while the DOCX still renders."""

    def fail(spec):
        raise OSError("no font for Vietnamese")

    monkeypatch.setattr(services, "render_pdf_laid_out", fail)


def reserve(org, chairman) -> IssuedDocument:
    with transaction.atomic():
        return services.document_reserve(
            actor=chairman,
            organization=org,
            kind=DocumentKind.PLAN,
            year=2026,
            spec=seed_plan(),
            source=org,
            signatures=[],
        )


def test_a_reserved_document_is_numbered_with_its_content_frozen_and_no_files(org, chairman):
    document = reserve(org, chairman)
    assert document.number_symbol == "01/KH-UBND"
    assert not document.is_ready
    assert document.content["__type__"] == "OfficialDocument"
    assert not document.docx
    rendered = services.document_render(document=document)
    assert rendered.is_ready
    with rendered.docx.open("rb") as handle:
        assert "Số: 01/KH-UBND" in docx_lines(handle.read())


def test_a_failed_rendering_keeps_the_number_and_is_made_again_later(
    org, chairman, broken_pdf, monkeypatch
):
    document = reserve(org, chairman)
    with pytest.raises(OSError, match="no font"):
        services.document_render(document=document)
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.PENDING
    assert "no font for Vietnamese" in document.render_error
    assert reserve(org, chairman).number == 2  # the number was not given to another
    monkeypatch.undo()
    document = services.document_render(document=document)
    assert document.is_ready
    assert document.number == 1
    assert document.render_error == ""


def test_rendering_twice_issues_once(org, chairman):
    document = reserve(org, chairman)
    first = services.document_render(document=document)
    second = services.document_render(document=document)
    assert (first.docx.name, first.pdf_sha256) == (second.docx.name, second.pdf_sha256)


def test_a_decision_whose_files_failed_stands_and_its_page_offers_to_make_them(
    login, org, chairman, viewer, office_user, broken_pdf, monkeypatch
):
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    nomination = NominationFactory(campaign=campaign, status="passed")
    decision = awards.decision_issue(
        actor=chairman, nominations=[nomination], decided_on=date(2025, 12, 19)
    )
    assert decision.issued_document.number_symbol == "01/QĐ-UBND"
    assert not decision.issued_document.is_ready
    page = reverse("awards:decision", args=[decision.pk])
    download = reverse("awards:decision_download", args=[decision.pk, "pdf"])
    assert login(viewer).get(download).status_code == 404  # no file yet, no broken download
    seen = login(viewer).get(page).content.decode()
    assert "chưa tạo được tệp" in seen
    assert "Tạo lại tệp văn bản" not in seen  # the button is the back office's
    monkeypatch.undo()
    retry = reverse("documents:render", args=[decision.issued_document.pk])
    assert login(viewer).post(retry, {"next": page}).status_code == 404
    response = login(office_user).post(retry, {"next": page})
    assert response.status_code == 302
    decision.issued_document.refresh_from_db()
    assert decision.issued_document.is_ready
    assert decision.issued_document.number == 1
    body = b"".join(login(viewer).get(download).streaming_content)
    assert body.startswith(b"%PDF")


def test_another_organisation_cannot_make_our_documents(login, org, chairman, outsider):
    document = reserve(org, chairman)
    response = login(outsider).post(reverse("documents:render", args=[document.pk]))
    assert response.status_code == 404
    document.refresh_from_db()
    assert not document.is_ready
