"""Vietnamese text helpers: money with thousands dots, numbers read in words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danvan.text import model_phrase, number_in_words, quoted, thousands, vnd, vnd_in_words


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1.000"),
        (702_000, "702.000"),
        (2_340_000, "2.340.000"),
        (1_234_567_890, "1.234.567.890"),
        (-1_500_000, "-1.500.000"),
    ],
)
def test_thousands_are_separated_by_dots(number, text):
    assert thousands(number) == text


def test_vnd_names_the_unit():
    assert vnd(1_755_000) == "1.755.000 đồng"
    assert vnd(759_000, "đ") == "759.000 đ"


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_000, "một nghìn"),
        (1_005, "một nghìn không trăm linh năm"),
        (1_020_000, "một triệu không trăm hai mươi nghìn"),
        (702_000, "bảy trăm linh hai nghìn"),
        (759_000, "bảy trăm năm mươi chín nghìn"),
        (1_053_000, "một triệu không trăm năm mươi ba nghìn"),
        (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
        (2_530_000, "hai triệu năm trăm ba mươi nghìn"),
        (1_000_001, "một triệu không trăm linh một"),
        (1_000_000_000, "một tỷ"),
        (1_500_000_000, "một tỷ năm trăm triệu"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (21_000_000_000, "hai mươi mốt tỷ"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-35_000, "âm ba mươi lăm nghìn"),
    ],
)
def test_numbers_are_read_as_vietnamese_write_them_on_decisions(number, words):
    assert number_in_words(number) == words


def test_amounts_in_words_start_with_a_capital_and_name_the_unit():
    assert vnd_in_words(1_755_000) == "Một triệu bảy trăm năm mươi lăm nghìn đồng"


_DIGITS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
    "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}  # fmt: skip


def _read_back(words: str) -> int:
    """A reader of Vietnamese number words, independent of the writer under test."""
    tokens = words.split()
    sign = 1
    if tokens and tokens[0] == "âm":
        sign, tokens = -1, tokens[1:]
    total = section = group = pending = 0
    for token in tokens:
        if token in _DIGITS:
            pending = _DIGITS[token]
        elif token == "mười":
            group += 10
        elif token == "mươi":
            group, pending = group + pending * 10, 0
        elif token == "trăm":
            group, pending = group + pending * 100, 0
        elif token == "linh":
            continue
        elif token in ("nghìn", "triệu"):
            scale = 1_000 if token == "nghìn" else 1_000_000
            section, group, pending = section + (group + pending) * scale, 0, 0
        elif token == "tỷ":
            total = (total + section + group + pending) * 1_000_000_000
            section = group = pending = 0
        else:
            raise AssertionError(f"unexpected word {token!r} in {words!r}")
    return sign * (total + section + group + pending)


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_every_number_up_to_a_million_billion_reads_back_to_itself(number):
    words = number_in_words(number)
    assert _read_back(words) == number
    assert "  " not in words
    assert words == words.strip()


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Khu dân cư không rác thải nhựa", "mô hình “Khu dân cư không rác thải nhựa”"),
        ("Mô hình “Khu dân cư không rác thải nhựa”", "mô hình “Khu dân cư không rác thải nhựa”"),
        (
            "Mô hình “Dân vận khéo” trong cải cách hành chính",
            "mô hình “Dân vận khéo” trong cải cách hành chính",
        ),
        ('mô hình  "Chợ văn minh"', 'mô hình "Chợ văn minh"'),
        ("Mô hình dân vận khéo ở tổ dân phố 3", "mô hình dân vận khéo ở tổ dân phố 3"),
        ("Mô hình hóa dữ liệu dân cư", "mô hình “Mô hình hóa dữ liệu dân cư”"),
        ("Mô hình", "mô hình “Mô hình”"),
        ("Môi trường xanh", "mô hình “Môi trường xanh”"),
    ],
)
def test_a_document_names_a_model_once_whether_or_not_its_name_says_model(name, phrase):
    assert model_phrase(name) == phrase


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Giấy khen", "“Giấy khen”"),
        ("Danh hiệu “Lao động tiên tiến”", "Danh hiệu “Lao động tiên tiến”"),
        ("Mô hình “Dân vận khéo”  trong cải cách", "Mô hình “Dân vận khéo” trong cải cách"),
    ],
)
def test_a_message_quotes_a_name_once_even_when_the_name_holds_quotes(name, text):
    assert quoted(name) == text
