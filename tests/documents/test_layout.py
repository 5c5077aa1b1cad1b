import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from danvan.documents.layout import (
    Paragraph,
    Run,
    Signature,
    Table,
    date_line,
    normalized,
    number_line,
    signature_time,
)
from tests.documents.specs import seed_plan


def test_number_line_joins_number_and_symbol():
    assert number_line(46, "KH-UBND") == "Số: 46/KH-UBND"


def test_number_line_without_number_leaves_a_blank_to_fill_in():
    assert number_line(None, "KH-UBND") == "Số:      /KH-UBND"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 19), "Phổ Minh, ngày 19 tháng 3 năm 2024"),
        (date(2024, 3, 5), "Phổ Minh, ngày 05 tháng 3 năm 2024"),
        (date(2024, 3, 10), "Phổ Minh, ngày 10 tháng 3 năm 2024"),
        (date(2025, 2, 5), "Phổ Minh, ngày 05 tháng 02 năm 2025"),
        (date(2025, 1, 31), "Phổ Minh, ngày 31 tháng 01 năm 2025"),
        (date(2024, 12, 9), "Phổ Minh, ngày 09 tháng 12 năm 2024"),
        (date(2024, 10, 10), "Phổ Minh, ngày 10 tháng 10 năm 2024"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_and_february(day, expected):
    assert date_line("Phổ Minh", day) == expected


def test_date_line_without_date_leaves_day_month_and_year_blank():
    assert date_line("Phổ Minh", None) == "Phổ Minh, ngày      tháng      năm"


def test_a_draft_prints_no_number_even_when_one_is_set():
    doc = seed_plan(draft=True)
    assert doc.number == 46
    assert doc.number_line == "Số:      /KH-UBND"
    assert replace(doc, draft=False).number_line == "Số: 46/KH-UBND"


@pytest.mark.parametrize(
    "typed",
    [
        "Về việc đăng ký mô hình “Dân vận khéo”",
        "V/v đăng ký mô hình “Dân vận khéo”",
        "v/v: đăng ký mô hình “Dân vận khéo”",
        "Đăng ký mô hình “Dân vận khéo”",
    ],
)
def test_a_letters_subject_says_v_v_once_however_it_was_typed(typed):
    letter = replace(seed_plan(), kind_title="", subject=typed)
    assert letter.letter_subject == "V/v đăng ký mô hình “Dân vận khéo”"


def test_a_datetime_given_as_date_keeps_only_the_day():
    doc = seed_plan(date=datetime(2024, 3, 19, 23, 30, tzinfo=UTC))
    assert doc.date == date(2024, 3, 19)


def test_signature_time_is_vietnam_time_to_the_second():
    moment = datetime(2024, 3, 19, 2, 28, 22, 123456, tzinfo=UTC)
    assert signature_time(moment) == "2024-03-19T09:28:22+07:00"


def test_signature_line_names_label_signer_and_time():
    signature = Signature("Ký số", "Lê Duy Bảo", datetime(2024, 3, 19, 2, 28, 22, tzinfo=UTC))
    assert signature.line == "Ký số: Lê Duy Bảo – 09:28:22 ngày 19/03/2024"


def test_a_signature_without_timezone_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Signature("Ký số", "Lê Duy Bảo", datetime(2024, 3, 19, 9, 28, 22))


def test_paragraph_of_makes_one_run_with_the_formatting():
    paragraph = Paragraph.of("I. MỤC ĐÍCH, YÊU CẦU", "heading", bold=True)
    assert paragraph.runs == (Run("I. MỤC ĐÍCH, YÊU CẦU", bold=True),)
    assert paragraph.style == "heading"
    assert paragraph.text == "I. MỤC ĐÍCH, YÊU CẦU"


def test_an_unknown_paragraph_style_is_refused():
    with pytest.raises(ValueError, match="Unknown paragraph style"):
        Paragraph.of("Điều 1.", "title")


def test_lists_given_for_tuples_become_tuples():
    table = Table(headers=["TT", "Tên"], rows=[["1", "Lan"]])
    assert table.headers == ("TT", "Tên")
    assert table.rows == (("1", "Lan"),)
    assert seed_plan(recipients=["Lưu: VT."]).recipients == ("Lưu: VT.",)


def test_a_table_row_with_the_wrong_number_of_cells_is_refused():
    with pytest.raises(ValueError, match="has 1 cells"):
        Table(headers=("TT", "Tên"), rows=(("1",),))


def test_table_widths_must_match_the_columns():
    with pytest.raises(ValueError, match="widths"):
        Table(headers=("TT", "Tên"), rows=(), widths=(1,))
    with pytest.raises(ValueError, match="numeric"):
        Table(headers=("TT", "Tên"), rows=(), numeric=(True,))


def test_table_column_fractions_add_up_to_one():
    assert Table(headers=("a", "b", "c"), rows=(), widths=(1, 6, 3)).column_fractions == (
        0.1,
        0.6,
        0.3,
    )
    assert Table(headers=("a", "b"), rows=()).column_fractions == (0.5, 0.5)


def test_normalized_composes_decomposed_text_everywhere():
    decomposed = unicodedata.normalize("NFD", "PHƯỜNG PHỔ MINH")
    assert decomposed != "PHƯỜNG PHỔ MINH"
    doc = seed_plan(
        header_lines=("ỦY BAN NHÂN DÂN", decomposed),
        body=(Paragraph((Run(unicodedata.normalize("NFD", "Điều 1. ")),), "article"),),
    )
    clean = normalized(doc)
    assert clean.header_lines[1] == "PHƯỜNG PHỔ MINH"
    assert clean.body[0].runs[0].text == "Điều 1. "
    assert clean.signature.signatures == doc.signature.signatures


def test_normalized_drops_control_characters_xml_cannot_hold():
    doc = normalized(seed_plan(subject="Về việc\x00 thi đua\x0bnăm 2024\r\n"))
    assert doc.subject == "Về việc thi đua\nnăm 2024\n"
