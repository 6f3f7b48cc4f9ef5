"""Server-side SVG charts of an indicator: measurements per scope against the baseline-to-target path.

Pure functions returning SVG text (no JavaScript, no external resources), so the same markup works
in pages and in WeasyPrint PDFs. Each plotted measurement is a <circle> carrying ``data-scope``,
``data-date`` and ``data-value``; the path is the <line class="path">.
"""

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from flask_babel import gettext as _

from engage.charts import attrs as _attrs
from engage.charts import el as _el
from engage.charts import svg_open as _svg_open
from engage.indicators.status import Spec, format_value

PALETTE = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d"]


@dataclass(frozen=True)
class Frame:
    """The plotting area in pixels and the data window it shows."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    start: date
    end: date
    low: float
    high: float

    def x(self, on: date) -> float:
        span = max((self.end - self.start).days, 1)
        return round(self.left + (on - self.start).days / span * (self.width - self.left - self.right), 2)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return round(self.height - self.bottom - (value - self.low) / span * (self.height - self.top - self.bottom), 2)


def frame_for(spec: Spec, series: dict[str, list[tuple[date, float]]], *, width: int, height: int, margins) -> Frame:
    """Dates from the earliest of baseline and measurements to the latest of target and measurements;
    values from 0 (or the lowest value) to the highest value, with 10 % headroom."""
    dates = [spec.baseline_on, spec.target_on] + [d for points in series.values() for d, _v in points]
    values = [spec.baseline_low, spec.baseline_mid, spec.target_value]
    values += [spec.baseline_high] if spec.baseline_high is not None else []
    values += [v for points in series.values() for _d, v in points]
    low = min(0.0, min(values))
    high = max(values)
    high = high + 0.1 * (high - low) if high > low else low + 1.0
    left, right, top, bottom = margins
    return Frame(width, height, left, right, top, bottom, min(dates), max(dates), low, high)


def _path_and_series(frame: Frame, spec: Spec, series: dict, labels: dict, *, radius: float) -> list[str]:
    parts = []
    if spec.baseline_high is not None:
        top, bottom = frame.y(spec.baseline_high), frame.y(spec.baseline_low)
        x = frame.x(spec.baseline_on) - 3
        parts.append(
            _el("rect", class_="baseline-range", x=x, y=top, width=6, height=round(bottom - top, 2), fill="#bbb")
        )
    start = (frame.x(spec.baseline_on), frame.y(spec.baseline_mid))
    end = (frame.x(spec.target_on), frame.y(spec.target_value))
    parts.append(
        _el("line", class_="path", x1=start[0], y1=start[1], x2=end[0], y2=end[1], stroke="#888",
            stroke_width=1.5, stroke_dasharray="4 3")
    )  # fmt: skip
    for index, (scope, points) in enumerate(sorted(series.items())):
        colour = PALETTE[index % len(PALETTE)]
        points = sorted(points)
        coords = " ".join(f"{frame.x(d)},{frame.y(v)}" for d, v in points)
        group = [f"<g {_attrs(class_='series', data_scope=scope)}>", _el("title", labels.get(scope, scope))]
        if len(points) > 1:
            group.append(_el("polyline", points=coords, fill="none", stroke=colour, stroke_width=2))
        for d, v in points:
            group.append(
                _el("circle", cx=frame.x(d), cy=frame.y(v), r=radius, fill=colour, data_scope=scope,
                    data_date=d.isoformat(), data_value=v)
            )  # fmt: skip
        group.append("</g>")
        parts.append("".join(group))
    return parts


def indicator_chart(
    spec: Spec,
    series: dict[str, list[tuple[date, float]]],
    *,
    labels: dict[str, str] | None = None,
    width: int = 560,
    height: int = 260,
) -> str:
    """The full chart: axes labelled with dates and values, the path, one coloured series per scope, a legend."""
    labels = labels or {}
    frame = frame_for(spec, series, width=width, height=height, margins=(56, 40, 16, 40))
    axis_y = height - frame.bottom
    parts = [
        _svg_open("indicator-chart", width, height),
        f"<title>{escape(_('Measurements against the path from baseline to target'))}</title>",
        _el("line", x1=frame.left, y1=axis_y, x2=width - frame.right, y2=axis_y, stroke="#333"),
        _el("line", x1=frame.left, y1=frame.top, x2=frame.left, y2=axis_y, stroke="#333"),
    ]
    for value in (frame.low, spec.baseline_mid, spec.target_value):
        label = format_value(value, spec.unit, spec.currency_code)
        parts.append(_el("text", label, x=frame.left - 4, y=frame.y(value) + 4, text_anchor="end", font_size=10))
    for on in sorted({spec.baseline_on, spec.target_on}):
        parts.append(_el("text", on.isoformat(), x=frame.x(on), y=axis_y + 14, text_anchor="middle", font_size=10))
    parts += _path_and_series(frame, spec, series, labels, radius=3.5)
    for index, scope in enumerate(sorted(series)):
        x = frame.left + 8 + index * 90
        parts.append(
            '<g class="legend">'
            + _el("rect", x=x, y=height - 14, width=10, height=10, fill=PALETTE[index % len(PALETTE)])
            + _el("text", labels.get(scope, scope), x=x + 14, y=height - 5, font_size=10)
            + "</g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(
    spec: Spec,
    series: dict[str, list[tuple[date, float]]],
    *,
    labels: dict | None = None,
    width: int = 120,
    height: int = 32,
) -> str:
    """A small chart without axes or visible text: the path and the series (titled by scope), for scorecards."""
    frame = frame_for(spec, series, width=width, height=height, margins=(2, 2, 2, 2))
    parts = [_svg_open("sparkline", width, height, aria_hidden="true")]
    parts += _path_and_series(frame, spec, series, labels or {}, radius=1.5)
    parts.append("</svg>")
    return "".join(parts)
