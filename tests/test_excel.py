"""The shared Excel reader and writer (danvan/excel.py)."""

import gc
import re
import tempfile
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from pathlib import Path, PurePosixPath
from uuid import UUID

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from danvan.excel import (
    CELL_MAX,
    FORMULA_PREFIXES,
    MAX_SHEET_CELLS,
    Column,
    ExcelFormatError,
    Sheet,
    read_table,
    write_table,
)

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("danvan", "campaigns", "models_registry", "evaluations", "awards", "reports")
COLUMNS = (Column("text", "Nội dung", width=30), Column("number", "Số", width=10))


def test_only_the_shared_module_uses_the_spreadsheet_library():
    # Every export and import goes through danvan/excel.py, where the defences are.
    users = sorted(
        str(path.relative_to(ROOT))
        for package in PROJECT
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"^\s*(from|import) (openpyxl|xlsxwriter)", path.read_text(), re.MULTILINE)
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
    assert cell.value == text.replace("\r", "\n")  # a line break is written as "\n"
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


def test_each_cell_keeps_its_own_presentation_when_presentations_are_shared():
    sheet = Sheet(title="Bảng", columns=[("Ô", 10)])
    sheet.append(
        [
            sheet.cell("=1+1", wrap=True),
            sheet.cell("thường", wrap=True),
            sheet.cell(date(2024, 3, 19)),
            sheet.cell(datetime(2024, 3, 19, 9, 28), wrap=True),
            sheet.cell(date(2024, 3, 19), number_format="DD/MM/YYYY", wrap=True),
            sheet.cell(1234567, number_format="#,##0"),
            sheet.cell("tiêu đề", bold=True),
            sheet.cell(7),
        ]
    )
    buffer = BytesIO()
    sheet.save(buffer)
    row = list(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows(min_row=2))[0]
    assert [cell.quotePrefix for cell in row] == [True] + [False] * 7
    assert [cell.alignment.wrap_text for cell in row] == [
        True, True, None, True, True, None, None, None,
    ]  # fmt: skip
    assert [cell.font.bold for cell in row] == [False] * 6 + [True, False]
    assert [cell.number_format for cell in row] == [
        "General",
        "General",
        "yyyy-mm-dd",
        "yyyy-mm-dd h:mm:ss",
        "DD/MM/YYYY",
        "#,##0",
        "General",
        "General",
    ]


def _row_of(*values) -> list:
    sheet = Sheet(title="Bảng", columns=[("Ô", 10)] * len(values))
    sheet.append(values)
    buffer = BytesIO()
    sheet.save(buffer)
    return list(load_workbook(BytesIO(buffer.getvalue())).active.iter_rows(min_row=2))[0]


def test_each_kind_of_value_is_written_as_its_own_kind_of_cell():
    row = _row_of(
        Decimal("1234567.5"),
        True,
        time(9, 28),
        gettext_lazy("Đã duyệt"),
        None,
        "",
        "văn bản",
        UUID("12345678-1234-5678-1234-567812345678"),
        PurePosixPath("=1+1"),
    )
    assert [(cell.value, cell.data_type) for cell in row] == [
        (1234567.5, "n"),
        (True, "b"),
        (time(9, 28), "d"),
        ("Đã duyệt", "s"),
        (None, "n"),
        (None, "n"),
        ("văn bản", "s"),
        ("12345678-1234-5678-1234-567812345678", "s"),  # any other value as its text
        ("=1+1", "s"),
    ]
    assert row[2].number_format == "h:mm:ss"
    assert [cell.quotePrefix for cell in row] == [False] * 8 + [True]  # checked as a text


