import pytest
from docx.enum.section import WD_ORIENTATION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from danvan.documents.layout import SignatureBlock, Table
from danvan.documents.render import render_docx
from tests.documents.specs import AWARDEES, SIGNATURE_METADATA, decision, long_plan, seed_plan
from tests.documents.text import docx_document, docx_lines


@pytest.fixture(scope="module")
def plan():
    return docx_document(render_docx(seed_plan()))


@pytest.fixture(scope="module")
def award():
    return docx_document(render_docx(decision()))


def test_docx_page_is_a4_portrait_with_decree_30_margins(plan):
    section = plan.sections[0]
    assert section.orientation == WD_ORIENTATION.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(margin.mm) for margin in margins) == (20, 20, 30, 15)


def test_docx_text_is_times_new_roman_14_pt_for_every_script(plan):
    defaults = plan.styles.element.find(qn("w:docDefaults"))
    for rpr in (
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")),
        plan.styles["Normal"].element.rPr,
    ):
        fonts = rpr.find(qn("w:rFonts"))
        slots = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
        assert {slot: fonts.get(qn(slot)) for slot in slots} == dict.fromkeys(
            slots, "Times New Roman"
        )
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would win over the name
    assert plan.styles["Normal"].font.size == Pt(14)
    assert (
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val"))
        == "vi-VN"
    )


def test_docx_core_properties_name_the_document_in_vietnamese(plan):
    properties = plan.core_properties
    assert properties.title == (
        "KẾ HOẠCH Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024"
    )
    assert properties.language == "vi-VN"
    assert properties.author == "ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH"
    assert properties.keywords == "; ".join(("Số: 46/KH-UBND", *SIGNATURE_METADATA))


def test_docx_title_property_can_be_set_by_the_caller():
    document = docx_document(render_docx(seed_plan(title="Kế hoạch 46/KH-UBND")))
    assert document.core_properties.title == "Kế hoạch 46/KH-UBND"


