"""The seed plan 46/KH-UBND, entered by seed_demo and issued by the portal, reproduces the
ward's own document: every line of the original appears in the portal's DOCX and PDF, in
the same order (compared with all white space removed, since the original's lines are
wrapped where its page was)."""

import re
import unicodedata
from pathlib import Path

import pytest
from django.utils.timezone import localtime

from campaigns.models import Campaign
from tests.documents.text import docx_lines, pdf_pages

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "data" / "ke-hoach-46-KH-UBND-2024.txt"


ISO_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d)\+0700")


def compact(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # The original shows the signing times as ISO 8601 (2024-03-19T09:28:22+0700); the
    # portal prints the same moments as a reader writes them ("09:28:22 ngày 19/03/2024")
    # and keeps ISO 8601 in the files' properties.
    text = ISO_TIME.sub(r"\4 ngày \3/\2/\1", text)
    return "".join(text.split())


def seed_segments() -> list[str]:
    """The original's text pieces in reading order; a line holding two columns
    ("Số: …      Phổ Minh, ngày …") gives one piece per column."""
    pieces = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        pieces.extend(part for part in re.split(r"\s{2,}", line.strip()) if part)
    return pieces


def missing_in_order(document_text: str, segments: list[str]) -> list[str]:
    haystack, position, missing = compact(document_text), 0, []
    for segment in segments:
        found = haystack.find(compact(segment), position)
        if found < 0:
            missing.append(segment)
        else:
            position = found + len(compact(segment))
    return missing


@pytest.fixture
def seed_plan_files(demo):
    campaign = Campaign.objects.get(organization__code="pho-minh", year=2024)
    issued = campaign.issued_document
    with issued.docx.open("rb") as docx_file, issued.pdf.open("rb") as pdf_file:
        return campaign, docx_file.read(), pdf_file.read()


def test_seed_demo_issues_plan_46_with_its_number_date_signer_and_signature_times(seed_plan_files):
    campaign, _docx, _pdf = seed_plan_files
    issued = campaign.issued_document
    assert issued.number_symbol == "46/KH-UBND"
    assert campaign.plan_issue_date.isoformat() == "2024-03-19"
    assert issued.issued_by.full_name == "Lê Duy Bảo"
    assert [localtime(s.signed_at).isoformat() for s in issued.signatures.all()] == [
        "2024-03-19T09:28:22+07:00",
        "2024-03-19T09:30:31+07:00",
    ]


def test_the_seed_plans_docx_contains_the_original_wording_in_order(seed_plan_files):
    _campaign, docx, _pdf = seed_plan_files
    segments = seed_segments()
    assert len(segments) == 74  # the whole original, not an empty read
    assert missing_in_order(" ".join(docx_lines(docx)), segments) == []


def test_the_seed_plans_pdf_contains_the_original_wording_in_order(seed_plan_files):
    _campaign, _docx, pdf = seed_plan_files
    lines = [
        line
        for number, page in enumerate(pdf_pages(pdf), start=1)
        for line in page
        if line != str(number)  # page numbers
    ]
    assert missing_in_order(" ".join(lines), seed_segments()) == []


def test_a_changed_word_would_be_caught(seed_plan_files):
    _campaign, docx, _pdf = seed_plan_files
    text = " ".join(docx_lines(docx)).replace(
        "Tiếp tục nâng cao nhận thức", "Tiếp tục nâng cao ý thức"
    )
    assert missing_in_order(text, seed_segments()) != []


def test_the_seed_plans_files_keep_the_iso_signing_times_in_their_properties(seed_plan_files):
    import io

    from docx import Document
    from pypdf import PdfReader

    _campaign, docx, pdf = seed_plan_files
    keywords = Document(io.BytesIO(docx)).core_properties.keywords
    pdf_keywords = PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]
    for expected in (
        "Số: 46/KH-UBND",
        "Ký số: Lê Duy Bảo 2024-03-19T09:28:22+07:00",
        "Ký số cơ quan ban hành: Ủy ban nhân dân phường Phổ Minh 2024-03-19T09:30:31+07:00",
    ):
        assert expected in keywords
        assert expected in pdf_keywords
