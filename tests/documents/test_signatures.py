"""The issuing body's seal on issued PDFs: made with the configured certificate, verified
with pyHanko's own validator, placed where decree 30 puts it, and its time the one
printed and recorded; without a certificate, documents are issued unsigned and say so."""

import asyncio
import hashlib
import io
import threading
import zipfile
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from campaigns import services as campaigns
from danvan.documents import signing
from danvan.documents.layout import DOCX_UNSIGNED_NOTE, signature_time_vi
from danvan.documents.models import DocumentSignature, IssuedDocument
from tests.documents.text import docx_lines, docx_text, pdf_pages, pdf_text
from tests.factories import CampaignFactory, complete_plan
from tests.signing import flip_byte

pytestmark = pytest.mark.django_db


def issue_plan(organization, chairman, **kwargs):
    campaign = complete_plan(CampaignFactory(organization=organization, year=2025))
    return campaigns.campaign_issue(actor=chairman, campaign=campaign, **kwargs)


def stored_pdf(document: IssuedDocument) -> bytes:
    with document.pdf.open("rb") as handle:
        return handle.read()


def validated(content: bytes, pki):
    reader = PdfFileReader(io.BytesIO(content))
    (embedded,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[pki.ca_asn1])
    return embedded, asyncio.run(
        async_validate_pdf_signature(embedded, signer_validation_context=context)
    )


@pytest.fixture
def sealed(org, pki):
    """``org`` with its seal configured."""
    return pki.seal_for(org)


def test_an_issued_plan_carries_the_bodys_seal_that_pyhanko_validates(org, chairman, pki, sealed):
    before = timezone.now().replace(microsecond=0)
    campaign = issue_plan(org, chairman)
    after = timezone.now()
    document = campaign.issued_document
    content = stored_pdf(document)
    embedded, status = validated(content, pki)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.bottom_line is True
    assert embedded.signer_cert.serial_number == sealed.certificate.serial_number
    assert before <= status.signer_reported_dt <= after
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    # The stored file and its recorded SHA-256 are the sealed file's.
    assert hashlib.sha256(content).hexdigest() == document.pdf_sha256
    seal = document.signatures.get(role=DocumentSignature.Role.SEAL)
    assert seal.signed_at == status.signer_reported_dt
    assert seal.in_pdf is True
    assert seal.certificate_serial == format(sealed.certificate.serial_number, "X")
    assert seal.test_certificate is False
    # The printed line says the same time.
    line = f"Ký số cơ quan ban hành: {org.name} – {signature_time_vi(seal.signed_at)}"
    assert line in pdf_text(content)
    signer = document.signatures.get(role=DocumentSignature.Role.SIGNER)
    assert signer.in_pdf is False  # the portal records the chairman's act; the PDF has the seal


def test_the_seal_shows_the_body_and_time_over_the_left_third_of_the_signature(
    org, chairman, sealed
):
    document = issue_plan(org, chairman).issued_document
    content = stored_pdf(document)
    reader = PdfFileReader(io.BytesIO(content))
    (embedded,) = reader.embedded_signatures
    widget = embedded.sig_field
    left, bottom, right, top = (float(value) for value in widget["/Rect"])
    place = document.seal_place
    page = reader.root["/Pages"]["/Kids"][place["page"]]
    assert any(annotation.get_object() == widget for annotation in page["/Annots"])
    # Inside the signature column (from 55 % of the text width), left of its middle.
    page_left = 30 / 25.4 * 72
    text_width = 165 / 25.4 * 72
    column_left = page_left + 0.45 * text_width
    assert column_left <= left < right < column_left + 0.55 * text_width / 2 + 40
    assert top - bottom == pytest.approx(18 / 25.4 * 72, abs=1)
    text = signing.seal_text(
        body_name=org.name,
        signed_at=document.signatures.get(role="seal").signed_at,
        is_test=False,
    )
    assert org.name.split()[0] in text
    assert "Ký lúc" in text
    assert "+07:00" in text


