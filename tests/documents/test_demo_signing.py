"""The local demo needs no certificate: with DEBUG on, seed_demo makes a throwaway test CA
under var/ and signs the demo's documents with it, marked as test signatures; with DEBUG
off nothing is made. And the seed plan, sealed, still reads word for word."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign
from danvan.documents import signing
from tests.campaigns.test_seed_plan import missing_in_order, seed_segments
from tests.documents.text import pdf_pages

pytestmark = pytest.mark.django_db


def test_with_debug_on_seed_demo_makes_test_keys_and_signs_the_demo(settings, tmp_path):
    settings.DEBUG = True
    settings.SIGNING_TEST_DIR = tmp_path / "test-signing"
    settings.SIGNING_KEYS_DIR = settings.SIGNING_TEST_DIR / "seals"
    settings.SIGNING_TRUST_DIR = settings.SIGNING_TEST_DIR / "trust"
    out = StringIO()
    call_command("seed_demo", "--password", "thu-nghiem", stdout=out)
    assert "Test certificates (never for real documents)" in out.getvalue()
    directory = Path(settings.SIGNING_TEST_DIR)
    assert (directory / "trust" / "test-ca.pem").is_file()
    assert {path.name for path in (directory / "seals").glob("*.p12")} == {
        "pho-minh.p12",
        "nguyen-nghiem.p12",
        "quang-ngai.p12",
    }
    assert (directory / "people" / "phominh.chutich.p12").is_file()
    assert (directory / "people" / "phominh.chutich.password").stat().st_mode & 0o077 == 0
    plan = Campaign.objects.get(organization__code="pho-minh", year=2024).issued_document
    with plan.pdf.open("rb") as handle:
        content = handle.read()
    (seal,) = signing.check_pdf(content).signatures
    assert seal.sound
    assert seal.trusted
    assert seal.certificate.is_test
    assert plan.signatures.get(role="seal").test_certificate is True
    # Again: nothing new is made.
    again = StringIO()
    call_command("signing_test_keys", stdout=again)
    assert "Created" not in again.getvalue()


def test_with_debug_off_no_test_key_is_made(settings, tmp_path):
    settings.DEBUG = False
    settings.SIGNING_TEST_DIR = tmp_path / "test-signing"
    with pytest.raises(CommandError, match="local demo only"):
        call_command("signing_test_keys", stdout=StringIO())
    call_command("seed_demo", "--password", "thu-nghiem", stdout=StringIO())
    assert not Path(settings.SIGNING_TEST_DIR).exists()


def test_the_sealed_seed_plan_still_reads_word_for_word(settings, pki):
    """tests/campaigns/test_seed_plan.py's check, on the sealed PDF of plan 46."""
    from danvan.accounts.models import Organization

    pki.seal_for(Organization(code="pho-minh", name="Ủy ban nhân dân phường Phổ Minh"))
    call_command("seed_demo", "--password", "thu-nghiem", stdout=StringIO())
    plan = Campaign.objects.get(organization__code="pho-minh", year=2024).issued_document
    with plan.pdf.open("rb") as handle:
        content = handle.read()
    (seal,) = signing.check_pdf(content).signatures
    assert seal.sound
    assert seal.trusted
    assert not seal.certificate.is_test
    lines = [
        line
        for number, page in enumerate(pdf_pages(content), start=1)
        for line in page
        if line != str(number)
    ]
    assert missing_in_order(" ".join(lines), seed_segments()) == []
    assert plan.signatures.get(role="seal").signed_at.isoformat() == "2024-03-19T02:30:31+00:00"
