"""The DOCX of an official document, built with python-docx.

Word styles carry the body formatting ("Official Body", "Official Basis", …) so whoever
edits the file keeps the layout; header, closing and tables use direct formatting.
"""

import io
from copy import deepcopy
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_ORIENTATION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt, RGBColor

from danvan.documents import geometry
from danvan.documents.layout import (
    DOCX_UNSIGNED_NOTE,
    DRAFT_MARK,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    PARTY,
    PARTY_STAR,
    PARTY_TITLE,
    RECIPIENTS_LABEL,
    VERIFICATION_CODE_LABEL,
    VERIFICATION_LABEL,
    OfficialDocument,
    Paragraph,
    Table,
    normalized,
)

FONT = "Times New Roman"
LANGUAGE = "vi-VN"


def _text_width() -> Mm:
    margins = geometry.MARGINS_MM
    return Mm(geometry.PAGE_WIDTH_MM - margins["left"] - margins["right"])


CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)

# Paragraph style of the layout -> (Word style name, first-line indent, alignment, bold, italic)
BODY_STYLES = {
    "body": ("Official Body", True, JUSTIFY, False, False),
    "basis": ("Official Basis", True, JUSTIFY, False, True),
    "heading": ("Official Heading", True, JUSTIFY, True, False),
    "plain": ("Official Plain", False, JUSTIFY, False, False),
    "center": ("Official Center", False, CENTER, False, False),
    "article": ("Official Article", True, JUSTIFY, False, False),
}


