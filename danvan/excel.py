"""Reading and writing the simple one-sheet Excel (.xlsx) tables the portal exchanges.

A table has a header row; columns are found by their header, in any order, ignoring
case and Vietnamese accents. Reading returns plain strings with the spreadsheet row
number, so that every error message can say which row is wrong.
"""

import re
import shutil
import tempfile
import weakref
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from typing import NamedTuple
from xml.parsers import expat

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from danvan.text import fold, normalize_newlines
from danvan.uploads import zip_expansion_problem

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_long_export(rows) -> bool:
    """Rows to export, a number or a queryset, more than a reader should wait for
    (``settings.LONG_EXPORT_ROWS``): the export is made in the background. A queryset
    is counted no further than that."""
    limit = settings.LONG_EXPORT_ROWS
    if not isinstance(rows, int):
        rows = rows.order_by().values("pk")[: limit + 1].count()
    return rows > limit


# Limits of an imported workbook: rows kept (blank ones skipped), the last row number a
# sheet may use (blank and formatted rows included), columns read, cells and shared texts
# in the whole file, and the unpacked size and compression ratio of its parts.
MAX_IMPORT_ROWS = 5000
MAX_SHEET_ROWS = 10_000
MAX_SHEET_COLUMNS = 50
MAX_SHEET_CELLS = 250_000
IMPORT_MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024
IMPORT_MAX_COMPRESSION_RATIO = 100


class ExcelFormatError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 20

    def matches(self, text: str) -> bool:
        folded = fold(text)
        return folded in {fold(self.header), fold(self.key), *(fold(a) for a in self.aliases)}


@dataclass
class Row:
    number: int
    values: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return normalize_newlines(str(value)).strip()


def read_table(file, columns: Sequence[Column]) -> list[Row]:
    """Rows of the first sheet as strings keyed by column; blank rows are skipped.

    A file from anyone is inspected before any row is read (``inspect_workbook``), so a
    hostile or broken file costs a fraction of a second and gets a message, never an
    error page or minutes of work.
    """
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ExcelFormatError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from None
    with archive:
        inspect_workbook(archive)
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, IndexError, TypeError, *_UNREADABLE):
        raise ExcelFormatError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from None
    try:
        return _rows_of(workbook, columns)
    except ExcelFormatError:
        raise
    except _UNREADABLE:
        raise ExcelFormatError(_damaged()) from None
    finally:
        workbook.close()


def _rows_of(workbook, columns: Sequence[Column]) -> list[Row]:
    if not workbook.worksheets:
        raise ExcelFormatError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ."))
    sheet = workbook.worksheets[0]
    # openpyxl pads every row to the width asked, or to the sheet's declared width: ask
    # for no more than MAX_SHEET_COLUMNS, and only when the sheet declares a width.
    width = sheet.max_column and min(sheet.max_column, MAX_SHEET_COLUMNS)
    rows = sheet.iter_rows(max_col=width or None, values_only=True)
    header = next(rows, None)
    if header is None or not any(header):
        raise ExcelFormatError(_("Bảng tính trống: thiếu dòng tiêu đề."))
    positions: dict[str, int] = {}
    for index, title in enumerate(header[:MAX_SHEET_COLUMNS]):
        text = _cell_text(title)
        for column in columns:
            if text and column.key not in positions and column.matches(text):
                positions[column.key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise ExcelFormatError(
            _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu xuất từ cổng thông tin.")
            % {"columns": ", ".join(missing)}
        )
    table = []
    for number, values in enumerate(rows, start=2):
        cells = {
            key: _cell_text(values[index]) if index < len(values) else ""
            for key, index in positions.items()
        }
        if not any(cells.values()):
            continue
        table.append(Row(number=number, values=cells))
        if len(table) > MAX_IMPORT_ROWS:
            raise ExcelFormatError(
                _("Tệp có quá %(limit)s dòng; hãy chia thành nhiều tệp.")
                % {"limit": MAX_IMPORT_ROWS}
            )
    return table


# What reading a damaged workbook raises: the zip layer (a bad CRC, a broken deflate
# stream), the XML parsers (ElementTree's ParseError is a SyntaxError) and openpyxl's
# conversions of cell values.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    SyntaxError,
    ValueError,
    expat.ExpatError,
)


