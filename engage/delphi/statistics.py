"""Exact descriptive statistics of one item's ratings, from the count of each scale value.

The database returns how many valid ratings each value got (GROUP BY); everything here is computed
from those counts with exact fractions, so no individual rating is ever loaded.

Quantile definition (the one used for the median, Q1, Q3 and so the IQR): Hyndman & Fan type 7,
the "inclusive" linear interpolation of R's default, NumPy's default and Excel's QUARTILE.INC.
For n sorted valid ratings x[0] ≤ … ≤ x[n-1] and probability p, let h = (n − 1)·p;
Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). The median is Q(0.5), the IQR is Q(0.75) − Q(0.25).
The standard deviation is the sample SD (denominator n − 1); with one rating it is undefined.
"""

import math
from dataclasses import dataclass, field, fields
from fractions import Fraction

QUANTILE_DEFINITION = (
    "Hyndman & Fan type 7 (inclusive linear interpolation; R and NumPy default, Excel QUARTILE.INC): "
    "for n sorted valid ratings and probability p, h = (n − 1)·p and "
    "Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Median = Q(0.5); IQR = Q(0.75) − Q(0.25). "
    "SD is the sample standard deviation (n − 1)."
)

# A group with fewer respondents than this is never shown (no numbers at all).
MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class Rule:
    """The parts of a consensus rule the statistics need (a plain value, testable without a database)."""

    scale_min: int = 1
    scale_max: int = 5
    agreeing_values: tuple[int, ...] = (4, 5)
    threshold_percent: int = 70
    disagreeing_values: tuple[int, ...] = (1, 2)
    veto_max_percent: int | None = None
    min_valid_ratings: int = 1

    @classmethod
    def of(cls, rule) -> "Rule":
        return cls(
            scale_min=rule.scale_min,
            scale_max=rule.scale_max,
            agreeing_values=tuple(rule.agreeing_values),
            threshold_percent=rule.threshold_percent,
            disagreeing_values=tuple(rule.disagreeing_values),
            veto_max_percent=rule.veto_max_percent,
            min_valid_ratings=rule.min_valid_ratings,
        )


@dataclass
class ItemStatistics:
    n_valid: int
    n_cannot_rate: int
    distribution: dict[int, int] = field(default_factory=dict)
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    iqr: float | None = None
    mean: float | None = None
    sd: float | None = None
    agreement_percent: float | None = None
    disagreement_percent: float | None = None
    has_consensus: bool = False

    def as_dict(self) -> dict:
        # Field by field: dataclasses.asdict deep-copies recursively and was a third of a round's results time.
        data = {name: getattr(self, name) for name in _FIELDS}
        data["distribution"] = {str(k): v for k, v in self.distribution.items()}
        return data


_FIELDS = tuple(f.name for f in fields(ItemStatistics))


def quantile(counts: dict[int, int], p: Fraction) -> Fraction:
    """Type-7 quantile of the multiset given as {value: count} (n ≥ 1)."""
    ordered = _cumulative(counts)
    n = ordered[-1][1]
    h = (n - 1) * Fraction(p)
    low = math.floor(h)
    x_low = _value_at(ordered, low)
    if h == low:
        return Fraction(x_low)
    return x_low + (h - low) * (_value_at(ordered, low + 1) - x_low)


def _cumulative(counts: dict[int, int]) -> list[tuple[int, int]]:
    """[(value, number of ratings up to and including it)] in ascending value order."""
    seen, ordered = 0, []
    for value in sorted(counts):
        seen += counts[value]
        ordered.append((value, seen))
    return ordered


def _value_at(ordered: list[tuple[int, int]], index: int) -> int:
    """The value at a 0-based position in the sorted multiset."""
    for value, seen in ordered:
        if index < seen:
            return value
    raise IndexError(index)


def _quartile(ordered: list[tuple[int, int]], n: int, k: int) -> float:
    """Type-7 quantile at p = k/4, in integer arithmetic: h = (n − 1)·k/4 has a fraction of 0, ¼, ½ or ¾,
    so the interpolated value is exact in floating point."""
    whole, quarters = divmod((n - 1) * k, 4)
    x_low = _value_at(ordered, whole)
    if quarters == 0:
        return float(x_low)
    return x_low + quarters * (_value_at(ordered, whole + 1) - x_low) / 4


def summarise(counts: dict[int, int], n_cannot_rate: int, rule: Rule) -> ItemStatistics:
    """All statistics of one item (or one group's view of it) from the per-value counts.

    Sums are kept as integers (Σc·x, Σc·x²), so the mean, the variance and the percentages are each
    one correctly rounded division, with no accumulated floating-point error.
    """
    counts = {value: count for value, count in counts.items() if count}
    distribution = {value: counts.get(value, 0) for value in range(rule.scale_min, rule.scale_max + 1)}
    n = sum(counts.values())
    stats = ItemStatistics(n_valid=n, n_cannot_rate=n_cannot_rate, distribution=distribution)
    if n == 0:
        return stats
    ordered = _cumulative(counts)
    stats.q1, stats.median, stats.q3 = (_quartile(ordered, n, k) for k in (1, 2, 3))
    stats.iqr = stats.q3 - stats.q1
    total = sum(value * count for value, count in counts.items())
    squares = sum(value * value * count for value, count in counts.items())
    stats.mean = total / n
    if n > 1:
        # Σ(x − mean)² = (n·Σx² − (Σx)²) / n, exactly, in integers.
        stats.sd = math.sqrt((n * squares - total * total) / (n * (n - 1)))
    agree = sum(counts.get(v, 0) for v in rule.agreeing_values)
    disagree = sum(counts.get(v, 0) for v in rule.disagreeing_values)
    stats.agreement_percent = 100 * agree / n
    stats.disagreement_percent = 100 * disagree / n
    stats.has_consensus = has_consensus(n, agree, disagree, rule)
    return stats


def has_consensus(n_valid: int, agree: int, disagree: int, rule: Rule) -> bool:
    """Consensus by the rule, in integer arithmetic so that exactly 70 % is exactly 70 %."""
    if n_valid < rule.min_valid_ratings or n_valid == 0:
        return False
    if agree * 100 < rule.threshold_percent * n_valid:
        return False
    return rule.veto_max_percent is None or disagree * 100 <= rule.veto_max_percent * n_valid
