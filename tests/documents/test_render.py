"""What every format must print, in reading order: one spec in, the same text out."""

import unicodedata
from dataclasses import replace

import pytest

from danvan.documents.layout import Paragraph, Run, SignatureBlock, Table
from danvan.documents.render import render_docx, render_pdf
from tests.documents.specs import SIGNATURE_LINES, decision, seed_plan
from tests.documents.text import docx_text, missing_in_order, pdf_text

TEXT_OF = {
    "docx": lambda doc: docx_text(render_docx(doc)),
    "pdf": lambda doc: pdf_text(render_pdf(doc)),
}
FORMATS = sorted(TEXT_OF)


def reading_order(doc) -> list[str]:
    """Everything the document prints, in the order a reader meets it."""
    body = []
    for block in doc.body:
        if isinstance(block, Table):
            body.extend(block.headers)
            body.extend(cell for row in block.rows for cell in row)
        else:
            body.append(block.text)
    signature = doc.signature
    return [
        *([doc.header_parent] if doc.header_parent else []),
        *doc.header_lines,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        doc.number_line,
        doc.date_line,
        doc.kind_title,
        doc.subject,
        *body,
        "Nơi nhận:",
        *([signature.mode_line] if signature.mode_line else []),
        signature.title,
        *(f"- {line}" for line in doc.recipients),
        signature.name,
        *(s.line for s in signature.signatures),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seed_plan_prints_every_part_in_reading_order(fmt):
    doc = seed_plan()
    text = TEXT_OF[fmt](doc)
    assert missing_in_order(text, reading_order(doc)) == []
    assert "Số: 46/KH-UBND" in text
    assert "Phổ Minh, ngày 19 tháng 3 năm 2024" in text
    assert "- Lưu: VT. Lê Duy Bảo" in text  # the last recipient, then the signer
    assert missing_in_order(text, SIGNATURE_LINES) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_decision_prints_parent_body_mode_line_and_table_in_reading_order(fmt):
    doc = decision()
    text = TEXT_OF[fmt](doc)
    assert missing_in_order(text, reading_order(doc)) == []
    assert (
        missing_in_order(
            text,
            [
                "ỦY BAN NHÂN DÂN THỊ XÃ ĐỨC PHỔ ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH",
                "Số: 12/QĐ-UBND",
                "Phổ Minh, ngày 05 tháng 02 năm 2025",
                "QUYẾT ĐỊNH",
                "Điều 1. Tặng Giấy khen",
                "TT Tập thể, cá nhân Số tiền (đồng)",
                "1 Bộ phận Một cửa phường Phổ Minh 1.000.000",
                "3 Nguyễn Thị Lan, công chức Văn phòng – Thống kê 500.000",
                "Điều 2.",
                "Nơi nhận: KT. CHỦ TỊCH PHÓ CHỦ TỊCH - Phòng Nội vụ thị xã;",
                "- Lưu: VT. Võ Thị Hoa Ký số: Võ Thị Hoa – 09:28:22 ngày 19/03/2024",
            ],
        )
        == []
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_draft_is_marked_and_leaves_number_and_date_blank(fmt):
    text = TEXT_OF[fmt](seed_plan(draft=True, date=None))
    assert text.startswith("DỰ THẢO ỦY BAN NHÂN DÂN")
    assert "Số: /KH-UBND" in text  # the blank is there, flattened to one space
    assert "46/KH-UBND" not in text
    assert "Phổ Minh, ngày tháng năm KẾ HOẠCH" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_issued_document_carries_no_draft_mark(fmt):
    assert "DỰ THẢO" not in TEXT_OF[fmt](seed_plan())


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_official_signs_in_their_own_name_without_a_mode_line(fmt):
    text = TEXT_OF[fmt](seed_plan())
    assert "Nơi nhận: CHỦ TỊCH - Phòng Nội vụ thị xã;" in text
    assert "TM." not in text
    assert "KT." not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_decomposed_input_prints_composed(fmt):
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    doc = seed_plan(
        header_lines=(nfd("ỦY BAN NHÂN DÂN"), nfd("PHƯỜNG PHỔ MINH")),
        subject=nfd("Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024"),
        body=(
            Paragraph((Run(nfd("Điều 1. "), bold=True), Run(nfd("Tặng Giấy khen."))), "article"),
        ),
        recipients=(nfd("Phòng Nội vụ thị xã;"), "Lưu: VT."),
        signature=SignatureBlock(title="CHỦ TỊCH", name=nfd("Lê Duy Bảo")),
    )
    text = TEXT_OF[fmt](doc)
    assert unicodedata.is_normalized("NFC", text)
    assert (
        missing_in_order(
            text,
            [
                "PHƯỜNG PHỔ MINH",
                "Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024",
                "Điều 1. Tặng Giấy khen.",
                "- Phòng Nội vụ thị xã;",
                "Lê Duy Bảo",
            ],
        )
        == []
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_in_text_prints_literally_and_fetches_nothing(fmt):
    doc = seed_plan(
        body=(Paragraph.of('<img src="https://example.com/x.png"> & <b>không đậm</b>'),)
    )
    text = TEXT_OF[fmt](doc)
    assert '<img src="https://example.com/x.png"> & <b>không đậm</b>' in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_line_breaks_inside_a_paragraph_are_kept(fmt):
    doc = seed_plan(body=(Paragraph.of("Dòng thứ nhất\nDòng thứ hai", "plain"),))
    text = TEXT_OF[fmt](doc)
    assert "Dòng thứ nhất Dòng thứ hai" in text
    assert "Dòng thứ nhấtDòng" not in text


def test_the_same_spec_prints_the_same_text_in_both_formats():
    doc = replace(decision(), body=decision().body[:3])
    assert TEXT_OF["docx"](doc) == TEXT_OF["pdf"](doc)
