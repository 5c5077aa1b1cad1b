"""Reading and writing the simple one-sheet Excel (.xlsx) tables the portal exchanges.

A table has a header row; columns are found by their header, in any order, ignoring
case and Vietnamese accents. Reading returns plain strings with the spreadsheet row
number, so that every error message can say which row is wrong.
"""

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
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


def write_table(columns: Sequence[Column], rows: Iterable[Sequence], *, title: str) -> bytes:
    """A workbook with one sheet: a bold header row and the given rows, written as a stream."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
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
