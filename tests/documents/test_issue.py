import hashlib
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.transaction import TransactionManagementError

from danvan.audit.models import AuditEvent
from danvan.documents.layout import VIETNAM_TZ
from danvan.documents.models import DocumentKind, DocumentSignature, IssuedDocument
from danvan.documents.render import render_docx, render_pdf
from danvan.documents.selectors import issued_file_response
from danvan.documents.services import document_issue, number_next
from tests.documents.specs import SIGNED, seed_plan
from tests.documents.text import docx_text, pdf_text, streamed

pytestmark = pytest.mark.django_db
PLAN = DocumentKind.PLAN


def issue(*, actor, organization, number=None, spec=None, signatures=None) -> IssuedDocument:
    with transaction.atomic():
        if number is None:
            number = number_next(organization=organization, year=2024, kind=PLAN)
        return document_issue(
            actor=actor,
            organization=organization,
            kind=PLAN,
            year=2024,
            number=number,
            spec=spec or seed_plan(draft=True, number=None),
            source=organization,
            signatures=signatures
            if signatures is not None
            else [
                ("Ký số", "Lê Duy Bảo", actor, SIGNED[0]),
                ("Đóng dấu", "UBND phường", None, SIGNED[1]),
            ],
        )


def served(document, fmt) -> bytes:
    return streamed(issued_file_response(document, fmt, filename=f"ke-hoach.{fmt}"))


def stored(document, fmt) -> bytes:
    field = document.docx if fmt == "docx" else document.pdf
    with field.storage.open(field.name, "rb") as handle:
        return handle.read()


def test_issuing_stores_the_files_with_their_sha256(org, chairman, stored_files):
    document = issue(actor=chairman, organization=org)
    assert stored_files() == sorted([document.docx.name, document.pdf.name])
    assert document.docx.name.startswith(f"documents/{org.code}/2024/KH-1-")
    assert document.pdf.name.endswith(".pdf")
    assert hashlib.sha256(stored(document, "docx")).hexdigest() == document.docx_sha256
    assert hashlib.sha256(stored(document, "pdf")).hexdigest() == document.pdf_sha256


def test_issuing_prints_the_number_and_drops_the_draft_mark(org, chairman):
    document = issue(actor=chairman, organization=org, number=46)
    for text in (docx_text(stored(document, "docx")), pdf_text(stored(document, "pdf"))):
        assert "Số: 46/KH-UBND" in text
        assert "DỰ THẢO" not in text
    assert "Số: 46/KH-UBND" in document.html
    assert '<html lang="vi">' in document.html
    assert (document.number, document.number_symbol, document.year) == (46, "46/KH-UBND", 2024)
    assert document.subject == seed_plan().subject


def test_issued_files_are_served_byte_for_byte_as_stored(org, chairman):
    document = issue(actor=chairman, organization=org)
    for fmt, digest in (("docx", document.docx_sha256), ("pdf", document.pdf_sha256)):
        original = stored(document, fmt)
        assert served(document, fmt) == original
        assert hashlib.sha256(served(document, fmt)).hexdigest() == digest


def test_building_the_spec_again_later_does_not_change_what_is_served(org, chairman):
    document = issue(actor=chairman, organization=org)
    before = {fmt: served(document, fmt) for fmt in ("docx", "pdf")}
    rebuilt = seed_plan(number=1, subject="Về việc sửa lại sau khi ban hành")
    render_docx(rebuilt), render_pdf(rebuilt)
    document.refresh_from_db()
    assert {fmt: served(document, fmt) for fmt in ("docx", "pdf")} == before
    assert "Về việc sửa lại" not in pdf_text(before["pdf"])


def test_issuing_records_the_signatures_in_order(org, chairman):
    document = issue(actor=chairman, organization=org)
    rows = list(document.signatures.values_list("label", "signer_name", "signed_by", "signed_at"))
    assert rows == [
        ("Ký số", "Lê Duy Bảo", chairman.pk, SIGNED[0]),
        ("Đóng dấu", "UBND phường", None, SIGNED[1]),
    ]
    assert document.issued_by == chairman
    assert document.issued_at is not None


def test_issuing_links_the_document_to_its_source(org, chairman):
    document = issue(actor=chairman, organization=org)
    assert document.source == org


def test_issuing_is_audited(org, chairman):
    document = issue(actor=chairman, organization=org, number=46)
    event = AuditEvent.objects.get(action="document.issue")
    assert event.organization == org
    assert event.actor == chairman
    assert event.object_id == str(document.pk)
    assert event.note == (
        "Ban hành văn bản số 46/KH-UBND: "
        "Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024"
    )


def test_a_rolled_back_issue_leaves_no_row_and_no_file(org, chairman, stored_files):
    with transaction.atomic():
        issue(actor=chairman, organization=org)
        assert len(stored_files()) == 2
        transaction.set_rollback(True)
    assert not IssuedDocument.objects.exists()
    assert not DocumentSignature.objects.exists()
    assert stored_files() == []
    assert issue(actor=chairman, organization=org).number == 1  # and no gap


def test_issuing_a_used_number_is_refused_and_leaves_no_file(org, chairman, stored_files):
    first = issue(actor=chairman, organization=org, number=7)
    with transaction.atomic():
        with pytest.raises(ValidationError) as error:
            document_issue(
                actor=chairman,
                organization=org,
                kind=PLAN,
                year=2024,
                number=7,
                spec=seed_plan(),
                source=org,
                signatures=[],
            )
        # The caller's transaction is still usable.
        assert IssuedDocument.objects.count() == 1
    assert error.value.message_dict == {
        "number": ["Số 07/KH-UBND năm 2024 đã được dùng cho văn bản khác."]
    }
    assert stored_files() == sorted([first.docx.name, first.pdf.name])


def test_signature_times_print_in_vietnam_time(org, chairman):
    moment = datetime(2024, 3, 19, 9, 28, 22, tzinfo=VIETNAM_TZ)
    document = issue(actor=chairman, organization=org)
    assert document.signatures.first().signed_at == moment
    assert "Ký số: Lê Duy Bảo – 09:28:22 ngày 19/03/2024" in pdf_text(stored(document, "pdf"))


@pytest.mark.django_db(transaction=True)
def test_issuing_outside_a_transaction_is_refused(org, chairman, stored_files):
    with pytest.raises(TransactionManagementError):
        document_issue(
            actor=chairman,
            organization=org,
            kind=PLAN,
            year=2024,
            number=1,
            spec=seed_plan(),
            source=org,
            signatures=[],
        )
    assert stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_issue_keeps_its_files(org, chairman, stored_files):
    document = issue(actor=chairman, organization=org)
    assert stored_files() == sorted([document.docx.name, document.pdf.name])
    assert served(document, "pdf") == stored(document, "pdf")
