"""The official-document layout of decree 30/2020/NĐ-CP, independent of any file format.

A feature describes its document once as an ``OfficialDocument`` and hands it to
``danvan.documents.render``, which produces the DOCX, the PDF and the print view from it.
Everything here is an immutable value: build a new one with ``dataclasses.replace``.
"""

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

# Vietnam has kept UTC+07:00 all year since 1975; signatures are recorded in it.
VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

PARAGRAPH_STYLES = frozenset({"body", "basis", "heading", "plain", "center", "article"})

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# A Party document (guidance 36-HD/VPTW of the Party Central Office, 2018): the title
# "ĐẢNG CỘNG SẢN VIỆT NAM" top right over a rule, no national motto; a "*" under the
# issuing body; the number written "Số 29-HD/ĐU" (no colon, a hyphen before the kind).
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
PARTY_STAR = "*"
STATE, PARTY = "state", "party"
LAYOUTS = frozenset({STATE, PARTY})
RECIPIENTS_LABEL = "Nơi nhận:"
DRAFT_MARK = "DỰ THẢO"
VERIFICATION_LABEL = "Kiểm tra văn bản tại"
VERIFICATION_CODE_LABEL = "Mã kiểm tra"
DOCX_UNSIGNED_NOTE = (
    "Tệp Word này là bản để chỉnh sửa, không mang chữ ký số. Bản đã ban hành là tệp PDF, "
    "kiểm tra tại địa chỉ trên."
)

