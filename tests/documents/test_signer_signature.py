"""The signer's own signature: the PDF waits for them, they sign it outside the portal
with their certificate and upload it; the portal checks it, seals it on top and issues
it — or refuses it, saying why, and nothing changes."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from pyhanko.pdf_utils.reader import PdfFileReader

from awards import services as awards
from campaigns import services as campaigns
from danvan.documents import signing
from danvan.documents.models import DocumentSignature, IssuedDocument
from inbox.selectors import inbox_for
from tests.factories import CampaignFactory, NominationFactory, complete_plan
from tests.signing import flip_byte, sign_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def signs_own(org, pki):
    """``org`` has its signers sign the PDF themselves, and a seal configured."""
    org.signer_signs_pdf = True
    org.save(update_fields=["signer_signs_pdf"])
    pki.seal_for(org)
    return org


def awaiting_plan(organization, chairman, year=2025):
    campaign = complete_plan(CampaignFactory(organization=organization, year=year))
    return campaigns.campaign_issue(actor=chairman, campaign=campaign)


def unsigned_copy(client, document) -> bytes:
    response = client.get(reverse("documents:unsigned", args=[document.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload(client, document, content: bytes):
    return client.post(
        reverse("documents:sign", args=[document.pk]),
        {"pdf": SimpleUploadedFile("da-ky.pdf", content, content_type="application/pdf")},
    )


def state(document: IssuedDocument):
    document.refresh_from_db()
    return (
        document.status,
        document.pdf.name,
        document.pdf_sha256,
        list(document.signatures.values_list("role", "signed_at", "in_pdf")),
    )


def test_the_pdf_waits_for_the_signer_without_printed_signatures(login, org, chairman, signs_own):
    campaign = awaiting_plan(org, chairman)
    document = campaign.issued_document
    assert document.status == IssuedDocument.Status.AWAITING_SIGNATURE
    assert list(document.signatures.values_list("role", "signed_at")) == [
        ("signer", None),
        ("seal", None),
    ]
    content = unsigned_copy(login(chairman), document)
    assert signing.check_pdf(content).signatures == ()
    page = login(chairman).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="document-awaiting-signature"' in page
    assert reverse("documents:sign", args=[document.pk]) in page
    # The feature's download waits for the issued file.
    response = login(chairman).get(reverse("campaigns:plan_download", args=[campaign.pk, "pdf"]))
    assert response.status_code == 404


def test_the_signers_copy_is_accepted_sealed_on_top_and_issued(
    login, org, chairman, signs_own, pki, django_capture_on_commit_callbacks
):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    unsigned = unsigned_copy(client, document)
    old_file = document.pdf.name
    personal = pki.person("Lê Duy Bảo")
    before = timezone.now().replace(microsecond=0)
    signed = sign_as(unsigned, pki.signer(personal))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, document, signed)
    assert response.status_code == 302, response.content.decode()[-3000:]
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    with document.pdf.open("rb") as handle:
        issued = handle.read()
    assert issued.startswith(signed)  # the seal is added on top, incrementally
    checks = signing.check_pdf(issued).signatures
    assert [check.is_seal for check in checks] == [False, True]
    assert all(check.sound and check.trusted for check in checks)
    signer = document.signatures.get(role=DocumentSignature.Role.SIGNER)
    seal = document.signatures.get(role=DocumentSignature.Role.SEAL)
    assert signer.signed_at == checks[0].signed_at
    assert before <= signer.signed_at <= seal.signed_at <= timezone.now()
    assert signer.in_pdf
    assert seal.in_pdf
    assert signer.certificate_serial == format(personal.certificate.serial_number, "X")
    assert seal.signed_at == checks[1].signed_at
    assert not document.pdf.storage.exists(old_file)  # the unsigned copy is gone
    page = client.get(reverse("campaigns:detail", args=[document.object_id])).content.decode()
    assert "Tệp PDF mang 2 chữ ký số" in page


def test_a_signer_identified_by_the_identity_on_their_certificate(
    login, org, chairman, signs_own, pki
):
    chairman.certificate_identity = "CCCD:051000000001"
    chairman.save(update_fields=["certificate_identity"])
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    unsigned = unsigned_copy(client, document)
    # Same name, another person's identity: refused; their own: accepted.
    stranger = pki.person("Lê Duy Bảo", identity="CCCD:051000000999")
    response = upload(client, document, sign_as(unsigned, pki.signer(stranger)))
    assert "không phải của Lê Duy Bảo" in response.content.decode()
    own = pki.person("LÊ DUY BẢO", identity="cccd: 051000000001")
    response = upload(client, document, sign_as(unsigned, pki.signer(own)))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_ready


def assert_refused(client, document, content, message):
    before = state(document)
    response = upload(client, document, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="form-errors"' in page
    assert message in page
    assert state(document) == before
    return page


def test_a_copy_of_another_document_is_refused(login, org, chairman, signs_own, pki):
    document = awaiting_plan(org, chairman).issued_document
    other = awaiting_plan(org, chairman, year=2026).issued_document
    client = login(chairman)
    signed_other = sign_as(unsigned_copy(client, other), pki.signer(pki.person("Lê Duy Bảo")))
    assert_refused(client, document, signed_other, "Nội dung đã ký khác văn bản số")


def test_a_copy_with_content_added_after_the_portals_is_refused(
    login, org, chairman, signs_own, pki
):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    unsigned = unsigned_copy(client, document)
    # Text stamped on a page before signing: the signed content is not the document.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStampStyle, text_stamp_file  # noqa: F401

    writer = IncrementalPdfFileWriter(io.BytesIO(unsigned))
    from pyhanko.stamp import TextStamp

    TextStamp(writer, TextStampStyle(stamp_text="BAN SAO")).apply(0, 100, 100)
    stamped = io.BytesIO()
    writer.write(stamped)
    signed = sign_as(stamped.getvalue(), pki.signer(pki.person("Lê Duy Bảo")))
    assert_refused(client, document, signed, "có thêm nội dung ngoài chữ ký số")


def test_a_broken_signature_is_refused(login, org, chairman, signs_own, pki):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    unsigned = unsigned_copy(client, document)
    signed = sign_as(unsigned, pki.signer(pki.person("Lê Duy Bảo")))
    # A byte of the signer's own revision changed after signing.
    reader = PdfFileReader(io.BytesIO(signed))
    _start, _length, tail, tail_length = reader.embedded_signatures[0].byte_range
    broken = flip_byte(signed, tail + tail_length // 2)
    assert_refused(client, document, broken, "Chữ ký số trong tệp bị hỏng")


def test_another_persons_certificate_is_refused(login, org, chairman, signs_own, pki):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    signed = sign_as(unsigned_copy(client, document), pki.signer(pki.person("Võ Thị Hoa")))
    assert_refused(
        client,
        document,
        signed,
        "Chứng thư số dùng để ký là của “Võ Thị Hoa”, không phải của Lê Duy Bảo",
    )


def test_an_expired_certificate_is_refused(login, org, chairman, signs_own, pki):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    expired = pki.person(
        "Lê Duy Bảo",
        not_before=datetime(2021, 1, 1, tzinfo=UTC),
        not_after=datetime.now(UTC) - timedelta(days=1),
    )
    signed = sign_as(unsigned_copy(client, document), pki.signer(expired))
    assert_refused(
        client, document, signed, "Chứng thư số đã hết hạn hoặc chưa có hiệu lực vào lúc ký"
    )


def test_a_certificate_from_an_untrusted_authority_is_refused(login, org, chairman, signs_own, pki):
    from danvan.documents import testca
    from tests.signing import Pki

    elsewhere = Pki(directory=pki.directory, ca=testca.new_ca("Elsewhere"), settings=None)
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    signed = sign_as(
        unsigned_copy(client, document), elsewhere.signer(elsewhere.person("Lê Duy Bảo"))
    )
    assert_refused(
        client, document, signed, "không do tổ chức chứng thực chữ ký số mà cổng tin cậy cấp"
    )


def test_a_signing_time_before_the_document_was_numbered_is_refused(
    login, org, chairman, signs_own, pki
):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    signed = sign_as(
        unsigned_copy(client, document),
        pki.signer(pki.person("Lê Duy Bảo")),
        when=document.issued_at - timedelta(days=2),
    )
    assert_refused(client, document, signed, "Thời điểm ký ghi trong chữ ký")


def test_an_unsigned_or_non_pdf_upload_is_refused(login, org, chairman, signs_own):
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    assert_refused(client, document, unsigned_copy(client, document), "chưa có chữ ký số nào")
    assert_refused(client, document, b"hello", "không phải tệp PDF")


@pytest.mark.parametrize("who", ["vice_chairman", "office_user", "superuser", "outsider"])
def test_only_the_signer_may_upload_the_signed_copy(
    request, login, org, chairman, signs_own, pki, who
):
    document = awaiting_plan(org, chairman).issued_document
    unsigned = unsigned_copy(login(chairman), document)
    signed = sign_as(unsigned, pki.signer(pki.person("Lê Duy Bảo")))
    user = request.getfixturevalue(who)
    before = state(document)
    client = login(user)
    assert client.get(reverse("documents:sign", args=[document.pk])).status_code == 404
    assert upload(client, document, signed).status_code == 404
    assert state(document) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("office_user", 200), ("vice_chairman", 200), ("viewer", 404), ("outsider", 404)],
)
def test_who_may_download_the_copy_awaiting_signature(
    request, login, org, chairman, signs_own, who, status
):
    document = awaiting_plan(org, chairman).issued_document
    client = login(request.getfixturevalue(who))
    response = client.get(reverse("documents:unsigned", args=[document.pk]))
    assert response.status_code == status


def test_the_signing_page_takes_as_many_queries_for_three_signatures_as_for_one(
    login, org, chairman, signs_own, queries_for
):
    document = awaiting_plan(org, chairman).issued_document
    document.signatures.filter(role="seal").delete()
    client = login(chairman)
    url = reverse("documents:sign", args=[document.pk])
    one = queries_for(client, url)
    for name in ("Võ Thị Hoa", "Trần Văn Nam"):
        DocumentSignature.objects.create(
            document=document, role="seal", label="Ký số cơ quan ban hành", signer_name=name
        )
    assert document.signatures.count() == 3
    assert queries_for(client, url) == one


def test_a_signature_in_a_field_of_the_signers_own_is_accepted_too(
    login, org, chairman, signs_own, pki
):
    """Some signing software adds its own field instead of filling the portal's."""
    document = awaiting_plan(org, chairman).issued_document
    client = login(chairman)
    signed = sign_as(
        unsigned_copy(client, document), pki.signer(pki.person("Lê Duy Bảo")), field="Sig2"
    )
    assert upload(client, document, signed).status_code == 302
    document.refresh_from_db()
    assert document.is_ready


