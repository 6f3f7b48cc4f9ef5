"""The SVG chart is plain SVG whose plotted points sit where their dates and values say."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from engage.indicators.charts import indicator_chart, sparkline
from engage.indicators.models import Direction
from engage.indicators.status import Spec

NS = {"svg": "http://www.w3.org/2000/svg"}
SPEC = Spec(Direction.HIGHER_IS_BETTER, 20, 30, date(2022, 1, 1), 70, date(2030, 1, 1))
# 2026-01-01 is exactly half way in time; 47.5 % is on the path from the range's midpoint (25 %) to 70 %.
SERIES = {"EU": [(date(2026, 1, 1), 47.5), (date(2024, 1, 1), 30.0)], "China": [(date(2026, 1, 1), 30.0)]}


def _points(svg: str) -> dict:
    root = ET.fromstring(svg)
    return root, {
        (c.get("data-scope"), c.get("data-date")): (float(c.get("cx")), float(c.get("cy")))
        for c in root.iter("{http://www.w3.org/2000/svg}circle")
    }


def test_chart_plots_each_measurement_per_scope_against_the_path():
    root, points = _points(indicator_chart(SPEC, SERIES, labels={"EU": "EU", "China": "China"}))
    assert set(points) == {("EU", "2026-01-01"), ("EU", "2024-01-01"), ("China", "2026-01-01")}
    path = root.find("svg:line[@class='path']", NS)
    x1, y1, x2, y2 = (float(path.get(k)) for k in ("x1", "y1", "x2", "y2"))
    # The frame spans baseline date to target date; a point half way in time is half way across.
    eu_x, eu_y = points[("EU", "2026-01-01")]
    assert eu_x == pytest.approx((x1 + x2) / 2, abs=0.02)
    # On the path: the point lies on the dashed line.
    assert eu_y == pytest.approx((y1 + y2) / 2, abs=0.02)
    # Lower values are drawn lower (SVG y grows downwards), same date same x.
    china_x, china_y = points[("China", "2026-01-01")]
    assert china_x == eu_x and china_y > eu_y
    # Value → y is linear: 30 % at both dates has the same height.
    assert points[("EU", "2024-01-01")][1] == china_y
    assert [g.get("data-scope") for g in root.findall("svg:g[@class='series']", NS)] == ["China", "EU"]
    assert root.find("svg:rect[@class='baseline-range']", NS) is not None


def test_sparkline_is_small_svg_without_text():
    root, points = _points(sparkline(SPEC, SERIES))
    assert root.get("width") == "120" and len(points) == 3
    assert root.find(".//svg:text", NS) is None


def test_chart_escapes_scope_labels():
    svg = indicator_chart(SPEC, {"EU": [(date(2025, 1, 1), 30.0)]}, labels={"EU": "<script>x</script>"})
    assert "<script>" not in svg
    ET.fromstring(svg)