# What prints in place of a missing number or date, so the clerk can fill it in by hand.
_BLANK = " " * 6
# A subject's own "V/v" or "Về việc" (a công văn prints "V/v" before the subject itself).
_ABOUT = re.compile(r"^\s*(?:v/v|về việc)\b[\s:.,-]*", re.IGNORECASE)


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph. ``style`` is one of ``PARAGRAPH_STYLES``:

    - ``body``: justified, first line indented 1 cm, 6 pt after;
    - ``basis``: the "Căn cứ …" lines, as body but italic;
    - ``heading``: section headings such as "I. MỤC ĐÍCH, YÊU CẦU", as body but bold;
    - ``plain``: justified without indent;
    - ``center``: centred;
    - ``article``: the "Điều 1. …" paragraphs of a decision, as body (bold the lead run).
    """

    runs: tuple[Run, ...]
    style: str = "body"

    def __post_init__(self):
        object.__setattr__(self, "runs", tuple(self.runs))
        if self.style not in PARAGRAPH_STYLES:
            raise ValueError(f"Unknown paragraph style {self.style!r}")

    @classmethod
    def of(
        cls, text: str, style: str = "body", bold: bool = False, italic: bool = False
    ) -> "Paragraph":
        """A paragraph of one run."""
        return cls((Run(text, bold=bold, italic=italic),), style)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Table:
    """A bordered data table; the header row is bold and repeats on every page.

    ``widths`` are relative column widths (any positive numbers, e.g. ``(1, 5, 2)``);
    empty means equal columns. ``numeric`` flags the columns whose cells align right.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    numeric: tuple[bool, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        object.__setattr__(self, "widths", tuple(self.widths))
        object.__setattr__(self, "numeric", tuple(self.numeric))
        columns = len(self.headers)
        if columns == 0:
            raise ValueError("A table needs at least one column")
        for row in self.rows:
            if len(row) != columns:
                raise ValueError(f"Row {row!r} has {len(row)} cells, the table {columns}")
        if self.widths and (len(self.widths) != columns or min(self.widths) <= 0):
            raise ValueError("widths must give one positive number per column")
        if self.numeric and len(self.numeric) != columns:
            raise ValueError("numeric must give one flag per column")

    @property
    def column_fractions(self) -> tuple[float, ...]:
        """Each column's share of the table width; they add up to 1."""
        widths = self.widths or (1.0,) * len(self.headers)
        total = sum(widths)
        return tuple(width / total for width in widths)

    def is_numeric(self, column: int) -> bool:
        return bool(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Signature:
    """A recorded digital signature or seal: what it was, by whom, when (timezone-aware).
    ``seal`` marks the issuing body's signature, which is made when the PDF is sealed."""

    label: str
    name: str
    signed_at: datetime
    seal: bool = False

    def __post_init__(self):
        if self.signed_at.utcoffset() is None:
            raise ValueError("signed_at must be timezone-aware")

    @property
    def line(self) -> str:
        """As printed: "Ký số: Lê Duy Bảo – 09:28:22 ngày 19/03/2024"."""
        return f"{self.label}: {self.name} – {signature_time_vi(self.signed_at)}"

    @property
    def metadata(self) -> str:
        """As kept in the file's properties: "Ký số: Lê Duy Bảo 2024-03-19T09:28:22+07:00"."""
        return f"{self.label}: {self.name} {signature_time(self.signed_at)}"


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs, and how.

    ``mode_line`` is empty when the official signs in their own name, or the signing mode:
    "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. …", "TUQ. …". ``title`` is the signer's
    position ("CHỦ TỊCH", "PHÓ CHỦ TỊCH"), ``name`` their full name.
    """

    title: str
    name: str
    mode_line: str = ""
    signatures: tuple[Signature, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "signatures", tuple(self.signatures))


@dataclass(frozen=True)
class Verification:
    """Where anyone checks the issued document: its short code and the page's address,
    printed (with a QR code of the address) below the signature block."""

    code: str
    url: str

    @property
    def code_display(self) -> str:
        """ "K7QP-3MXA-9DTW"."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


@dataclass(frozen=True)
class OfficialDocument:
    """One administrative document.

    ``header_parent`` is the optional line above the issuing body (regular capitals);
    ``header_lines`` the issuing body in bold capitals, e.g. ("ỦY BAN NHÂN DÂN",
    "PHƯỜNG PHỔ MINH"). ``kind_title`` is "KẾ HOẠCH", "QUYẾT ĐỊNH", …; ``subject`` the
    trích yếu; ``symbol`` the part after the number ("KH-UBND"). ``recipients`` are the
    lines of "Nơi nhận" without the leading "- ", the last usually "Lưu: VT.".
    ``draft`` marks an unissued draft: it says "DỰ THẢO" and its number prints blank.
    ``title`` names the file in document properties; default kind title and subject.
    ``layout`` is ``STATE`` (decree 30: national title and motto; the People's Committee,
    the Front) or ``PARTY`` (the Party's own layout, see ``PARTY_TITLE``).
    ``verification`` (an issued document's) prints where the document can be checked.
    ``countersignature`` is a second signer who signs beside ``signature``, on its left
    (the secretary of a meeting's minutes beside the chair; the head of a unit confirming
    a person's achievement report); "Nơi nhận" then goes under the two. The closing
    stays on the page of the body's last paragraph, so a signature never stands alone.
    """

    header_parent: str
    header_lines: tuple[str, ...]
    kind_title: str
    subject: str
    place: str
    date: Date | None
    number: int | None
    symbol: str
    body: tuple[Paragraph | Table, ...]
    recipients: tuple[str, ...]
    signature: SignatureBlock
    draft: bool = False
    title: str = ""
    layout: str = STATE
    verification: Verification | None = None
    countersignature: SignatureBlock | None = None

    def __post_init__(self):
        if self.layout not in LAYOUTS:
            raise ValueError(f"Unknown layout {self.layout!r}")
        for name in ("header_lines", "body", "recipients"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if isinstance(self.date, datetime):
            # A datetime is a date too; keep only the day so no renderer sees a time.
            object.__setattr__(self, "date", self.date.date())

    @property
    def is_letter(self) -> bool:
        """A công văn: no kind title; its subject "V/v …" stands under the number."""
        return not self.kind_title

    @property
    def letter_subject(self) -> str:
        # "Về việc đăng ký…" or "V/v đăng ký…" as typed: the letter says "V/v" once.
        subject = _ABOUT.sub("", self.subject, count=1).strip()
        return f"V/v {subject[:1].lower()}{subject[1:]}" if subject else ""

    @property
    def table_lines(self) -> int:
        return sum(len(block.rows) for block in self.body if isinstance(block, Table))

    @property
    def is_long(self) -> bool:
        """Too long to render as PDF while its reader waits (``settings.LONG_DOCUMENT_LINES``):
        issuing makes every format at once, so the PDF decides."""
        return is_long_table(self.table_lines)

    def is_long_as(self, fmt: str) -> bool:
        """Too long to render as ``fmt`` ("docx" or "pdf") while its reader waits."""
        return is_long_table(self.table_lines, fmt)

    @property
    def document_title(self) -> str:
        return self.title or f"{self.kind_title} {self.subject}".strip()

    @property
    def printed_number(self) -> int | None:
        """The number as printed: none on a draft."""
        return None if self.draft else self.number

    @property
    def number_line(self) -> str:
        return number_line(self.printed_number, self.symbol, self.layout)

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.date)

    @property
    def metadata_keywords(self) -> str:
        """The number and the signatures with their ISO 8601 times, for the files'
        properties (DOCX keywords, PDF keywords)."""
        parts = [] if self.printed_number is None else [self.number_line]
        parts += [signature.metadata for signature in self.signature.signatures]
        return "; ".join(parts)


def is_long_table(lines: int, fmt: str = "pdf") -> bool:
    """More table lines than a reader should wait for in ``fmt``: a PDF beyond
    ``settings.LONG_DOCUMENT_LINES``, a Word file beyond ``settings.LONG_DOCX_LINES``."""
    limit = settings.LONG_DOCX_LINES if fmt == "docx" else settings.LONG_DOCUMENT_LINES
    return lines > limit


def long_formats(lines: int) -> dict[str, bool]:
    """{"docx": …, "pdf": …}: which files of a document of ``lines`` table lines are made
    in the background (for a page's links, ``includes/document_file.html``)."""
    return {fmt: is_long_table(lines, fmt) for fmt in ("docx", "pdf")}


def number_symbol(number: int, symbol: str, layout: str = STATE) -> str:
    """ "46/KH-UBND", "05/QĐ-UBND" (decree 30 writes numbers below 10 with a leading zero);
    a Party document "29-HD/ĐU" (its symbol already holds the "/")."""
    return f"{number:02d}-{symbol}" if layout == PARTY else f"{number:02d}/{symbol}"


def number_line(number: int | None, symbol: str, layout: str = STATE) -> str:
    """ "Số: 46/KH-UBND"; a Party document "Số 29-HD/ĐU"; with no number yet, "Số:      /KH-UBND"
    (or "Số      -HD/ĐU") for the clerk to fill in."""
    if layout == PARTY:
        return (
            f"Số {number_symbol(number, symbol, layout)}"
            if number is not None
            else f"Số{_BLANK}-{symbol}"
        )
    return f"Số: {number_symbol(number, symbol)}" if number is not None else f"Số:{_BLANK}/{symbol}"


def date_line(place: str, date: Date | None) -> str:
    """ "Phổ Minh, ngày 05 tháng 02 năm 2025".

    Decree 30 writes days below 10 and the months January and February with a leading
    zero; with no date yet, day, month and year are left blank.
    """
    if date is None:
        return f"{place}, ngày{_BLANK}tháng{_BLANK}năm"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def with_seal_time(doc: OfficialDocument, moment: datetime) -> OfficialDocument:
    """``doc`` with its seal (the issuing body's signature) made at ``moment``."""
    signatures = tuple(
        dataclasses.replace(signature, signed_at=moment) if signature.seal else signature
        for signature in doc.signature.signatures
    )
    return dataclasses.replace(
        doc, signature=dataclasses.replace(doc.signature, signatures=signatures)
    )


def without_signatures(doc: OfficialDocument) -> OfficialDocument:
    """``doc`` with no signature lines: the signer signs the PDF with their own
    certificate, and the signatures' appearances show who signed and when."""
    return dataclasses.replace(doc, signature=dataclasses.replace(doc.signature, signatures=()))


def signature_time(moment: datetime) -> str:
    """ISO 8601 in Vietnam time to the second: "2024-03-19T09:28:22+07:00"."""
    return moment.astimezone(VIETNAM_TZ).isoformat(timespec="seconds")


def signature_time_vi(moment: datetime) -> str:
    """The same moment as a Vietnamese reader writes it: "09:28:22 ngày 19/03/2024"."""
    local = moment.astimezone(VIETNAM_TZ)
    return f"{local:%H:%M:%S} ngày {local:%d/%m/%Y}"


def _clean_text(value: str) -> str:
    """NFC, without the control characters XML cannot hold (pasted text brings them)."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)


def normalized(value):
    """A copy of ``value`` (a layout object, tuple or string) with every text cleaned.

    Every renderer calls this first, so decomposed (NFD) input prints composed (NFC).
    """
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, tuple):
        return tuple(normalized(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: normalized(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


# Freezing a document's content: an issued document is reserved (numbered) with its
# content as JSON, then rendered from it — again, identically, if a rendering failed.

_TYPES = {
    cls.__name__: cls
    for cls in (Run, Paragraph, Table, Signature, SignatureBlock, Verification, OfficialDocument)
}


def to_json(value):
    """A layout value as plain JSON data (dataclasses tagged by type, dates as ISO)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__name__, **data}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, Date):
        return {"__date__": value.isoformat()}
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    return value


def from_json(data):
    """The layout value ``to_json`` gave ``data`` for."""
    if isinstance(data, list):
        return tuple(from_json(item) for item in data)
    if isinstance(data, dict):
        if "__datetime__" in data:
            return datetime.fromisoformat(data["__datetime__"])
        if "__date__" in data:
            return Date.fromisoformat(data["__date__"])
        kind = _TYPES[data["__type__"]]
        return kind(**{key: from_json(value) for key, value in data.items() if key != "__type__"})
    return data
