"""The page geometry of an official document, in one place.

Decree 30/2020/NĐ-CP, Appendix I: A4 portrait; margins top and bottom 20–25 mm, left
30–35 mm, right 15–20 mm; Times New Roman 13–14 pt. The DOCX (render_docx) reads these
values directly; the print view and the PDF read them through the stylesheets
(templates/documents/page.css and official.css), which are rendered with ``css_context``.
"""

from types import MappingProxyType

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = MappingProxyType({"top": 20, "bottom": 20, "left": 30, "right": 15})
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]

# Column shares of the two borderless tables: issuing body | national title; recipients |
# signature.
HEADER_COLUMNS = (0.39, 0.61)
CLOSING_COLUMNS = (0.45, 0.55)

# The rule under "ĐẢNG CỘNG SẢN VIỆT NAM" is as long as the title (36-HD/VPTW): its share
# of the right-hand column.
PARTY_RULE = 0.62

# Font sizes in points.
BODY_PT = 14
HEADER_PT = 13  # issuing body, national title, number line, page numbers
TABLE_PT = 12
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
SIGNATURE_LINE_PT = 10

# The QR code of the address where an issued document is checked (under the recipients).
VERIFICATION_QR_MM = 16
VERIFICATION_PT = 8

# The issuing body's digital signature (decree 30/2020, Appendix I: the seal's image covers
# about a third of the signer's signature image, on its left; the signer's is centred
# between the title and the name). The portal expects the signer's image in a box of
# this width centred in the signature column, and draws the seal's appearance this size.
SIGNER_IMAGE_WIDTH_MM = 40
SEAL_BOX_MM = (42, 18)  # width, height

FIRST_LINE_INDENT_MM = 10
PARAGRAPH_AFTER_PT = 6
# Word's "multiple 1.15" is relative to the font's own line, about 1.15 em for Times New
# Roman; the same spacing in CSS is a line height of about 1.32.
LINE_SPACING = 1.15
CSS_LINE_HEIGHT = 1.32


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def css_context() -> dict:
    """The values the stylesheets print, as CSS lengths."""
    return {
        "page_width": f"{PAGE_WIDTH_MM}mm",
        "page_height": f"{PAGE_HEIGHT_MM}mm",
        "margins": " ".join(f"{MARGINS_MM[side]}mm" for side in ("top", "right", "bottom", "left")),
        "issuer_col": _percent(HEADER_COLUMNS[0]),
        "nation_col": _percent(HEADER_COLUMNS[1]),
        "recipients_col": _percent(CLOSING_COLUMNS[0]),
        "signer_col": _percent(CLOSING_COLUMNS[1]),
        "party_rule": _percent(PARTY_RULE),
        "body_pt": f"{BODY_PT}pt",
        "header_pt": f"{HEADER_PT}pt",
        "table_pt": f"{TABLE_PT}pt",
        "recipients_label_pt": f"{RECIPIENTS_LABEL_PT}pt",
        "recipients_pt": f"{RECIPIENTS_PT}pt",
        "signature_line_pt": f"{SIGNATURE_LINE_PT}pt",
        "indent": f"{FIRST_LINE_INDENT_MM}mm",
        "paragraph_after": f"{PARAGRAPH_AFTER_PT}pt",
        "line_height": f"{CSS_LINE_HEIGHT:g}",
        "verification_qr": f"{VERIFICATION_QR_MM}mm",
        "verification_pt": f"{VERIFICATION_PT}pt",
    }
