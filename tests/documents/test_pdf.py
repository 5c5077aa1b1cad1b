import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from danvan.documents.layout import Paragraph, SignatureBlock, Table
from danvan.documents.render import render_pdf
from tests.documents.specs import AWARDEES, decision, long_plan, seed_plan
from tests.documents.text import pdf_pages

# Families of the PDF font stack with Times New Roman's metrics.
TIMES_LIKE = ("Times New Roman", "Liberation Serif", "Tinos")


@pytest.fixture(scope="module")
def long_pdf():
    return render_pdf(long_plan())


def test_pdf_pages_are_a4(long_pdf):
    reader = PdfReader(io.BytesIO(long_pdf))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_pdf_numbers_pages_from_page_two(long_pdf):
    pages = pdf_pages(long_pdf)
    assert "1" not in pages[0]
    for number, lines in enumerate(pages[1:], start=2):
        assert str(number) in lines, f"page {number} has no page number"


def test_pdf_metadata_carries_title_author_and_language(long_pdf):
    reader = PdfReader(io.BytesIO(long_pdf))
    assert reader.metadata.title == (
        "KẾ HOẠCH Về việc phát động phong trào thi đua “Dân vận khéo” năm 2024"
    )
    assert reader.metadata.author == "ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH"
    assert reader.trailer["/Root"]["/Lang"] == "vi"


def test_pdf_text_starts_at_the_left_margin_of_30_mm():
    reader = PdfReader(io.BytesIO(render_pdf(seed_plan())))
    xs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            xs.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])  # in PDF points

    reader.pages[0].extract_text(visitor_text=visit)
    # Justified lines without indent start at the margin; nothing starts left of it.
    assert round(min(xs) / 72 * 25.4) == 30


def test_pdf_table_header_repeats_on_every_page():
    rows = tuple((str(n), f"Tập thể số {n}", "100.000") for n in range(1, 81))
    table = Table(headers=AWARDEES.headers, rows=rows, widths=(1, 6, 3), numeric=AWARDEES.numeric)
    pages = pdf_pages(render_pdf(seed_plan(body=(table,))))
    pages_with_rows = [lines for lines in pages if any("Tập thể số" in line for line in lines)]
    assert len(pages_with_rows) >= 2
    for lines in pages_with_rows:
        assert "TT Tập thể, cá nhân Số tiền (đồng)" in lines


def test_pdf_is_built_again_identically_in_layout_for_the_same_spec():
    first, second = render_pdf(decision()), render_pdf(decision())
    assert pdf_pages(first) == pdf_pages(second)


def _families_with_vietnamese() -> set[str]:
    output = subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("fc-list"), ":charset=1ee6 1b0 1a1", "family"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name.strip() for line in output.splitlines() for name in line.split(",")}


def test_pdf_sets_vietnamese_in_one_times_like_family():
    if shutil.which("fc-list") is None or not set(TIMES_LIKE) & _families_with_vietnamese():
        reason = (
            "no Times-metric serif with Vietnamese glyphs is installed (Debian's "
            "fonts-liberation 1.07 lacks them: apt-get install fonts-liberation2 or "
            "fonts-croscore); the PDF falls back to DejaVu Serif letter by letter"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must check the PDF fonts")
        pytest.skip(reason)
    reader = PdfReader(io.BytesIO(render_pdf(decision())))
    fonts = {
        font.get_object()["/BaseFont"].split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    families = {name.replace("-Bold", "").replace("-Italic", "") for name in fonts}
    assert len(families) == 1, fonts
    assert families.pop().replace("-", " ") in TIMES_LIKE


@pytest.mark.parametrize(
    "url", ["https://example.com/logo.png", "http://127.0.0.1/", "file:///etc/passwd"]
)
def test_pdf_renderer_fetches_no_url_but_data_urls(url):
    from danvan.documents.pdf import _weasyprint

    _html, fetcher, _fonts, _css = _weasyprint()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher(url)
    assert fetcher("data:text/plain,ok").read() == b"ok"


def test_pdf_signatures_never_stand_alone_on_a_page_without_the_closing_text():
    # Bodies of growing length, so that for some the closing no longer fits on page 1.
    for count in range(14, 24):
        body = tuple(
            Paragraph.of(f"Đoạn {index} của văn bản, đủ dài để chiếm một dòng.")
            for index in range(count)
        ) + (Paragraph.of("Biên bản kết thúc cùng ngày./."),)
        doc = decision(
            body=body,
            signature=SignatureBlock(title="CHỦ TRÌ", name="Lê Duy Bảo"),
            countersignature=SignatureBlock(title="THƯ KÝ", name="Nguyễn Thị Lan"),
        )
        pages = ["\n".join(lines) for lines in pdf_pages(render_pdf(doc))]
        signed = next(page for page in pages if "Lê Duy Bảo" in page)
        assert "Biên bản kết thúc cùng ngày" in signed, count
        assert "Nguyễn Thị Lan" in signed, count
