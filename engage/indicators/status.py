"""The scorecard status of an indicator's measurements: pure functions, ``today`` injected.

The rule (PRODUCT.md rule 8):

* The *path* is the straight line from the baseline on ``baseline_on`` to the target on ``target_on``.
  A range baseline (e.g. 20–30 %) starts the path at its midpoint (25 %). Before the baseline date the
  path is the baseline; after the target date it is the target.
* Only measurements dated on or before ``today`` count; the *latest* is the one with the latest date.
* **achieved**: the latest value meets the target (≥ target when higher is better, ≤ when lower is).
* **on track**: the latest value is at or beyond the path at its date.
* **at risk**: short of the path by at most ``tolerance`` × |target − baseline| (default 10 %).
* **off track**: further short than that.
* **no data**: no measurement yet.

The *projection* at the target date is the least-squares line through the last three measurements
(two when there are only two); with a single measurement, the line from the baseline to it.
"""

import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from engage.indicators.models import Direction, Unit
from engage.timeutil import format_day

# Relative slack for float rounding, so "exactly on the line" and "exactly at the tolerance" count as such.
_EPSILON = 1e-9
TREND_POINTS = 3


class Status(enum.Enum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return status_label(self)


# Worst first: an indicator measured in several scopes shows its worst scope.
SEVERITY = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED, Status.NO_DATA]


def status_label(status: Status) -> str:
    return {
        Status.ACHIEVED: _("achieved"),
        Status.ON_TRACK: _("on track"),
        Status.AT_RISK: _("at risk"),
        Status.OFF_TRACK: _("off track"),
        Status.NO_DATA: _("no data"),
    }[status]


@dataclass(frozen=True)
class Spec:
    """What the rule needs of an indicator."""

    direction: Direction
    baseline_low: float
    baseline_high: float | None
    baseline_on: date
    target_value: float
    target_on: date
    tolerance: float = 0.1
    unit: Unit = Unit.PERCENT
    currency_code: str | None = None

    @property
    def baseline_mid(self) -> float:
        return self.baseline_low if self.baseline_high is None else (self.baseline_low + self.baseline_high) / 2

    @classmethod
    def of(cls, indicator) -> "Spec":
        return cls(
            direction=indicator.direction,
            baseline_low=indicator.baseline_low,
            baseline_high=indicator.baseline_high,
            baseline_on=indicator.baseline_on,
            target_value=indicator.target_value,
            target_on=indicator.target_on,
            tolerance=indicator.tolerance,
            unit=indicator.unit,
            currency_code=indicator.currency_code,
        )


@dataclass(frozen=True)
class Result:
    status: Status
    explanation: str
    latest_value: float | None = None
    latest_on: date | None = None
    expected_value: float | None = None
    projected_value: float | None = None

    @property
    def label(self) -> str:
        return status_label(self.status)


def format_value(value: float, unit: Unit, currency_code: str | None = None) -> str:
    """A value as people read it, in the reader's locale: "62 %" (Chinese "62%"), "12", "yes", "€1,200.50"."""
    if unit is Unit.YES_NO:
        return _("yes") if value >= 0.5 else _("no")
    from babel.numbers import format_currency, format_decimal

    locale = get_locale() or "en"
    if unit is Unit.CURRENCY and currency_code:
        return format_currency(value, currency_code, locale=locale)  # CLDR: €1,200.50, ¥3,000.00
    number = format_decimal(value, format="#,##0.##", locale=locale)
    if unit is Unit.PERCENT:
        return _("%(number)s %%", number=number)
    return number


def path_value(spec: Spec, on: date) -> float:
    """The value the straight baseline-to-target path has reached on a date."""
    if on <= spec.baseline_on:
        return spec.baseline_mid
    if on >= spec.target_on:
        return spec.target_value
    share = (on - spec.baseline_on).days / (spec.target_on - spec.baseline_on).days
    return spec.baseline_mid + share * (spec.target_value - spec.baseline_mid)


def projected_value(spec: Spec, points: list[tuple[date, float]]) -> float | None:
    """The value at the target date if the recent trend holds (see the module docstring)."""
    recent = sorted(points)[-TREND_POINTS:]
    if len(recent) == 1:
        if recent[0][0] <= spec.baseline_on:
            return None
        recent = [(spec.baseline_on, spec.baseline_mid), recent[0]]
    xs = [(d - spec.baseline_on).days for d, _v in recent]
    ys = [v for _d, v in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y + slope * ((spec.target_on - spec.baseline_on).days - mean_x)


def evaluate(spec: Spec, points: list[tuple[date, float]], *, today: date) -> Result:
    """The status of one series of (date, value) measurements on ``today``, with its one-sentence reason."""
    points = sorted(p for p in points if p[0] <= today)
    if not points:
        return Result(Status.NO_DATA, _("No measurement yet."))
    latest_on, latest = points[-1]
    sign = 1 if spec.direction is Direction.HIGHER_IS_BETTER else -1
    distance = abs(spec.target_value - spec.baseline_mid)
    slack = _EPSILON * max(1.0, distance, abs(latest))
    expected = path_value(spec, latest_on)
    projection = projected_value(spec, points)

    def fmt(value: float) -> str:
        return format_value(value, spec.unit, spec.currency_code)

    def day(on: date) -> str:  # in the reader's language: "Mar 1, 2027", "2027年3月1日"
        return format_day(on, locale=str(get_locale() or "en"))

    common = {
        "value": fmt(latest),
        "date": day(latest_on),
        "target": fmt(spec.target_value),
        "target_on": day(spec.target_on),
        "expected": fmt(expected),
    }
    if sign * (latest - spec.target_value) >= -slack:
        status = Status.ACHIEVED
        explanation = _("%(value)s on %(date)s meets the target of %(target)s: achieved.", **common)
    else:
        gap = sign * (latest - expected)
        if gap >= -slack:
            status = Status.ON_TRACK
        elif gap >= -(spec.tolerance * distance) - slack:
            status = Status.AT_RISK
        else:
            status = Status.OFF_TRACK
        explanation = _(
            "%(value)s on %(date)s; the path to %(target)s by %(target_on)s needed %(expected)s: %(status)s.",
            status=status_label(status),
            **common,
        )
    return Result(status, explanation, latest, latest_on, expected, projection)


def worst(results: list[Result]) -> Status:
    """The headline of several scopes: the worst status among the measured ones."""
    statuses = {r.status for r in results}
    return next((s for s in SEVERITY if s in statuses), Status.NO_DATA)