def test_the_seal_is_placed_from_the_layout_so_a_longer_document_moves_it(org, chairman, sealed):
    short = issue_plan(org, chairman).issued_document
    campaign = complete_plan(CampaignFactory(organization=org, year=2026), sections=6, items=5)
    long = campaigns.campaign_issue(actor=chairman, campaign=campaign).issued_document
    assert (short.seal_place["page"], short.seal_place["box"]) != (
        long.seal_place["page"],
        long.seal_place["box"],
    )


def test_one_flipped_byte_breaks_the_seal_and_the_check_page_says_so(
    login, org, chairman, sealed, pki
):
    document = issue_plan(org, chairman).issued_document
    content = stored_pdf(document)
    reader = PdfFileReader(io.BytesIO(content))
    start, length, _tail, _tail_length = reader.embedded_signatures[0].byte_range
    altered = flip_byte(content, start + length // 2)
    _embedded, status = validated(altered, pki)
    assert status.intact is False
    response = login(chairman).post(
        reverse("documents:verify"),
        {"pdf": _upload(altered), "number": document.number_symbol},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="verdict-not-original"' in page
    assert 'data-testid="verdict-broken"' in page
    assert "Chữ ký số trong tệp bị hỏng" in page
    assert f"KHÔNG phải bản đã ban hành của văn bản số {document.number_symbol}" in page
    # The file itself checks out.
    intact = login(chairman).post(reverse("documents:verify"), {"pdf": _upload(content)})
    assert 'data-testid="verdict-original"' in intact.content.decode()


def _upload(content: bytes, name: str = "van-ban.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_without_a_certificate_documents_are_issued_unsigned_and_the_page_says_so(
    login, org, chairman
):
    campaign = issue_plan(org, chairman)
    document = campaign.issued_document
    assert document.is_ready
    assert signing.check_pdf(stored_pdf(document)).signatures == ()
    assert not document.signatures.filter(in_pdf=True).exists()
    page = login(chairman).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="pdf-unsigned"' in page
    assert "Văn bản chưa được ký số" in page
    assert 'data-testid="pdf-signed"' not in page


def test_the_plan_page_says_the_pdf_is_signed_and_the_docx_is_not(login, org, chairman, sealed):
    campaign = issue_plan(org, chairman)
    document = campaign.issued_document
    page = login(chairman).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="pdf-signed"' in page
    assert "Tệp PDF mang 1 chữ ký số" in page
    assert "Tệp Word (DOCX) là bản để chỉnh sửa, không mang chữ ký số" in page
    assert document.verification_code_display in page
    assert document.pdf_sha256 in page
    assert 'data-testid="test-signature"' not in page


def test_the_docx_stays_unsigned_and_says_so(login, org, chairman, sealed):
    campaign = issue_plan(org, chairman)
    response = login(chairman).get(reverse("campaigns:plan_download", args=[campaign.pk, "docx"]))
    content = b"".join(response.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert not any("signature" in name.lower() for name in names)
    lines = docx_lines(content)
    assert lines[-1] == DOCX_UNSIGNED_NOTE
    document = campaign.issued_document
    assert f"Mã kiểm tra: {document.verification_code_display}" in docx_text(content)
    from docx import Document

    assert Document(io.BytesIO(content)).core_properties.comments == DOCX_UNSIGNED_NOTE


def test_the_pdf_prints_the_verification_address_and_code_on_the_signature_page(
    org, chairman, sealed
):
    document = issue_plan(org, chairman).issued_document
    pages = pdf_pages(stored_pdf(document))
    last = " ".join(pages[-1]).replace(" ", "")
    assert document.verification_code_display in last
    assert reverse("documents:verify_code", args=[document.verification_code]) in last
    assert "Kiểmtravănbảntại" in last
    assert "<svg" in document.html  # the QR code, in the print view too


def test_an_unusable_key_leaves_the_document_pending_with_the_error(org, chairman, pki):
    (pki.keys_dir / f"{org.code}.p12").write_bytes(b"not a key")
    campaign = issue_plan(org, chairman)
    document = campaign.issued_document
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.PENDING
    assert "SigningConfigError" in document.render_error
    assert not document.pdf


def test_a_test_ca_seal_is_refused_in_production_and_marked_in_the_demo(
    login, org, chairman, settings, tmp_path
):
    from danvan.documents import testca

    ca = testca.new_ca()  # the demo's CA: its name says it is a test CA
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    testca.write_key(tmp_path / "keys" / f"{org.code}.p12", testca.issue(ca, org.name), ca)
    settings.DEBUG = False
    refused = issue_plan(org, chairman).issued_document
    refused.refresh_from_db()
    assert refused.status == IssuedDocument.Status.PENDING
    assert "test CA" in refused.render_error
    settings.DEBUG = True
    campaign = complete_plan(CampaignFactory(organization=org, year=2026))
    demo = campaigns.campaign_issue(actor=chairman, campaign=campaign).issued_document
    assert demo.is_ready
    assert demo.signatures.get(role="seal").test_certificate is True
    assert "CHỮ KÝ THỬ NGHIỆM" in signing.seal_text(
        body_name=org.name, signed_at=timezone.now(), is_test=True
    )
    page = login(chairman).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="test-signature"' in page


class _TimestampServer(BaseHTTPRequestHandler):
    """An RFC 3161 timestamp server on 127.0.0.1 answering with pyHanko's test TSA."""

    stamper = None

    def do_POST(self):  # noqa: N802 - http.server's name
        from asn1crypto import tsp

        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        answer = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def timestamp_server(pki, settings):
    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    # pyHanko's test TSA signs with RSA; a TSA's certificate says it stamps time.
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(cx509.Name([cx509.NameAttribute(cx509.oid.NameOID.COMMON_NAME, "TSA")]))
        .issuer_name(pki.ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(pki.ca.certificate.not_valid_before_utc)
        .not_valid_after(pki.ca.certificate.not_valid_after_utc)
        .add_extension(
            cx509.ExtendedKeyUsage([cx509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
        .sign(pki.ca.key, hashes.SHA256())
    )
    _TimestampServer.stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        certs_to_embed=[pki.ca_asn1],
    )
    server = HTTPServer(("127.0.0.1", 0), _TimestampServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIGNING_TIMESTAMP_URL = f"http://127.0.0.1:{server.server_port}/"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_with_a_timestamp_server_the_seal_is_pades_b_t(
    org, chairman, sealed, pki, timestamp_server
):
    before = timezone.now() - timedelta(seconds=1)
    document = issue_plan(org, chairman).issued_document
    _embedded, status = validated(stored_pdf(document), pki)
    assert status.bottom_line is True
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact
    assert status.timestamp_validity.valid
    assert before <= status.timestamp_validity.timestamp <= timezone.now()
    (check,) = signing.check_pdf(stored_pdf(document)).signatures
    assert check.timestamped is True


def test_a_signed_decision_still_reads_as_issued(org, chairman, sealed, unit):
    """The word-by-word check of decisions (tests/awards/test_decision_documents.py) on a
    sealed PDF: sealing adds a signature, it changes no word."""
    from tests.awards.test_decision_documents import SIGNED
    from tests.factories import NominationFactory

    campaign = issue_plan(org, chairman)
    nomination = NominationFactory(campaign=campaign, unit=unit, status="passed")
    from awards import services as awards

    decision = awards.decision_issue(
        actor=chairman, nominations=[nomination], decided_on=SIGNED.date(), signed_at=SIGNED
    )
    content = stored_pdf(decision.issued_document)
    (check,) = signing.check_pdf(content).signatures
    assert check.sound
    assert check.trusted
    assert check.signed_at == SIGNED  # the decision's recorded seal time, fixed
    text = pdf_text(content)
    assert f"Ký số cơ quan ban hành: {org.name} – 14:20:37 ngày 19/12/2025" in text
    assert "QUYẾT ĐỊNH" in text
    assert "Quyết định có hiệu lực kể từ ngày ký." in text