def test_docx_header_is_a_two_row_table_read_row_by_row(award):
    header = award.tables[0]
    assert len(header.rows) == 2
    cells = [[cell.text for cell in row.cells] for row in header.rows]
    assert cells[0][0].split("\n")[:3] == [
        "ỦY BAN NHÂN DÂN THỊ XÃ ĐỨC PHỔ",
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG PHỔ MINH",
    ]
    assert cells[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert cells[1] == ["Số: 12/QĐ-UBND", "Phổ Minh, ngày 05 tháng 02 năm 2025"]


def test_docx_header_formats_issuer_bold_motto_underlined_date_italic(award):
    header = award.tables[0]
    issuer, nation = header.rows[0].cells
    parent, body_line = issuer.paragraphs[0].runs[0], issuer.paragraphs[1].runs[0]
    assert (parent.bold, parent.font.size) == (None, Pt(13))
    assert (body_line.bold, body_line.font.size) == (True, Pt(13))
    rule = issuer.paragraphs[-1]
    assert rule.text == ""
    assert rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    title, motto = nation.paragraphs[0].runs[0], nation.paragraphs[1].runs[0]
    assert (title.bold, title.font.size) == (True, Pt(13))
    assert (motto.bold, motto.underline, motto.font.size) == (True, True, Pt(14))
    date_run = header.rows[1].cells[1].paragraphs[0].runs[0]
    assert date_run.italic is True
    for paragraph in (*issuer.paragraphs, *nation.paragraphs):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_docx_body_paragraphs_use_the_layout_styles(plan):
    styles = {paragraph.text[:20]: paragraph.style for paragraph in plan.paragraphs}
    basis = styles["Căn cứ kế hoạch số 4"]
    heading = styles["I. MỤC ĐÍCH, YÊU CẦU"]
    body = styles["1. Tiếp tục nâng cao"]
    assert basis.name == "Official Basis"
    assert basis.font.italic is True
    assert heading.name == "Official Heading"
    assert heading.font.bold is True
    assert heading.paragraph_format.keep_with_next is True
    assert body.name == "Official Body"
    for style in (basis, heading, body):
        assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert round(style.paragraph_format.first_line_indent.mm, 1) == 10
        assert style.paragraph_format.space_after == Pt(6)
    assert plan.styles["Official Plain"].paragraph_format.first_line_indent == 0
    assert plan.styles["Official Center"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_docx_article_lead_run_is_bold(award):
    article = next(p for p in award.paragraphs if p.text.startswith("Điều 1."))
    assert article.style.name == "Official Article"
    assert [(run.text, run.bold) for run in article.runs] == [
        ("Điều 1. ", True),
        ("Tặng Giấy khen cho các tập thể, cá nhân có tên sau:", None),
    ]


def test_docx_data_table_is_bordered_with_a_repeating_bold_header_row(award):
    table = award.tables[1]
    assert table.style.name == "Table Grid"
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [cell.text for cell in header.cells] == list(AWARDEES.headers)
    assert all(cell.paragraphs[0].runs[0].bold for cell in header.cells)
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == [
        list(row) for row in AWARDEES.rows
    ]
    amount = table.rows[1].cells[2].paragraphs[0]
    name = table.rows[1].cells[1].paragraphs[0]
    assert amount.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert name.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert amount.runs[0].font.size == Pt(12)


def test_docx_data_table_columns_follow_the_relative_widths(award):
    widths = [column.width for column in award.tables[1].columns]
    assert [round(width / sum(widths), 2) for width in widths] == [0.1, 0.6, 0.3]


def test_docx_closing_is_two_rows_recipients_left_signature_right(award):
    closing = award.tables[-1]
    assert len(closing.rows) == 2
    label, title = closing.rows[0].cells
    recipients, signer = closing.rows[1].cells
    assert label.text == "Nơi nhận:"
    label_run = label.paragraphs[0].runs[0]
    assert (label_run.bold, label_run.italic, label_run.font.size) == (True, True, Pt(12))
    assert title.text == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    assert all(p.runs[0].bold for p in title.paragraphs)
    lines = recipients.text.split("\n")
    assert lines[0] == "- Phòng Nội vụ thị xã;"
    assert lines[-1] == "- Lưu: VT."
    assert recipients.paragraphs[0].runs[0].font.size == Pt(11)
    signer_lines = [p.text for p in signer.paragraphs]
    assert signer_lines[:3] == ["", "", ""]  # room for the signature and the seal
    assert signer_lines[3:] == [
        "Võ Thị Hoa",
        "Ký số: Võ Thị Hoa – 09:28:22 ngày 19/03/2024",
    ]
    assert signer.paragraphs[3].runs[0].bold is True
    assert signer.paragraphs[4].runs[0].italic is True


def test_docx_page_numbers_from_page_two_centred_at_the_top():
    document = docx_document(render_docx(long_plan()))
    section = document.sections[0]
    assert section.different_first_page_header_footer is True
    header = section.header
    assert not header.is_linked_to_previous
    instructions = [node.text.strip() for node in header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert list(first._element.iter(qn("w:instrText"))) == []
    assert "".join(p.text for p in first.paragraphs) == ""


def test_docx_long_table_marks_its_header_row_once_and_keeps_rows_whole():
    rows = tuple(
        (str(n), f"Tập thể số {n}", f"{n * 100_000:,}".replace(",", ".")) for n in range(80)
    )
    table = Table(headers=AWARDEES.headers, rows=rows, numeric=AWARDEES.numeric)
    document = docx_document(render_docx(seed_plan(body=(table,))))
    grid = document.tables[1]
    flags = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in grid.rows
    ]
    assert flags == [True] + [False] * 80
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in grid.rows[1:])
    assert "Tập thể số 79" in docx_lines(render_docx(seed_plan(body=(table,))))


def test_docx_table_without_lines_keeps_only_its_header_row():
    table = Table(headers=AWARDEES.headers, rows=(), numeric=AWARDEES.numeric)
    grid = docx_document(render_docx(seed_plan(body=(table,)))).tables[1]
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [list(AWARDEES.headers)]


def test_docx_table_lines_each_keep_their_own_text_and_line_breaks():
    rows = (
        ("1", "Tổ dân phố 1\nTrưởng ban", "100.000"),
        ("2", "Tổ dân phố 2", ""),
        ("3", "  Chi hội 3 ", "\t50.000"),
    )
    table = Table(headers=AWARDEES.headers, rows=rows, numeric=AWARDEES.numeric)
    grid = docx_document(render_docx(seed_plan(body=(table,)))).tables[1]
    assert [[cell.text for cell in row.cells] for row in grid.rows[1:]] == [list(r) for r in rows]
    first, second, third = grid.rows[1:]
    assert third.cells[1]._tc.find(".//" + qn("w:t")).get(qn("xml:space")) == "preserve"
    assert third.cells[2]._tc.find(".//" + qn("w:tab")) is not None
    assert first.cells[1]._tc.find(".//" + qn("w:br")) is not None
    assert second.cells[2].paragraphs[0].runs[0].text == ""
    assert second.cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


# Schema order of paragraph and run properties (ECMA-376 CT_PPr, CT_RPr): Word reports
# a file with properties out of this order as corrupt.
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


def _out_of_order(element, order) -> list[str]:
    names = [child.tag.split("}")[1] for child in element]
    positions = [order.index(name) for name in names if name in order]
    return names if positions != sorted(positions) else []


def test_docx_properties_follow_the_schema_order():
    document = docx_document(render_docx(decision(draft=True)))
    parts = [document.element, document.styles.element, document.sections[0].header._element]
    problems = []
    for part in parts:
        problems += [_out_of_order(p, PPR_ORDER) for p in part.iter(qn("w:pPr"))]
        problems += [_out_of_order(r, RPR_ORDER) for r in part.iter(qn("w:rPr"))]
    assert [problem for problem in problems if problem] == []


def test_docx_a_countersignature_signs_beside_the_signature_with_recipients_under():
    doc = decision(
        signature=SignatureBlock(title="CHỦ TRÌ", name="Lê Duy Bảo"),
        countersignature=SignatureBlock(title="THƯ KÝ", name="Nguyễn Thị Lan"),
    )
    closing = docx_document(render_docx(doc)).tables[-1]
    assert len(closing.rows) == 3
    assert [cell.text for cell in closing.rows[0].cells] == ["THƯ KÝ", "CHỦ TRÌ"]
    assert [cell.text.strip() for cell in closing.rows[1].cells] == [
        "Nguyễn Thị Lan",
        "Lê Duy Bảo",
    ]
    assert closing.rows[2].cells[0].text.split("\n")[0] == "Nơi nhận:"


def test_docx_the_closing_keeps_together_and_with_the_last_paragraph(award):
    body = [p for p in award.paragraphs if p.text]
    assert body[-1].text.startswith("Điều 2.")
    assert body[-1].paragraph_format.keep_with_next is True
    closing = award.tables[-1]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in closing.rows)
    assert all(
        paragraph.paragraph_format.keep_with_next
        for cell in closing.rows[0].cells
        for paragraph in cell.paragraphs
    )
