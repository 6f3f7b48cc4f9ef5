"""Pages work under their Content-Security-Policy: the browser reports no violation, engage.js runs,
the SVG charts draw and the status badges get their colours from the stylesheet."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from engage.delphi import services
from engage.delphi.models import ItemOrigin
from engage.indicators.models import Direction, Indicator, Measurement, Unit
from engage.roadmap.models import RoadmapAction
from engage.timeutil import utcnow

# Collects every violation the page itself sees (the init script runs before the page's own code).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(new_page):
    """A page that records CSP violations, from console messages and from securitypolicyviolation events."""
    page = new_page()
    page.console_violations = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.console_violations.append(message.text),
    )
    return page


def _violations(page) -> list[str]:
    return page.console_violations + page.evaluate("window.__cspViolations")


def _round_two_with_feedback(db, lead, working_group, panel) -> int:
    now = utcnow()
    survey = services.create_survey(working_group, actor=lead, data={"title": "Pillar I Delphi"}, now=now)
    services.add_item(survey, actor=lead, data={"text": "Promote data literacy", "origin": ItemOrigin.LITERATURE})
    services.add_panellists(survey, actor=lead, user_ids=[u.id for u in panel])
    first = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + timedelta(days=7), now=now)
    for user, value in zip(panel, [1, 2, 3, 3, 5], strict=True):
        item_id = first.round_items[0].item_id
        services.save_response(first, actor=user, ratings=[{"item_id": item_id, "value": value}], submit=True)
    services.close_round(first, actor=lead)
    second = services.schedule_round(survey, actor=lead, opens_at=utcnow(), closes_at=utcnow() + timedelta(days=7))
    db.session.commit()
    return second.id


def _indicator(db, working_group) -> int:
    action = RoadmapAction(sub_topic=working_group.themes[0].sub_topics[0], title="Test DPYD before chemotherapy")
    indicator = Indicator(
        roadmap_action=action, name="DPYD testing", unit=Unit.PERCENT, direction=Direction.HIGHER_IS_BETTER,
        baseline_low=20, baseline_high=30, baseline_on=date(2022, 1, 1), target_value=70,
        target_on=date(2030, 1, 1), scope="overall",
        measurements=[Measurement(scope="China", measured_on=date(2026, 6, 30), value=31)],
    )  # fmt: skip
    db.session.add(indicator)
    db.session.commit()
    return indicator.id


def test_pages_run_their_script_and_draw_their_charts_without_a_csp_violation(
    watched, db, lead, working_group, create_user, create_workshop, sign_in, end_transaction
):
    panel = [create_user(display_name=f"Panellist {n}") for n in range(5)]
    workshop_id = create_workshop(working_group=working_group, title="Data exchange in practice").id
    round_id = _round_two_with_feedback(db, lead, working_group, panel)
    indicator_id = _indicator(db, working_group)
    email = panel[1].email
    end_transaction()

    page = watched
    policy = page.goto(f"/workshops/{workshop_id}").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    expect(page.get_by_role("heading", name="Data exchange in practice")).to_be_visible()
    # engage.js ran: it remembers the browser's zone in a cookie.
    assert "tz=Europe%2FRome" in page.evaluate("document.cookie")
    page.goto(f"/indicators/{indicator_id}")
    expect(page.locator("svg").first).to_be_visible()
    badge = page.locator("#indicator-status .status-badge")
    expect(badge).to_have_text("off track")
    expect(badge).to_have_css("background-color", "rgb(180, 35, 24)")
    page.goto("/scorecard")
    expect(page.locator(".status-badge").first).to_be_visible()

    sign_in(page, email, "Panellist 1")
    page.goto(f"/delphi/rounds/{round_id}")
    expect(page.locator(".delphi-feedback svg")).to_be_visible()
    expect(page.get_by_text("Median 3, interquartile range 1")).to_be_visible()
    assert _violations(page) == []
