"""Checking a PDF, for users and (where the organisation allows it) for anyone: by its
hash, by its printed code, by its number and date; and the same from manage.py."""

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from campaigns import services as campaigns
from danvan.documents.models import DocumentSignature
from tests.factories import CampaignFactory, complete_plan
from tests.signing import flip_byte

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(org, chairman, pki):
    pki.seal_for(org)
    campaign = complete_plan(CampaignFactory(organization=org, year=2025))
    document = campaigns.campaign_issue(actor=chairman, campaign=campaign).issued_document
    with document.pdf.open("rb") as handle:
        return document, handle.read()


class _Rewinding(SimpleUploadedFile):
    """An upload the test client can send more than once (``queries_for`` posts twice)."""

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def pdf(content: bytes):
    return _Rewinding("tep.pdf", content, content_type="application/pdf")


def check(client, content, url=None, **data):
    return client.post(url or reverse("documents:verify"), {"pdf": pdf(content), **data})


def test_a_member_checks_an_issued_pdf_and_sees_who_signed_it_and_when(login, viewer, issued, org):
    document, content = issued
    page = check(login(viewer), content).content.decode()
    assert 'data-testid="verdict-original"' in page
    assert f"Đây là văn bản số {document.number_symbol} do {org.name}" in page
    seal = document.signatures.get(role="seal")
    assert seal.signed_at.astimezone().strftime("%H:%M:%S") in page
    assert 'data-testid="file-signatures"' in page
    assert "chữ ký nguyên vẹn" in page
    assert "chứng thư được tin cậy" in page


