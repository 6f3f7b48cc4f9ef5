"""A coordinator adds a measurement on the indicator page and sees the status badge change."""

from datetime import date

from playwright.sync_api import expect

from engage.indicators.models import Direction, Indicator, Measurement, Unit
from engage.roadmap.models import RoadmapAction


def test_coordinator_adds_a_measurement_and_the_status_badge_changes(
    page, db, coordinator, working_group, sign_in, screenshot
):
    action = RoadmapAction(sub_topic=working_group.themes[0].sub_topics[0], title="Test DPYD before chemotherapy")
    indicator = Indicator(
        roadmap_action=action, name="DPYD testing before fluoropyrimidine treatment", unit=Unit.PERCENT,
        direction=Direction.HIGHER_IS_BETTER, baseline_low=20, baseline_high=30, baseline_on=date(2022, 1, 1),
        target_value=70, target_on=date(2030, 1, 1), scope="overall",
        measurements=[Measurement(scope="EU", measured_on=date(2026, 1, 1), value=47.5)],
    )  # fmt: skip
    db.session.add(indicator)
    db.session.commit()
    indicator_id = indicator.id
    db.session.rollback()

    sign_in(page, coordinator.email, "Cora Coordinator")
    page.goto(f"/indicators/{indicator_id}")
    badge = page.locator("#indicator-status .status-badge")
    expect(badge).to_have_text("on track")
    page.get_by_label("Value").fill("30")
    page.get_by_label("Date").fill("2026-06-30")
    page.get_by_label("Scope (overall, EU, China").fill("China")
    page.get_by_role("button", name="Add measurement").click()
    expect(page.get_by_text("Measurement added.")).to_be_visible()
    expect(badge).to_have_text("off track")
    expect(page.locator("#status-explanation")).to_contain_text("China: 30 % on Jun 30, 2026")
    expect(page.locator("#measurements tbody tr")).to_have_count(2)
    screenshot(page, "indicator-off-track")
