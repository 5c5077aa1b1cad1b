"""How long the spreadsheet import takes to refuse hostile and broken files.

    .venv/bin/python scripts/benchmark_hostile_spreadsheets.py

Builds each file in memory (zip and XML by hand), hands it to danvan.excel.read_table,
the reader of every import, and prints the file's size, the best of three timings and the
message the user gets. A benchmark, not a test: timings depend on the machine.
"""

import os
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from danvan.accounts.tables import UNIT_COLUMNS  # noqa: E402
from danvan.excel import ExcelFormatError, read_table, write_table  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{before}<sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên đơn vị</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Tên viết tắt</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>Loại đơn vị</t></is></c></row>'
)
TAIL = "</sheetData></worksheet>"


def template() -> bytes:
    return write_table(UNIT_COLUMNS, [("Tổ dân phố 1", "TDP1", "Khác", "có")], title="Đơn vị")


def with_sheet(xml: str, *, stored: bool = False, level: int = 6) -> bytes:
    source = zipfile.ZipFile(BytesIO(template()))
    buffer = BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with source, zipfile.ZipFile(buffer, "w", method, compresslevel=level) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(SHEET, xml.encode())
    return buffer.getvalue()


def sheet(rows: str, *, prolog: str = "", before: str = "") -> str:
    return HEAD.format(prolog=prolog, before=before) + rows + TAIL


def laughs() -> str:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {"b" * i} "{f"&{'b' * (i - 1) or 'a'};" * 10}">' for i in range(1, 10)
    )
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>&bbbbbbbbb;</t></is></c></row>'
    return sheet(row, prolog=f"<!DOCTYPE worksheet [{entities}]>")


def files() -> dict[str, bytes]:
    good = template()
    xxe = '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row>'
    blank = "".join(f'<row r="{n}" spans="1:3"/>' for n in range(2, 3_000_002))
    return {
        "truncated file (half of a valid one)": good[: len(good) // 2],
        "broken XML in the sheet": with_sheet(sheet('<row r="2"><c r="A2"><v>1</v></c')),
        "billion laughs (10^10 a's)": with_sheet(laughs()),
        "external entity (file:///etc/passwd)": with_sheet(
            sheet(xxe, prolog='<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
        ),
        "3 million blank rows, <row/>": with_sheet(sheet("<row/>" * 3_000_000), level=9),
        "3 million blank rows, numbered": with_sheet(sheet(blank), level=9),
        "3 million blank rows, stored unpacked": with_sheet(
            sheet("<row/>" * 3_000_000), stored=True
        ),
        "one row at number 3,000,000": with_sheet(
            sheet('<row r="3000000"><c r="A3000000"><v>1</v></c></row>')
        ),
        "dimension A1:XFD1048576": with_sheet(
            sheet('<row r="2"/>', before='<dimension ref="A1:XFD1048576"/>')
        ),
        "valid file, 5,000 units (accepted)": write_table(
            UNIT_COLUMNS,
            [(f"Tổ dân phố {n}", f"TDP{n}", "Khác", "có") for n in range(5000)],
            title="Đơn vị",
        ),
    }


def main() -> None:
    translation.activate("vi")
    for name, content in files().items():
        timings = []
        for _attempt in range(3):
            start = time.perf_counter()
            try:
                outcome = f"read {len(read_table(BytesIO(content), UNIT_COLUMNS))} rows"
            except ExcelFormatError as error:
                outcome = str(error)
            timings.append(time.perf_counter() - start)
        size = f"{len(content) / 1024:,.0f} KB"
        print(f"{name:40} {size:>9} {min(timings) * 1000:8.1f} ms  {outcome}")


if __name__ == "__main__":
    main()
