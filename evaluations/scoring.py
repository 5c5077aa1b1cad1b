"""The arithmetic of evaluation, as pure functions: the reference the database agrees with.

Definitions (every number is exact; nothing goes through floating point):

- Criterion *i* has a maximum ``mᵢ > 0`` and a weight ``wᵢ > 0``; an evaluator gives it
  points ``0 ≤ pᵢ ≤ mᵢ``. Points, maxima and weights have at most two decimals.
- An evaluator's **total** for a model is on a 0–100 scale::

      total = 100 × Σ(wᵢ·pᵢ) / Σ(wᵢ·mᵢ)

  rounded half up to two decimals. With every weight 1 and maxima adding up to 100 (the
  default rubric) the total is simply the sum of the points.
- Totals are kept in **hundredths** of a point, an integer from 0 to 10 000, so that sums
  and comparisons in the database are exact on PostgreSQL and SQLite alike.
- A model's **result** in a round is the mean of its evaluators' totals, rounded half up
  to two decimals. For ``n`` totals summing to ``S`` hundredths::

      mean = ⌊(2·S + n) / (2·n)⌋  hundredths

- Its **rating** is the band with the highest minimum that the result reaches. Without a
  division, as the database computes it::

      mean ≥ min  ⇔  2·S ≥ n·(2·min − 1)      (all in hundredths)

- The **spread** is the highest total minus the lowest.
"""

import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")
FULL_MARKS = 10_000  # 100 points in hundredths


class Band(Protocol):
    min_score: Decimal


def hundredths(value: Decimal | int | str) -> int:
    """A number of at most two decimals as an integer number of hundredths."""
    scaled = Decimal(value) * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(scaled)


def as_points(value_in_hundredths: int | None) -> Decimal | None:
    """Hundredths back to a two-decimal Decimal: 8750 -> Decimal("87.50")."""
    if value_in_hundredths is None:
        return None
    return (Decimal(value_in_hundredths) / 100).quantize(CENT)


def weighted_total(lines: Iterable[tuple[Decimal, Decimal, Decimal]]) -> int:
    """The total, in hundredths, of ``(points, max_points, weight)`` lines (see above)."""
    numerator = denominator = 0
    for points, max_points, weight in lines:
        numerator += hundredths(weight) * hundredths(points)
        denominator += hundredths(weight) * hundredths(max_points)
    if denominator <= 0:
        raise ValueError("a total needs at least one criterion with a positive maximum")
    # round half up of 10 000 × numerator / denominator, in integers
    return (2 * FULL_MARKS * numerator + denominator) // (2 * denominator)


def mean_of(totals: Sequence[int]) -> int | None:
    """The mean of totals in hundredths, rounded half up; None when there are none."""
    if not totals:
        return None
    count, total = len(totals), sum(totals)
    return (2 * total + count) // (2 * count)


def reaches(total: int, count: int, min_score_hundredths: int) -> bool:
    """Whether the mean of ``count`` totals summing to ``total`` reaches a band minimum,
    exactly as the database decides it."""
    return count > 0 and 2 * total >= count * (2 * min_score_hundredths - 1)


def rating_for[B: Band](mean: int | None, bands: Iterable[B]) -> B | None:
    """The band with the highest minimum not above ``mean`` (hundredths)."""
    if mean is None:
        return None
    for band in sorted(bands, key=lambda band: band.min_score, reverse=True):
        if mean >= hundredths(band.min_score):
            return band
    return None


def points_text(value: Decimal | None) -> str:
    """A number of points as Vietnamese write it: "10", "7,5", "87,25" (no trailing zeros)."""
    if value is None:
        return ""
    text = format(Decimal(value).quantize(CENT), "f").rstrip("0").rstrip(".")
    return text.replace(".", ",")


def spread_of(totals: Sequence[int]) -> int | None:
    return max(totals) - min(totals) if totals else None


class NotANumber(ValueError):
    """The text is not a number."""


class TooManyDecimals(ValueError):
    """The number has more than two decimals."""


MAX_TYPED = Decimal("1e9")
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_points(text: str) -> Decimal:
    """What someone typed as points: "7", "7,5" or "7.5" (spaces ignored).

    Only the digits 0-9 and one decimal comma or point: not "1e2", nor the full-width or
    Arabic-Indic digits that Python's Decimal would read. Raises NotANumber or
    TooManyDecimals; range is for the caller to check.
    """
    cleaned = "".join(str(text).split()).replace(",", ".")
    if not _TYPED_NUMBER.fullmatch(cleaned):
        raise NotANumber(text)
    value = Decimal(cleaned)
    if abs(value) >= MAX_TYPED:
        return value  # out of any range; the caller says so
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise TooManyDecimals(text)
    return value.quantize(CENT)