def _damaged() -> str:
    return _("Tệp bảng tính bị hỏng, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên.")


class _Enough(Exception):
    """Seen all that matters in this part."""


def inspect_workbook(archive: zipfile.ZipFile) -> None:
    """Raise ExcelFormatError unless ``archive`` is a workbook that is safe to read.

    Judged from the zip directory and one streaming pass of expat (the C parser of the
    standard library, which fetches nothing from outside), before openpyxl reads anything:

    - unpacked size and compression ratio within IMPORT_MAX_UNCOMPRESSED_BYTES and
      IMPORT_MAX_COMPRESSION_RATIO, without unpacking;
    - no XML part declares a DTD: Office files never do, and a DTD is what "billion
      laughs" entity bombs and external entities (XXE) need;
    - every worksheet: its declared dimension and its rows end by row MAX_SHEET_ROWS,
      and worksheets and shared strings hold at most MAX_SHEET_CELLS cells and texts,
      blank ones included, so millions of empty rows are refused after a few thousand;
    - every part is well-formed XML up to where it was read.

    Every part that starts like XML is inspected, whatever its name: openpyxl follows the
    workbook's relationships, which may name a worksheet "sheet1.bin".
    """
    problem = zip_expansion_problem(
        archive,
        max_bytes=IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_ratio=IMPORT_MAX_COMPRESSION_RATIO,
    )
    if problem:
        raise ExcelFormatError(_("Tệp bị từ chối: %(problem)s") % {"problem": problem})
    cells = 0
    for member in archive.infolist():
        try:
            with archive.open(member) as stream:
                cells += _inspect_part(stream, cells_before=cells)
        except ExcelFormatError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise ExcelFormatError(_damaged()) from None


def _inspect_part(stream, *, cells_before: int) -> int:
    """One part, read as a stream; returns the cells (or shared texts) it holds. A part
    that does not start like XML (a picture) is left alone."""
    head = stream.read(64 * 1024)
    if not head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
        return 0
    parser = expat.ParserCreate()
    state = {"root": "", "row": 0, "rows": 0, "cells": cells_before}

    def doctype(*_args):
        raise ExcelFormatError(
            _(
                "Tệp có khai báo DTD hoặc thực thể XML, điều mà tệp Excel không bao giờ có; "
                "tệp bị từ chối."
            )
        )

    def start(tag, attributes):
        name = tag.rpartition(":")[2]
        if not state["root"]:
            state["root"] = name
            if name not in ("worksheet", "sst"):
                raise _Enough  # no DTD before the root, so nothing else to fear here
        elif name == "row":
            state["rows"] += 1
            state["row"] = int(attributes.get("r") or state["row"] + 1)
            _refuse_rows(max(state["row"], state["rows"]))
        elif name in ("c", "si"):
            state["cells"] += 1
            if state["cells"] > MAX_SHEET_CELLS:
                raise ExcelFormatError(
                    _(
                        "Bảng tính có hơn %(limit)s ô; hãy chỉ giữ các cột cần nhập hoặc "
                        "chia thành nhiều tệp."
                    )
                    % {"limit": MAX_SHEET_CELLS}
                )
        elif name == "dimension":
            last = _CELL_REFERENCE.search(attributes.get("ref", ""))
            if last:
                _refuse_rows(int(last.group(1)))

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(head, False)
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Enough:
        pass
    except expat.ExpatError:
        raise ExcelFormatError(_damaged()) from None
    return state["cells"] - cells_before


_CELL_REFERENCE = re.compile(r"[A-Za-z]{1,3}([0-9]{1,9})$")