def test_a_text_longer_than_a_cell_holds_is_cut_visibly():
    [short, long, wide] = _row_of("a" * CELL_MAX, "a" * (CELL_MAX + 10), "😀" * CELL_MAX)
    assert short.value == "a" * CELL_MAX  # exactly the limit: kept whole
    assert long.value == "a" * (CELL_MAX - 1) + "…"
    # Each emoji is two UTF-16 units: the cut keeps whole characters only.
    assert wide.value == "😀" * ((CELL_MAX - 1) // 2) + "…"


def _row_files(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*"))


def test_rows_wait_in_a_temporary_file_removed_once_the_workbook_is_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sheet = Sheet(title="Bảng", columns=[("Ô", 10)])
    for number in range(3):
        sheet.append([f"dòng {number}"])
    [waiting] = tmp_path.iterdir()
    assert waiting.name.startswith("danvan-sheet-")
    assert _row_files(waiting)
    buffer = BytesIO()
    sheet.save(buffer)
    assert _row_files(tmp_path) == []
    rows = load_workbook(BytesIO(buffer.getvalue())).active.iter_rows(values_only=True)
    assert [row[0] for row in rows] == ["Ô", "dòng 0", "dòng 1", "dòng 2"]


def test_a_sheet_dropped_half_way_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def failing_export():
        sheet = Sheet(title="Bảng", columns=[("Ô", 10)])
        sheet.append(["dòng 1"])
        assert _row_files(tmp_path)  # the row is waiting on disk
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        failing_export()
    gc.collect()
    assert _row_files(tmp_path) == []


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


# Reading: hostile and broken files are refused before any row is read ---------------------

SHEET = "xl/worksheets/sheet1.xml"
REQUIRED = (Column("text", "Nội dung", required=True),)
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Nội dung</t></is></c></row>'


def workbook_bytes(rows=(("Nội dung",), ("Một",))) -> bytes:
    return write_table(REQUIRED, rows[1:], title="Bảng")


def with_part(name: str, xml: str | bytes, *, stored=False, base: bytes | None = None) -> bytes:
    """A copy of a real workbook with one part replaced (or added) by ``xml``."""
    content = xml.encode() if isinstance(xml, str) else xml
    source = zipfile.ZipFile(BytesIO(base or workbook_bytes()))
    buffer = BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with source, zipfile.ZipFile(buffer, "w", method) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(rows: str, *, before: str = "", prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{before}<sheetData>{HEADER}{rows}</sheetData></worksheet>"
    )


def refused(content: bytes) -> str:
    with pytest.raises(ExcelFormatError) as caught:
        read_table(BytesIO(content), REQUIRED)
    return str(caught.value)


def test_a_well_formed_sheet_of_our_own_making_is_read():
    assert [row.values for row in read_table(BytesIO(workbook_bytes()), REQUIRED)] == [
        {"text": "Một"}
    ]
    content = with_part(
        SHEET, sheet_xml('<row r="2"><c t="inlineStr"><is><t>Hai</t></is></c></row>')
    )
    assert [row["text"] for row in read_table(BytesIO(content), REQUIRED)] == ["Hai"]


def test_a_truncated_file_is_refused():
    content = workbook_bytes()
    assert refused(content[: len(content) // 2]) == "Tệp không phải bảng tính Excel (.xlsx) hợp lệ."


@pytest.mark.parametrize(
    "part",
    [
        SHEET,
        "xl/workbook.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
    ],
)
def test_a_broken_xml_part_is_refused(part):
    original = zipfile.ZipFile(BytesIO(workbook_bytes())).read(part)
    message = refused(with_part(part, original[: len(original) // 2]))
    assert message in (
        "Tệp bảng tính bị hỏng, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên.",
        "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.",
    )


def test_a_part_whose_compressed_data_is_corrupt_is_refused():
    content = bytearray(with_part(SHEET, sheet_xml('<row r="2"/>' * 50)))
    middle = content.index(b"xl/worksheets/sheet1.xml") + 60
    content[middle : middle + 20] = b"\x00" * 20
    assert refused(bytes(content)).startswith("Tệp bảng tính bị hỏng")


BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "[Content_Types].xml"])
def test_a_billion_laughs_entity_bomb_is_refused(part):
    xml = sheet_xml('<row r="2"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>')
    content = with_part(part, xml.replace("?>", "?>" + BILLION_LAUGHS, 1))
    assert "khai báo DTD hoặc thực thể XML" in refused(content)


def test_an_external_entity_is_refused_and_never_read():
    prolog = '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    xml = sheet_xml('<row r="2"><c t="inlineStr"><is><t>&e;</t></is></c></row>', prolog=prolog)
    message = refused(with_part(SHEET, xml))
    assert "khai báo DTD hoặc thực thể XML" in message
    assert "root" not in message


def test_millions_of_blank_rows_are_refused_from_the_zip_directory():
    # 3 million blank rows: 18 MB of XML in a file of about 30 KB.
    content = with_part(SHEET, sheet_xml("<row/>" * 3_000_000))
    assert len(content) < 100_000
    assert "tệp nén với tỷ lệ bất thường" in refused(content)


def test_blank_rows_beyond_the_limit_are_refused_after_a_few_thousand():
    # Stored without compression, the same kind of file passes the zip checks; the scan
    # stops at row MAX_SHEET_ROWS + 1.
    content = with_part(SHEET, sheet_xml("<row/>" * 1_000_000), stored=True)
    message = refused(content)
    assert "đến dòng 10001; tệp nhập chỉ được dùng đến dòng 10000" in message


def test_a_far_away_row_number_is_refused():
    content = with_part(SHEET, sheet_xml('<row r="3000000"><c r="A3000000"><v>1</v></c></row>'))
    assert "đến dòng 3000000" in refused(content)


def test_a_declared_dimension_beyond_the_limit_is_refused():
    xml = sheet_xml('<row r="2"/>', before='<dimension ref="A1:XFD1048576"/>')
    assert "đến dòng 1048576" in refused(with_part(SHEET, xml))


def test_too_many_cells_are_refused():
    row = "".join(f'<c r="{get_column_letter(i)}{{n}}"/>' for i in range(1, 101))
    rows = "".join(f'<row r="{n}">{row.format(n=n)}</row>' for n in range(2, 2600))
    assert f"hơn {MAX_SHEET_CELLS} ô" in refused(with_part(SHEET, sheet_xml(rows), stored=True))


def test_a_file_that_unpacks_too_far_is_refused():
    shared = "<sst>" + "<si><t>x</t></si>" * 10 + "</sst>" + " " * (30 * 1024 * 1024)
    content = with_part("xl/sharedStrings.xml", shared, stored=True)
    assert "khi giải nén, tệp lớn" in refused(content)


def test_columns_beyond_the_limit_are_not_read():
    cells = "".join(f'<c r="{get_column_letter(i)}1"><v>{i}</v></c>' for i in range(1, 60))
    cells += '<c r="BH1" t="inlineStr"><is><t>Nội dung</t></is></c>'  # column 60
    xml = sheet_xml("").replace(HEADER, f'<row r="1">{cells}</row>')
    with pytest.raises(ExcelFormatError, match="Thiếu cột bắt buộc: Nội dung"):
        read_table(BytesIO(with_part(SHEET, xml)), REQUIRED)


def test_a_worksheet_under_another_name_is_inspected_too():
    # openpyxl follows the relationships, whatever the part is called.
    prolog = '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    renamed = with_part("xl/worksheets/sheet1.bin", sheet_xml("", prolog=prolog))
    rels = zipfile.ZipFile(BytesIO(renamed)).read("xl/_rels/workbook.xml.rels")
    content = with_part(
        "xl/_rels/workbook.xml.rels",
        rels.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.bin"),
        base=renamed,
    )
    assert "khai báo DTD hoặc thực thể XML" in refused(content)


def test_pictures_and_other_binary_parts_are_left_alone():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    content = with_part("xl/media/image1.png", png)
    assert [row["text"] for row in read_table(BytesIO(content), REQUIRED)] == ["Một"]
