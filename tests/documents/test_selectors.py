import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from danvan.documents.selectors import (
    file_response,
    issued_document_for,
    issued_file_response,
    issued_html_fragment,
)
from tests.documents.factories import DOCX_BYTES, PDF_BYTES, IssuedDocumentFactory
from tests.documents.text import streamed
from tests.factories import UnitFactory

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.django_db
def test_issued_document_for_gives_the_latest_for_that_source(org, unit):
    now = timezone.now()
    IssuedDocumentFactory(organization=org, issued_at=now - timedelta(days=2))
    latest = IssuedDocumentFactory(organization=org, issued_at=now)
    IssuedDocumentFactory(organization=org, issued_at=now - timedelta(days=1))
    assert issued_document_for(source=org) == latest


@pytest.mark.django_db
def test_issued_document_for_a_source_without_one_is_none(org, unit, other_org):
    IssuedDocumentFactory(organization=org)  # its source is the organisation
    assert issued_document_for(source=unit) is None
    assert issued_document_for(source=other_org) is None
    assert issued_document_for(source=UnitFactory(organization=org)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "content", "content_type"),
    [("docx", DOCX_BYTES, DOCX_TYPE), ("pdf", PDF_BYTES, "application/pdf")],
)
def test_issued_file_response_serves_the_stored_bytes_as_an_attachment(
    org, fmt, content, content_type
):
    document = IssuedDocumentFactory(organization=org)
    response = issued_file_response(document, fmt, filename="Kế hoạch 46-KH-UBND năm 2024")
    assert streamed(response) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Length"] == str(len(content))
    assert response["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert response["Content-Disposition"] == (
        f'attachment; filename="Ke hoach 46-KH-UBND nam 2024.{fmt}"; '
        f"filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%2046-KH-UBND%20n%C4%83m%202024.{fmt}"
    )
    assert response["Cache-Control"] == "private, no-cache"


def test_file_response_serves_bytes_built_on_the_fly():
    response = file_response(b"%PDF-1.7 draft", "pdf", filename="Dự thảo kế hoạch.pdf")
    assert response.content == b"%PDF-1.7 draft"
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{hashlib.sha256(b"%PDF-1.7 draft").hexdigest()}"'
    assert response["Content-Disposition"].startswith(
        'attachment; filename="Du thao ke hoach.pdf"; '
    )


def test_file_names_lose_quotes_slashes_and_control_characters_in_the_ascii_form():
    response = file_response(b"x", "docx", filename='Đề "xuất"/số 3\r\n')
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="De _xuat_-so 3_.docx"; filename*=UTF-8')
    assert "\r" not in disposition
    assert "\n" not in disposition


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="Unknown document format"):
        file_response(b"x", "odt", filename="x")


@pytest.mark.django_db
def test_issued_html_fragment_is_the_frozen_article(org):
    document = IssuedDocumentFactory(organization=org)
    assert issued_html_fragment(document) == '<article class="official-document"></article>'