def _refuse_rows(row: int) -> None:
    if row > MAX_SHEET_ROWS:
        raise ExcelFormatError(
            _(
                "Trang tính có dữ liệu hoặc định dạng đến dòng %(row)s; tệp nhập chỉ được "
                "dùng đến dòng %(limit)s. Hãy xóa các dòng thừa hoặc chia thành nhiều tệp."
            )
            % {"row": row, "limit": MAX_SHEET_ROWS}
        )


# A text starting with one of these is a formula (or becomes one when the cell is edited)
# in Excel, LibreOffice and Google Sheets: "=HYPERLINK(...)", "+1+cmd|...", "-2+3", "@SUM(...)".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0, so a workbook, cannot hold: C0 controls other than tab, line feed and
# carriage return, lone surrogates and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel refuses these in a sheet's name (and names longer than 31 characters).
_NOT_IN_SHEET_TITLE = re.compile(r"[\\/*?:\[\]\x00-\x1f]")


def sheet_text(value: str) -> str:
    """``value`` as a workbook can hold it: each character XML cannot carry becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


class Cell(NamedTuple):
    """A value and its presentation, made by ``Sheet.cell``."""

    value: object
    style: object  # an xlsxwriter Format, or None for the plain one


class Sheet:
    """The only way the portal writes a workbook: one sheet, written row by row.

    Rows go straight to a temporary file (xlsxwriter's "constant memory" mode), so an
    export of 100,000 rows holds one row in memory. Every value goes through ``cell``, so
    that no stored text can break the file or run in the reader's spreadsheet program:

    - a text is never a formula: every text is written as a string cell (``t="inlineStr"``,
      no ``<f>``), and one that starts with ``FORMULA_PREFIXES`` (or reads like an error
      such as "#N/A") gets the "quote prefix" style, which Excel and LibreOffice show as
      the plain text and keep as text when the cell is edited. The text itself is
      unchanged, so an export imports back as it was;
    - characters XML cannot hold are replaced (``sheet_text``) instead of failing the
      export, a text longer than a cell holds (``CELL_MAX``) is cut and ends with "…",
      and a line break is the spreadsheet's own, "\\n" (a "\\r" would be written as
      the escape "_x000D_", which only Excel reads back).
    """

    def __init__(self, *, title: str, columns: Sequence[tuple[str, int]], freeze: str = "A2"):
        # The rows wait in a directory of the sheet's own, removed once the workbook is
        # saved, or when the sheet is dropped unsaved (an export that failed half-way).
        directory = tempfile.mkdtemp(prefix="danvan-sheet-")
        self._workbook = xlsxwriter.Workbook(options={"constant_memory": True, "tmpdir": directory})
        self._styles = {}
        self._sheet = self._workbook.add_worksheet(
            _NOT_IN_SHEET_TITLE.sub("-", sheet_text(title))[:31].strip("'") or "Sheet1"
        )
        self._remove_rows = weakref.finalize(self, _remove_rows, self._sheet, directory)
        for index, (_header, width) in enumerate(columns):
            self._sheet.set_column(index, index, width)
        self._sheet.freeze_panes(freeze)
        self._row = 0
        self.append([self.cell(header, bold=True) for header, _width in columns])

    def cell(self, value, *, number_format: str | None = None, wrap: bool = False, bold=False):
        """A cell holding ``value`` safely, with the given presentation."""
        quoted = False
        if not isinstance(value, _NOT_TEXT):  # a lazy translation, a UUID, a path…
            value = str(value)
        if isinstance(value, str):
            value = sheet_text(value)
            quoted = value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES
            value = _fit(normalize_newlines(value))
        elif number_format is None and isinstance(value, date | time):
            # A date is a number to a spreadsheet: without a format of its own it is
            # shown in the ISO one, as a date, a date and time, or a time.
            number_format = _iso_format(value)
        key = (number_format, wrap, bold, quoted)
        if not any(key):
            return Cell(value, None)
        # Each presentation is one format of the workbook, made the first time it is used.
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self._style(number_format, wrap, bold, quoted)
        return Cell(value, style)

    def _style(self, number_format, wrap, bold, quoted):
        properties = {"quote_prefix": quoted, "bold": bold}
        if number_format:
            properties["num_format"] = number_format
        if wrap:
            properties.update(text_wrap=True, valign="top")
        return self._workbook.add_format(properties)

    def append(self, values: Iterable) -> None:
        """One row; values that are not yet cells made by ``cell`` are made so."""
        sheet, row = self._sheet, self._row
        for column, value in enumerate(values):
            value, style = value if isinstance(value, Cell) else self.cell(value)
            if value is None or value == "":
                if style is not None:
                    sheet.write_blank(row, column, None, style)
            elif isinstance(value, str):
                sheet.write_string(row, column, value, style)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value, style)
            elif isinstance(value, date | time):
                sheet.write_datetime(row, column, value, style)
            else:  # a number: ``cell`` made any other value a text
                sheet.write_number(row, column, value, style)
        self._row += 1

    def save(self, target) -> None:
        """Write the workbook into ``target``, a binary file or a path."""
        self._workbook.filename = target
        try:
            self._workbook.close()
        finally:
            self._remove_rows()


# The values a cell holds as they are; any other is written as its text.
_NOT_TEXT = (type(None), str, bool, int, float, Decimal, date, time)


def _remove_rows(worksheet, directory: str) -> None:
    """Close the file the rows of ``worksheet`` wait in, if still open, and remove it."""
    rows = getattr(worksheet, "row_data_fh", None)
    if rows is not None and not rows.closed:
        rows.close()
    shutil.rmtree(directory, ignore_errors=True)


def _fit(text: str) -> str:
    """``text`` within a cell's limit, marked "…" where it was cut."""
    if len(text) <= CELL_MAX // 2:  # within the limit whatever its characters
        return text
    units = text.encode("utf-16-le")
    if len(units) <= 2 * CELL_MAX:
        return text
    # A character beyond U+FFFF is two units: one cut in half is dropped.
    return units[: 2 * (CELL_MAX - 1)].decode("utf-16-le", errors="ignore") + "…"