def test_a_changed_copy_is_told_apart_by_number_and_date(login, viewer, issued):
    document, content = issued
    changed = flip_byte(content, len(content) // 3)
    page = check(
        login(viewer),
        changed,
        number=document.number_symbol,
        dated=document.dated.isoformat(),
    ).content.decode()
    assert 'data-testid="verdict-not-original"' in page
    assert f"KHÔNG phải bản đã ban hành của văn bản số {document.number_symbol}" in page
    wrong_date = check(
        login(viewer), changed, number=document.number_symbol, dated="2020-01-01"
    ).content.decode()
    assert "Không tìm thấy tệp này" in wrong_date


def test_the_printed_code_leads_to_the_document_and_checks_a_file_against_it(login, viewer, issued):
    document, content = issued
    url = reverse("documents:verify_code", args=[document.verification_code_display.lower()])
    client = login(viewer)
    page = client.get(url).content.decode()
    assert document.number_symbol in page
    assert document.subject in page
    unreadable = check(client, b"%PDF-1.7\n% not the document\n", url).content.decode()
    assert 'data-testid="verdict-unreadable"' in unreadable
    other = check(client, flip_byte(content, len(content) // 3), url).content.decode()
    assert 'data-testid="verdict-not-original"' in other
    assert f"KHÔNG phải bản đã ban hành của văn bản số {document.number_symbol}" in other
    same = check(client, content, url).content.decode()
    assert 'data-testid="verdict-original"' in same


def test_a_visitor_checks_only_where_the_organisation_allows_it(issued, org):
    document, content = issued
    visitor = Client()
    code_url = reverse("documents:verify_code", args=[document.verification_code])
    for url in (reverse("documents:verify"), code_url):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    org.public_verification = True
    org.save(update_fields=["public_verification"])
    assert visitor.get(code_url).status_code == 200
    page = check(visitor, content).content.decode()
    assert 'data-testid="verdict-original"' in page


def test_a_visitor_learns_nothing_of_an_organisation_that_keeps_its_documents(issued, other_org):
    """Another organisation lets anyone check; this one does not: its document is not
    found for a visitor, and its page asks them to sign in."""
    _document, content = issued
    other_org.public_verification = True
    other_org.save(update_fields=["public_verification"])
    page = check(Client(), content).content.decode()
    assert 'data-testid="verdict-original"' not in page
    assert "Không tìm thấy tệp này" in page


def test_another_organisations_staff_cannot_see_the_document(login, outsider, issued):
    document, content = issued
    client = login(outsider)
    url = reverse("documents:verify_code", args=[document.verification_code])
    assert client.get(url).status_code == 404
    page = check(client, content).content.decode()
    assert 'data-testid="verdict-original"' not in page
    assert document.subject not in page


def test_an_unknown_code_is_not_found(login, viewer, issued):
    assert login(viewer).get(reverse("documents:verify_code", args=["ZZZZ"])).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_with_the_reason(login, viewer, issued):
    response = check(login(viewer), b"GIF89a")
    page = response.content.decode()
    assert 'data-testid="form-errors"' in page
    assert "không phải tệp PDF" in page
    bad_number = check(login(viewer), issued[1], number="bốn sáu").content.decode()
    assert "Hãy ghi số và ký hiệu như trên văn bản" in bad_number


def test_the_check_page_takes_as_many_queries_for_three_signatures_as_for_one(
    login, viewer, issued, queries_for
):
    document, content = issued
    client = login(viewer)
    url = reverse("documents:verify_code", args=[document.verification_code])
    document.signatures.filter(role="signer").delete()
    one = queries_for(client, url)
    one_post = queries_for(client, url, method="post", data={"pdf": pdf(content)})
    for name in ("Võ Thị Hoa", "Trần Văn Nam"):
        DocumentSignature.objects.create(
            document=document, role="signer", label="Ký số", signer_name=name
        )
    assert document.signatures.count() == 3
    assert queries_for(client, url) == one
    assert queries_for(client, url, method="post", data={"pdf": pdf(content)}) == one_post
    assert 'data-testid="verdict-original"' in check(client, content, url).content.decode()


def test_the_general_check_takes_as_many_queries_for_three_signatures_as_for_one(
    login, viewer, issued, queries_for
):
    document, content = issued
    client = login(viewer)
    url = reverse("documents:verify")
    document.signatures.filter(role="signer").delete()
    one = queries_for(client, url, method="post", data={"pdf": pdf(content)})
    for name in ("Võ Thị Hoa", "Trần Văn Nam"):
        DocumentSignature.objects.create(
            document=document, role="signer", label="Ký số", signer_name=name
        )
    assert queries_for(client, url, method="post", data={"pdf": pdf(content)}) == one
    assert 'data-testid="verdict-original"' in check(client, content).content.decode()


def test_the_command_checks_a_file_as_the_page_does(issued, tmp_path):
    document, content = issued
    original = tmp_path / "original.pdf"
    original.write_bytes(content)
    out = StringIO()
    call_command("verify_document", str(original), stdout=out)
    assert f"Issued document {document.number_symbol}" in out.getvalue()
    assert "intact, trusted" in out.getvalue()
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(flip_byte(content, len(content) // 3))
    out = StringIO()
    with pytest.raises(CommandError, match="Verification failed"):
        call_command(
            "verify_document", str(changed), "--number", document.number_symbol, stdout=out
        )
    assert f"NOT the file issued as {document.number_symbol}" in out.getvalue()
    with pytest.raises(CommandError, match="Not a readable PDF"):
        call_command("verify_document", str(_write(tmp_path, b"%PDF-garbage")), stdout=StringIO())


def _write(tmp_path, content):
    path = tmp_path / "other.pdf"
    path.write_bytes(content)
    return path


def test_a_pdf_from_elsewhere_shows_its_signatures_and_is_not_ours(login, viewer, db, pki):
    from campaigns.demo import seed_plan_document
    from danvan.documents.render import render_pdf
    from tests.signing import sign_as

    content = sign_as(render_pdf(seed_plan_document()), pki.signer(pki.person("Ai Đó")))
    page = check(login(viewer), content).content.decode()
    assert "Không tìm thấy tệp này" in page
    assert "Ai Đó" in page
    assert "chữ ký nguyên vẹn" in page
    assert io.BytesIO(content).read(5) == b"%PDF-"