def _set_fonts(rpr) -> None:
    """Times New Roman for every script slot; Word picks the slot per character."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]  # theme fonts would win over the names below
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _set_defaults(document) -> None:
    """Document defaults: Times New Roman 14 pt, Vietnamese, 1.15 lines, no spacing."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(geometry.BODY_PT * 2))  # half-points
    rpr.find(qn("w:lang")).set(qn("w:val"), LANGUAGE)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(round(240 * geometry.LINE_SPACING)))
    spacing.set(qn("w:lineRule"), "auto")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(geometry.BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    for name, indent, alignment, bold, italic in BODY_STYLES.values():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.bold = bold
        style.font.italic = italic
        fmt = style.paragraph_format
        fmt.alignment = alignment
        fmt.first_line_indent = Mm(geometry.FIRST_LINE_INDENT_MM if indent else 0)
        fmt.space_after = Pt(geometry.PARAGRAPH_AFTER_PT)
        fmt.widow_control = True
        if name == BODY_STYLES["heading"][0]:
            fmt.keep_with_next = True  # a heading stays with its first paragraph


def _set_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENTATION.PORTRAIT
    margins = {side: Mm(length) for side, length in geometry.MARGINS_MM.items()}
    section.page_width = Mm(geometry.PAGE_WIDTH_MM)
    section.page_height = Mm(geometry.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.header_distance = section.footer_distance = Mm(10)
    # Page numbers centred at the top of every page but the first.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    _page_field(paragraph.add_run())
    paragraph.runs[0].font.size = Pt(geometry.HEADER_PT)


def _page_field(run) -> None:
    """A PAGE field: Word and LibreOffice fill in each page's number."""

    def field_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for element in (field_char("begin"), instruction, field_char("separate"), field_char("end")):
        run._r.append(element)


def _format(
    paragraph,
    *,
    alignment=CENTER,
    space_before: int = 0,
    space_after: int = 0,
    keep_with_next: bool = False,
):
    fmt = paragraph.paragraph_format
    fmt.alignment = alignment
    fmt.first_line_indent = Mm(0)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def _text(
    paragraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
):
    run = paragraph.add_run(text)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.underline = underline or None
    return run


# The paragraph properties that follow w:pBdr in the schema (CT_PPr).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def _rule(paragraph, width, fraction: float):
    """Make ``paragraph`` a short centred horizontal line: empty, with a bottom border."""
    fmt = _format(paragraph).paragraph_format
    fmt.left_indent = fmt.right_indent = int(width * (1 - fraction) / 2)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects paragraph properties out of schema order.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _spacer(document, points: float):
    """An empty paragraph exactly ``points`` high."""
    paragraph = _format(document.add_paragraph())
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(points)
    return paragraph


def _layout_table(document, rows: int, fractions: tuple[float, ...]):
    """A borderless table of fixed column widths (Word's "Normal Table" has no borders)."""
    table = document.add_table(rows=rows, cols=len(fractions))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = _text_width()
    widths = [int(width * fraction) for fraction in fractions]
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = widths[index]
    return table, widths


def _row_property(row, tag: str) -> None:
    element = OxmlElement(tag)
    row._tr.get_or_add_trPr().append(element)


def _header(document, doc: OfficialDocument) -> None:
    table, widths = _layout_table(document, 2, geometry.HEADER_COLUMNS)
    issuer, nation = table.rows[0].cells
    first = issuer.paragraphs[0]
    lines = ([(doc.header_parent, False)] if doc.header_parent else []) + [
        (line, True) for line in doc.header_lines
    ]
    for index, (line, bold) in enumerate(lines):
        paragraph = first if index == 0 else issuer.add_paragraph()
        _text(_format(paragraph), line, size=geometry.HEADER_PT, bold=bold)
    if doc.layout == PARTY:
        # The Party's layout: a star under the body; its title over a rule, no motto.
        _text(_format(issuer.add_paragraph()), PARTY_STAR, size=geometry.HEADER_PT)
        _text(_format(nation.paragraphs[0]), PARTY_TITLE, size=geometry.HEADER_PT, bold=True)
        _rule(nation.add_paragraph(), widths[1], geometry.PARTY_RULE)
    else:
        _rule(issuer.add_paragraph(), widths[0], 1 / 3)
        _text(_format(nation.paragraphs[0]), NATIONAL_TITLE, size=geometry.HEADER_PT, bold=True)
        _text(
            _format(nation.add_paragraph()),
            NATIONAL_MOTTO,
            size=geometry.BODY_PT,
            bold=True,
            underline=True,
        )
    number, place_date = table.rows[1].cells
    _text(_format(number.paragraphs[0], space_before=6), doc.number_line, size=geometry.HEADER_PT)
    if doc.is_letter:
        # A công văn: its subject ("V/v …") under the number, and no kind title.
        _text(_format(number.add_paragraph()), doc.letter_subject, size=geometry.TABLE_PT)
    _text(
        _format(place_date.paragraphs[0], space_before=6),
        doc.date_line,
        size=geometry.BODY_PT,
        italic=True,
    )


def _title(document, doc: OfficialDocument) -> None:
    kind = _format(document.add_paragraph(), space_before=18, keep_with_next=True)
    _text(kind, doc.kind_title, size=geometry.BODY_PT, bold=True)
    subject = _format(document.add_paragraph(), keep_with_next=True)
    _text(subject, doc.subject, size=geometry.BODY_PT, bold=True)
    rule = _rule(document.add_paragraph(), _text_width(), 1 / 4)
    rule.paragraph_format.keep_with_next = True
    rule.paragraph_format.space_after = Pt(12)


def _body_paragraph(document, block: Paragraph):
    paragraph = document.add_paragraph(style=BODY_STYLES[block.style][0])
    for run in block.runs:
        added = paragraph.add_run(run.text)
        # None inherits the style; True adds emphasis on top of it.
        added.font.bold = run.bold or None
        added.font.italic = run.italic or None
        added.font.underline = run.underline or None
    return paragraph


_SPACE = qn("xml:space")
_CELL_RUNS = ("./w:tc/w:p/w:r", {"w": nsmap["w"]})  # a path for findall


def _data_table(document, block: Table) -> None:
    fractions = block.column_fractions
    table, _widths = _layout_table(document, 2, fractions)
    table.style = document.styles["Table Grid"]
    header = table.rows[0]
    _row_property(header, "w:tblHeader")  # repeat on every page
    for cell, text in zip(header.cells, block.headers, strict=True):
        _text(_format(cell.paragraphs[0]), text, size=geometry.TABLE_PT, bold=True)
    # One row is formatted through python-docx, then copied for every line of the table
    # with its text set: formatting each cell anew took 0.4 ms, 20 s for 6,667 lines.
    # Each copy's text goes straight into its w:t elements; python-docx's own setter
    # (which turns tabs and line breaks into their elements) took 3.5 s of the 5 s a
    # council's minutes of 6,667 votes took, and serves only the text that has them.
    prototype = table.rows[1]
    _row_property(prototype, "w:cantSplit")
    for column, cell in enumerate(prototype.cells):
        alignment = RIGHT if block.is_numeric(column) else LEFT
        _text(_format(cell.paragraphs[0], alignment=alignment), "-", size=geometry.TABLE_PT)
    template = prototype._tr
    for values in block.rows:
        tr = deepcopy(template)
        for run, text in zip(tr.findall(*_CELL_RUNS), values, strict=True):
            if "\n" in text or "\t" in text:
                run.text = text
            else:
                t = run[-1]  # its w:t, after its w:rPr
                t.text = text
                if text != text.strip():
                    t.set(_SPACE, "preserve")
        template.addprevious(tr)
    template.getparent().remove(template)
    _spacer(
        document, geometry.PARAGRAPH_AFTER_PT
    )  # Word needs a paragraph between two tables anyway


def _signer_titles(cell, sign) -> None:
    lines = [line for line in (sign.mode_line, sign.title) if line]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _text(_format(paragraph), line, size=geometry.BODY_PT, bold=True)


def _signer_name(cell, sign) -> None:
    # Room for the handwritten signature and the seal, then the name.
    for index in range(3):
        _format(cell.paragraphs[0] if index == 0 else cell.add_paragraph())
    _text(
        _format(cell.add_paragraph(), space_before=14),
        sign.name,
        size=geometry.BODY_PT,
        bold=True,
    )
    for signature in sign.signatures:
        _text(
            _format(cell.add_paragraph()),
            signature.line,
            size=geometry.SIGNATURE_LINE_PT,
            italic=True,
        )


def _recipients(label_cell, recipients_cell, doc: OfficialDocument) -> None:
    label_paragraph = _format(label_cell.paragraphs[0], alignment=LEFT)
    _text(
        label_paragraph, RECIPIENTS_LABEL, size=geometry.RECIPIENTS_LABEL_PT, bold=True, italic=True
    )
    for index, line in enumerate(doc.recipients):
        paragraph = (
            recipients_cell.paragraphs[0]
            if index == 0 and recipients_cell is not label_cell
            else recipients_cell.add_paragraph()
        )
        _format(paragraph, alignment=LEFT).paragraph_format.line_spacing = 1.0
        _text(paragraph, f"- {line}", size=geometry.RECIPIENTS_PT)


def _closing(document, doc: OfficialDocument) -> None:
    """Recipients and signature; with a countersignature, the two signers side by side
    and the recipients under them. Every row but the last keeps with the next, and the
    spacer before the table with it, so the closing is never split from itself nor from
    the body's last paragraph (see ``_keep_last_paragraph``)."""
    _spacer(document, 12).paragraph_format.keep_with_next = True
    sign, other = doc.signature, doc.countersignature
    table, _widths = _layout_table(document, 3 if other else 2, geometry.CLOSING_COLUMNS)
    for row in table.rows:
        _row_property(row, "w:cantSplit")
    if other is None:
        label, title = table.rows[0].cells
        recipients, signer = table.rows[1].cells
        _recipients(label, recipients, doc)
        _signer_titles(title, sign)
        _signer_name(signer, sign)
    else:
        left_title, title = table.rows[0].cells
        left_signer, signer = table.rows[1].cells
        _signer_titles(left_title, other)
        _signer_titles(title, sign)
        _signer_name(left_signer, other)
        _signer_name(signer, sign)
        recipients = table.rows[2].cells[0]
        _recipients(recipients, recipients, doc)
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    # Word wants a paragraph after a table; keep it too small to start a page of its own.
    _spacer(document, 1)


def _verification(document, doc: OfficialDocument) -> None:
    """Where the issued document is checked, and that this Word file is not it: the
    editable copy carries no digital signature (the PDF does)."""
    verification = doc.verification
    lines = (
        (f"{VERIFICATION_LABEL}: {verification.url}", False),
        (f"{VERIFICATION_CODE_LABEL}: {verification.code_display}", False),
        (DOCX_UNSIGNED_NOTE, True),
    )
    for index, (line, italic) in enumerate(lines):
        paragraph = _format(document.add_paragraph(), alignment=LEFT, space_before=12 * (not index))
        _text(paragraph, line, size=geometry.SIGNATURE_LINE_PT, italic=italic)


def _properties(document, doc: OfficialDocument) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    properties = document.core_properties
    properties.title = doc.document_title
    properties.subject = doc.subject
    properties.author = properties.last_modified_by = " ".join(
        [doc.header_parent, *doc.header_lines]
    ).strip()
    properties.language = LANGUAGE
    properties.keywords = doc.metadata_keywords
    properties.comments = DOCX_UNSIGNED_NOTE if doc.verification else ""
    properties.created = properties.modified = now
    properties.revision = 1


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as DOCX: A4, decree-30 margins, Times New Roman 14 pt, page numbers
    centred at the top from page 2, core properties titled and marked Vietnamese."""
    doc = normalized(doc)
    document = Document()
    _set_defaults(document)
    _set_page(document)
    body = document.element.body
    # The template's one empty paragraph would push the header down a line.
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    if doc.draft:
        draft = _format(document.add_paragraph(), alignment=RIGHT, space_after=4)
        mark = _text(draft, DRAFT_MARK, size=10, bold=True)
        mark.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _header(document, doc)
    if not doc.is_letter:
        _title(document, doc)
    for index, block in enumerate(doc.body):
        if isinstance(block, Table):
            _data_table(document, block)
        else:
            paragraph = _body_paragraph(document, block)
            if index == len(doc.body) - 1:
                # The closing text stays with the signatures.
                paragraph.paragraph_format.keep_with_next = True
    _closing(document, doc)
    if doc.verification is not None:
        _verification(document, doc)
    _properties(document, doc)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