def _iso_format(value: date | time) -> str:
    if isinstance(value, datetime):
        return "yyyy-mm-dd h:mm:ss"
    return "yyyy-mm-dd" if isinstance(value, date) else "h:mm:ss"


# The most characters a cell holds: 32,767 (Microsoft's "Excel specifications and
# limits"; XlsxWriter's write_string cuts a longer text there, counted in UTF-16 units).
CELL_MAX = 32_767
# The texts a spreadsheet reads as an error value rather than as text.
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def write_table(columns: Sequence[Column], rows: Iterable[Sequence], *, title: str) -> bytes:
    """A workbook with one sheet: a bold header row and the given rows, written as a stream."""
    sheet = Sheet(title=title, columns=[(column.header, column.width) for column in columns])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    sheet.save(buffer)
    return buffer.getvalue()


def parse_bool(text: str, *, default: bool) -> bool | None:
    """ "có"/"không", "x", 1/0, yes/no; blank gives the default; anything else None."""
    value = fold(text)
    if value == "":
        return default
    if value in {"co", "x", "1", "yes", "true", "dang hoat dong", "hoat dong"}:
        return True
    if value in {"khong", "0", "no", "false", "ngung", "ngung hoat dong"}:
        return False
    return None


def choice_value(text: str, choices, synonyms: dict | None = None) -> str | None:
    """The stored value of a TextChoices member named by its value or its label
    (Vietnamese or English, whatever the interface language), or by one of the other
    names ``synonyms`` gives it ({value: (name, …)})."""
    wanted = _choice_name(text)
    for value, label in choices:
        names = {_choice_name(value), _choice_name(label)}
        names.update(_choice_name(name) for name in (synonyms or {}).get(value, ()))
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(_choice_name(label))
        if wanted in names:
            return value
    return None


# Dashes a label may hold and a spreadsheet may have instead: "Văn phòng – Thống kê" is
# typed "Văn phòng - Thống kê".
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))


def _choice_name(name) -> str:
    """A choice's name as ``choice_value`` compares it: accents, case, spacing and the
    kind of dash aside."""
    return fold(str(name).translate(_DASHES))