def test_the_copy_awaiting_signature_downloads_with_as_many_queries_for_three_signatures(
    login, org, chairman, signs_own, queries_for
):
    document = awaiting_plan(org, chairman).issued_document
    document.signatures.filter(role="seal").delete()
    client = login(chairman)
    url = reverse("documents:unsigned", args=[document.pk])
    one = queries_for(client, url)
    for name in ("Võ Thị Hoa", "Trần Văn Nam"):
        DocumentSignature.objects.create(
            document=document, role="seal", label="Ký số cơ quan ban hành", signer_name=name
        )
    assert queries_for(client, url) == one


def test_the_signers_inbox_leads_to_the_signing_page_and_back_to_the_plan(
    login, org, chairman, signs_own, pki
):
    campaign = awaiting_plan(org, chairman)
    document = campaign.issued_document
    client = login(chairman)
    tasks = {
        task.key: task
        for task in inbox_for(user=chairman, organization=org, today=timezone.localdate())
    }
    to_sign = tasks["documents_to_sign"]
    assert to_sign.count == 1
    plan_page = reverse("campaigns:detail", args=[campaign.pk])
    assert to_sign.url == (
        f"{reverse('documents:sign', args=[document.pk])}?{urlencode({'next': plan_page})}"
    )
    signed = sign_as(unsigned_copy(client, document), pki.signer(pki.person("Lê Duy Bảo")))
    response = client.post(
        to_sign.url,
        {"pdf": SimpleUploadedFile("da-ky.pdf", signed, content_type="application/pdf")},
    )
    assert response.status_code == 302
    assert response.url == plan_page
    assert {
        task.key: task.count
        for task in inbox_for(user=chairman, organization=org, today=timezone.localdate())
    }.get("documents_to_sign", 0) == 0


