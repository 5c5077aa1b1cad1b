"""The shared Excel reader and writer (danvan/excel.py)."""

import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from danvan.excel import FORMULA_PREFIXES, Column, Sheet, write_table

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("danvan", "campaigns", "models_registry", "evaluations", "awards")
COLUMNS = (Column("text", "Nội dung", width=30), Column("number", "Số", width=10))


def test_only_the_shared_module_uses_the_spreadsheet_library():
    # Every export and import goes through danvan/excel.py, where the defences are.
    users = sorted(
        str(path.relative_to(ROOT))
        for package in PROJECT
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"^\s*(from|import) openpyxl", path.read_text(), re.MULTILINE)
    )
    assert users == ["danvan/excel.py"]


def _written(*values) -> tuple:
    content = write_table(COLUMNS, [[value, 1] for value in values], title="Bảng")
    with zipfile.ZipFile(BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    sheet = load_workbook(BytesIO(content)).active
    return xml, [sheet.cell(row=row, column=1) for row in range(2, len(values) + 2)]


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("https://example.com","Bấm")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_a_text_that_starts_like_a_formula_is_written_as_text(text):
    xml, [cell] = _written(text)
    assert b"<f>" not in xml
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix  # stays text when the cell is edited in Excel


def test_error_codes_are_written_as_text():
    _xml, cells = _written("#N/A", "#REF!")
    assert [(c.value, c.data_type) for c in cells] == [("#N/A", "s"), ("#REF!", "s")]


def test_ordinary_text_and_numbers_are_left_as_they_are():
    content = write_table(COLUMNS, [["Mô hình 1 = tốt", -5]], title="Bảng")
    sheet = load_workbook(BytesIO(content)).active
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("Mô hình 1 = tốt", False)
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-5, "n")
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")


def test_characters_xml_cannot_hold_are_replaced_not_fatal():
    _xml, [cell] = _written("a\x00b\x07c\x1bd\ud800e\ufffff\tg\nh")
    assert cell.value == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\tg\nh"


def test_the_header_and_the_sheet_title_are_made_safe_too():
    sheet = Sheet(title="'Đợt 1/2025: [A]?'\x07" + "x" * 40, columns=[("=1+1", 10)])
    sheet.append(["a"])
    buffer = BytesIO()
    sheet.save(buffer)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    assert workbook.active.title == "Đợt 1-2025- -A--'\ufffdxxxxxxxxxxxx"
    assert (workbook.active["A1"].value, workbook.active["A1"].data_type) == ("=1+1", "s")
