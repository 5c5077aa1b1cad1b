"""Reading and writing the simple one-sheet Excel (.xlsx) tables the portal exchanges.

A table has a header row; columns are found by their header, in any order, ignoring
case and Vietnamese accents. Reading returns plain strings with the spreadsheet row
number, so that every error message can say which row is wrong.
"""

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from danvan.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 5000


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
    return str(value).strip()


def read_table(file, columns: Sequence[Column]) -> list[Row]:
    """Rows of the first sheet as strings keyed by column; blank rows are skipped."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ExcelFormatError(_("Tệp không phải bảng tính Excel (.xlsx) hợp lệ.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ExcelFormatError(_("Bảng tính trống: thiếu dòng tiêu đề."))
        positions: dict[str, int] = {}
        for index, title in enumerate(header):
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
    finally:
        workbook.close()


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


class Sheet:
    """The only way the portal writes a workbook: one sheet, written row by row.

    Every value goes through ``cell``, so that no stored text can break the file or run
    in the reader's spreadsheet program:

    - a text is never a formula: one that starts with ``FORMULA_PREFIXES`` (or reads like
      an error such as "#N/A") is stored as a string cell (``t="inlineStr"``, no ``<f>``)
      with the "quote prefix" style, which Excel and LibreOffice show as the plain text and
      keep as text when the cell is edited. The text itself is unchanged, so an export
      imports back as it was;
    - characters XML cannot hold are replaced (``sheet_text``) instead of failing the export.
    """

    def __init__(self, *, title: str, columns: Sequence[tuple[str, int]], freeze: str = "A2"):
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(
            title=_NOT_IN_SHEET_TITLE.sub("-", sheet_text(title))[:31].strip("'") or "Sheet1"
        )
        for index, (_header, width) in enumerate(columns, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        self._sheet.freeze_panes = freeze
        self.append([self.cell(header, bold=True) for header, _width in columns])

    def cell(self, value, *, number_format: str | None = None, wrap: bool = False, bold=False):
        """A cell holding ``value`` safely, with the given presentation."""
        cell = WriteOnlyCell(self._sheet)
        cell.value = sheet_text(value) if isinstance(value, str) else value
        if cell.data_type in ("f", "e") or (
            isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES)
        ):
            cell.data_type = "s"
            cell.quotePrefix = True
        if number_format:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
        return cell

    def append(self, values: Iterable) -> None:
        """One row; values that are not yet cells made by ``cell`` are made so."""
        self._sheet.append(
            [value if isinstance(value, Cell) else self.cell(value) for value in values]
        )

    def save(self, target) -> None:
        self._workbook.save(target)


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


def choice_value(text: str, choices) -> str | None:
    """The stored value of a TextChoices member named by its value or its label
    (Vietnamese or English, whatever the interface language)."""
    wanted = fold(text)
    for value, label in choices:
        names = {fold(value), fold(str(label))}
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(fold(str(label)))
        if wanted in names:
            return value
    return None