def test_the_signing_page_of_a_signed_document_leads_to_its_page_not_to_itself(
    login, org, chairman, signs_own, pki
):
    """A bookmark or the Back button after signing must not loop on the signing page."""
    campaign = awaiting_plan(org, chairman)
    document = campaign.issued_document
    client = login(chairman)
    plan_page = reverse("campaigns:detail", args=[campaign.pk])
    signed = sign_as(unsigned_copy(client, document), pki.signer(pki.person("Lê Duy Bảo")))
    assert upload(client, document, signed).url == plan_page
    response = client.get(reverse("documents:sign", args=[document.pk]))
    assert response.status_code == 302
    assert response.url == plan_page
    assert client.get(response.url).status_code == 200


def test_a_decision_waiting_for_its_signer_is_in_the_inbox_leading_back_to_the_decision(
    org, chairman, pki, unit
):
    campaign = complete_plan(CampaignFactory(organization=org, year=2025))
    campaigns.campaign_issue(actor=chairman, campaign=campaign)
    org.signer_signs_pdf = True
    org.save(update_fields=["signer_signs_pdf"])
    pki.seal_for(org)
    nomination = NominationFactory(campaign=campaign, unit=unit, status="passed")
    signed_at = timezone.now()
    decision = awards.decision_issue(
        actor=chairman,
        nominations=[nomination],
        decided_on=timezone.localdate(signed_at),
        signed_at=signed_at,
    )
    assert decision.issued_document.is_awaiting_signature
    tasks = {
        task.key: task
        for task in inbox_for(user=chairman, organization=org, today=timezone.localdate())
    }
    decision_page = reverse("awards:decision", args=[decision.pk])
    assert tasks["documents_to_sign"].count == 1
    assert tasks["documents_to_sign"].url.endswith(urlencode({"next": decision_page}))
