"""The status rule at its boundaries, as a pure function of the indicator, its measurements and today."""

from datetime import date

import pytest

from engage.indicators.models import Direction, Unit
from engage.indicators.status import Spec, Status, evaluate, path_value, projected_value, worst

TODAY = date(2030, 12, 31)
# 2022-01-01 → 2030-01-01 is 2922 days; the midpoint date 2026-01-01 is 1461 days in: exactly half way.
BASE, MID, TARGET = date(2022, 1, 1), date(2026, 1, 1), date(2030, 1, 1)


def higher(**kw) -> Spec:
    return Spec(**{"direction": Direction.HIGHER_IS_BETTER, "baseline_low": 20, "baseline_high": None,
                   "baseline_on": BASE, "target_value": 70, "target_on": TARGET, **kw})  # fmt: skip


def test_exactly_on_the_line_is_on_track_and_explains_itself():
    result = evaluate(higher(), [(MID, 45.0)], today=TODAY)
    assert result.status is Status.ON_TRACK
    assert result.expected_value == pytest.approx(45.0)
    assert result.explanation == "45 % on Jan 1, 2026; the path to 70 % by Jan 1, 2030 needed 45 %: on track."


def test_just_below_the_line_is_at_risk():
    assert evaluate(higher(), [(MID, 44.9)], today=TODAY).status is Status.AT_RISK


def test_exactly_at_the_tolerance_is_at_risk_and_beyond_it_off_track():
    # Tolerance 10 % of the 50-point distance = 5 points below the 45 % expected.
    assert evaluate(higher(), [(MID, 40.0)], today=TODAY).status is Status.AT_RISK
    off = evaluate(higher(), [(MID, 39.99)], today=TODAY)
    assert off.status is Status.OFF_TRACK
    assert off.explanation.endswith("needed 45 %: off track.")


def test_tolerance_is_per_indicator():
    assert evaluate(higher(tolerance=0.2), [(MID, 36.0)], today=TODAY).status is Status.AT_RISK
    assert evaluate(higher(tolerance=0.0), [(MID, 44.99)], today=TODAY).status is Status.OFF_TRACK


def test_lower_is_better_mirrors_the_rule():
    spec = higher(direction=Direction.LOWER_IS_BETTER, baseline_low=70, target_value=20)
    assert evaluate(spec, [(MID, 45.0)], today=TODAY).status is Status.ON_TRACK
    assert evaluate(spec, [(MID, 30.0)], today=TODAY).status is Status.ON_TRACK
    assert evaluate(spec, [(MID, 50.0)], today=TODAY).status is Status.AT_RISK
    assert evaluate(spec, [(MID, 50.01)], today=TODAY).status is Status.OFF_TRACK
    assert evaluate(spec, [(MID, 20.0)], today=TODAY).status is Status.ACHIEVED


def test_range_baseline_starts_the_path_at_its_midpoint():
    spec = higher(baseline_low=20, baseline_high=30)  # midpoint 25: half way to 70 is 47.5
    assert path_value(spec, BASE) == 25
    assert path_value(spec, MID) == pytest.approx(47.5)
    assert evaluate(spec, [(MID, 47.5)], today=TODAY).status is Status.ON_TRACK
    assert evaluate(spec, [(MID, 45.0)], today=TODAY).status is Status.AT_RISK  # within 4.5
    assert evaluate(spec, [(MID, 42.9)], today=TODAY).status is Status.OFF_TRACK


def test_target_already_met_is_achieved_even_early():
    result = evaluate(higher(), [(date(2023, 1, 1), 70.0)], today=TODAY)
    assert result.status is Status.ACHIEVED
    assert result.explanation == "70 % on Jan 1, 2023 meets the target of 70 %: achieved."


def test_no_measurements_or_only_future_ones_is_no_data():
    assert evaluate(higher(), [], today=TODAY).status is Status.NO_DATA
    assert evaluate(higher(), [(date(2031, 1, 1), 50.0)], today=TODAY).status is Status.NO_DATA
    assert evaluate(higher(), [], today=TODAY).explanation == "No measurement yet."


def test_the_latest_measurement_decides():
    points = [(MID, 20.0), (date(2024, 1, 1), 60.0)]
    assert evaluate(higher(), points, today=TODAY).latest_value == 20.0


def test_past_the_target_date_the_target_is_needed():
    result = evaluate(higher(), [(date(2030, 6, 1), 66.0)], today=TODAY)
    assert (result.status, result.expected_value) == (Status.AT_RISK, 70)


def test_projection_is_least_squares_over_the_last_three_points():
    # 30, 35, 40 at days 0/365/730 after 2023-01-01 (2024 is a leap year, so use day counts).
    d0 = date(2023, 1, 1)
    points = [(date(2022, 6, 1), 0.0), (d0, 30.0), (date(2024, 1, 1), 35.0), (date(2024, 12, 31), 40.0)]
    spec = higher(baseline_on=date(2022, 1, 1), target_on=date(2026, 12, 31))
    # Slope 5 per 365 days through (2024-01-01, 35); the target date is 1096 days after 2024-01-01.
    assert projected_value(spec, points) == pytest.approx(35 + 5 * 1096 / 365, rel=1e-3)


def test_projection_with_one_point_runs_from_the_baseline():
    assert projected_value(higher(), [(MID, 45.0)]) == pytest.approx(70.0)


def test_values_are_shown_in_their_unit():
    spec = higher(unit=Unit.CURRENCY, currency_code="EUR", baseline_low=1000, target_value=5000)
    assert evaluate(spec, [(MID, 3000.0)], today=TODAY).explanation.startswith("€3,000.00 on Jan 1, 2026")
    yes_no = higher(unit=Unit.YES_NO, baseline_low=0, target_value=1)
    assert evaluate(yes_no, [(MID, 1.0)], today=TODAY).explanation.startswith("yes on")


def test_worst_scope_is_the_headline():
    on = evaluate(higher(), [(MID, 50.0)], today=TODAY)
    off = evaluate(higher(), [(MID, 10.0)], today=TODAY)
    assert worst([on, off]) is Status.OFF_TRACK
    assert worst([]) is Status.NO_DATA
