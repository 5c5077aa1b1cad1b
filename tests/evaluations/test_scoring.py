"""The arithmetic of totals, means and bands, on pure functions (no database)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from evaluations.scoring import (
    NotANumber,
    TooManyDecimals,
    as_points,
    hundredths,
    mean_of,
    parse_points,
    points_text,
    rating_for,
    reaches,
    spread_of,
    weighted_total,
)
from evaluations.services import DEFAULT_BANDS, DEFAULT_CRITERIA


@dataclass(frozen=True)
class Band:
    name: str
    min_score: Decimal


BANDS = [Band(name, Decimal(minimum)) for name, minimum, _passing in DEFAULT_BANDS]

two_decimals = st.integers(min_value=0, max_value=100_000).map(lambda n: Decimal(n) / 100)
positive_two_decimals = st.integers(min_value=1, max_value=100_000).map(lambda n: Decimal(n) / 100)


@st.composite
def scored_criteria(draw):
    """(points, maximum, weight) lines with 0 ≤ points ≤ maximum."""
    count = draw(st.integers(min_value=1, max_value=12))
    lines = []
    for _index in range(count):
        maximum = draw(st.integers(min_value=1, max_value=5000).map(lambda n: Decimal(n) / 100))
        points = draw(
            st.integers(min_value=0, max_value=int(maximum * 100)).map(lambda n: Decimal(n) / 100)
        )
        weight = draw(st.integers(min_value=1, max_value=1000).map(lambda n: Decimal(n) / 100))
        lines.append((points, maximum, weight))
    return lines


def round_half_up(value: Fraction) -> int:
    return (value + Fraction(1, 2)).__floor__()


def test_the_default_rubric_has_the_nine_model_criteria_totalling_100_points():
    assert len(DEFAULT_CRITERIA) == 9
    assert sum(points for _title, _text, points in DEFAULT_CRITERIA) == 100


def test_with_weights_of_one_and_maxima_of_100_the_total_is_the_sum_of_the_points():
    lines = [(Decimal("4.5"), Decimal(5), Decimal(1)), (Decimal(80), Decimal(95), Decimal(1))]
    assert weighted_total(lines) == 8450


def test_weights_count_each_criterion_as_many_times():
    # 100 × (2·5 + 1·10) / (2·10 + 1·10) = 66.666… → 66.67
    lines = [(Decimal(5), Decimal(10), Decimal(2)), (Decimal(10), Decimal(10), Decimal(1))]
    assert weighted_total(lines) == 6667


def test_a_total_on_another_scale_is_brought_to_100():
    # 7 of 10 points is 70 of 100
    assert weighted_total([(Decimal(7), Decimal(10), Decimal(1))]) == 7000


def test_halves_round_up():
    # 100 × 0.01 / 200 = 0.005 → 0.01; 100 × 0.01 / 400 = 0.0025 → 0.00
    assert weighted_total([(Decimal("0.01"), Decimal(200), Decimal(1))]) == 1
    assert weighted_total([(Decimal("0.01"), Decimal(400), Decimal(1))]) == 0


@given(scored_criteria())
def test_a_total_is_the_exact_weighted_share_rounded_half_up_to_hundredths(lines):
    numerator = sum(Fraction(w) * Fraction(p) for p, _m, w in lines)
    denominator = sum(Fraction(w) * Fraction(m) for _p, m, w in lines)
    exact = 10_000 * numerator / denominator
    assert weighted_total(lines) == round_half_up(exact)


@given(scored_criteria())
def test_a_total_stays_between_0_and_100(lines):
    assert 0 <= weighted_total(lines) <= 10_000


@given(scored_criteria())
def test_full_marks_are_100_and_no_marks_are_0(lines):
    assert weighted_total([(m, m, w) for _p, m, w in lines]) == 10_000
    assert weighted_total([(Decimal(0), m, w) for _p, m, w in lines]) == 0


@given(scored_criteria(), st.data())
def test_more_points_never_lower_the_total(lines, data):
    index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    points, maximum, weight = lines[index]
    assume(points < maximum)
    better = list(lines)
    better[index] = (maximum, maximum, weight)
    assert weighted_total(better) >= weighted_total(lines)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=7))
def test_the_mean_is_the_exact_mean_rounded_half_up(totals):
    exact = Fraction(sum(totals), len(totals))
    assert mean_of(totals) == round_half_up(exact)
    assert min(totals) <= mean_of(totals) <= max(totals)


def test_no_totals_have_no_mean_and_no_spread():
    assert mean_of([]) is None
    assert spread_of([]) is None
    assert rating_for(None, BANDS) is None


def test_the_spread_is_the_highest_total_minus_the_lowest():
    assert spread_of([8000, 8750, 9100]) == 1100


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=7),
    st.integers(min_value=0, max_value=10_000),
)
def test_the_databases_division_free_band_test_agrees_with_the_rounded_mean(totals, minimum):
    assert reaches(sum(totals), len(totals), minimum) == (mean_of(totals) >= minimum)


@pytest.mark.parametrize(
    ("total", "rating"),
    [
        ("100", "Xuất sắc"),
        ("90", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80", "Tốt"),
        ("79.99", "Khá"),
        ("65", "Khá"),
        ("64.99", "Đạt"),
        ("50", "Đạt"),
        ("49.99", "Không đạt"),
        ("0", "Không đạt"),
    ],
)
def test_the_default_bands_at_their_edges(total, rating):
    assert rating_for(hundredths(total), BANDS).name == rating


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_a_higher_total_never_gets_a_lower_rating(low, high):
    assume(low <= high)
    order = {band.name: index for index, band in enumerate(reversed(BANDS))}
    assert order[rating_for(low, BANDS).name] <= order[rating_for(high, BANDS).name]


@given(st.integers(min_value=0, max_value=10_000))
def test_the_rating_is_the_highest_band_the_total_reaches(total):
    band = rating_for(total, BANDS)
    assert hundredths(band.min_score) <= total
    assert all(
        hundredths(other.min_score) > total or other.min_score <= band.min_score for other in BANDS
    )


def test_a_mean_that_rounds_up_to_a_band_minimum_earns_the_band():
    # 89.99 and 90.00 average 89.995, printed 90.00: the rating must say Xuất sắc too.
    mean = mean_of([8999, 9000])
    assert as_points(mean) == Decimal("90.00")
    assert rating_for(mean, BANDS).name == "Xuất sắc"
    assert reaches(8999 + 9000, 2, 9000)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("8", "8.00"), ("7,5", "7.50"), ("7.5", "7.50"), (" 9,25 ", "9.25"), ("0", "0.00")],
)
def test_points_are_read_with_a_comma_or_a_point(typed, value):
    assert parse_points(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["mười", "7,5,1", "", "NaN", "Infinity", "1e", "--1"])
def test_text_that_is_not_a_number_is_refused(typed):
    with pytest.raises(NotANumber):
        parse_points(typed)


@pytest.mark.parametrize(
    "typed",
    ["７,５", "٧٫٥", "٧,٥", "७.५", "1e1", "1E1", "0x1", "7,5e0", "1_0", "½"],
)
def test_points_in_other_digits_or_notations_are_refused(typed):
    # Python's Decimal reads full-width, Arabic-Indic and Devanagari digits and exponents.
    with pytest.raises(NotANumber):
        parse_points(typed)


def test_more_than_two_decimals_are_refused():
    with pytest.raises(TooManyDecimals):
        parse_points("7,125")


@given(two_decimals)
def test_points_written_the_vietnamese_way_read_back_the_same(value):
    assert parse_points(points_text(value)) == value


@pytest.mark.parametrize(
    ("value", "text"), [("10", "10"), ("7.50", "7,5"), ("87.25", "87,25"), ("0", "0")]
)
def test_points_print_without_trailing_zeros_and_with_a_decimal_comma(value, text):
    assert points_text(Decimal(value)) == text


@given(positive_two_decimals)
def test_hundredths_and_points_convert_both_ways(value):
    assert as_points(hundredths(value)) == value.quantize(Decimal("0.01"), ROUND_HALF_UP)
