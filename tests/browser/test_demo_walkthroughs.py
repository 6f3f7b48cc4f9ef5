"""Each role walks the demo consortium (`seed_demo`, nothing created first) from the home page through
its main job, as a newcomer would in the first ten minutes."""

import re

import pytest
from playwright.sync_api import expect

from engage.demo import DEMO_PASSWORD, seed_demo
from engage.timeutil import utcnow


@pytest.fixture
def demo(db, end_transaction):
    seed_demo(utcnow())
    db.session.commit()
    end_transaction()


def _sign_in(page, email: str, name: str):
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=f"Sign out ({name})")).to_be_visible()


def test_public_visitor_finds_workshops_roadmap_and_scorecard(demo, new_page, screenshot):
    page = new_page(timezone_id="Asia/Shanghai")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stakeholder engagement")
    # The first page could not know the visitor's zone and says so; the script learns it once.
    expect(page.locator("#zone-note")).to_have_text(
        "From the next page on, times are shown in your time zone, Asia/Shanghai."
    )
    page.get_by_role("link", name="See the workshops").click()
    expect(page.get_by_role("link", name="Workshops", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Times are shown in your time zone, Asia/Shanghai.")).to_be_visible()
    page.get_by_role("link", name=re.compile("WG2: .* round 3")).click()
    expect(page.locator("#starts")).to_contain_text("(Asia/Shanghai)")
    expect(page.get_by_role("link", name="Sign in to register")).to_be_visible()
    page.get_by_role("link", name="Roadmap", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Pillar 2: Innovation and market"))).to_be_visible()
    page.get_by_role("link", name="Scorecard", exact=True).click()
    expect(page.locator("#as-of")).to_contain_text("Status as of")
    expect(page.locator(".status-badge", has_text="off track").first).to_be_visible()
    screenshot(page, "walkthrough-visitor-scorecard")


def test_participant_rates_the_open_round_with_feedback_and_comments_on_the_consultation(demo, page, screenshot):
    _sign_in(page, "giulia.romano@engage.example", "Giulia Romano")
    expect(page.get_by_role("heading", name="Welcome, Giulia Romano")).to_be_visible()
    mine = page.locator("section", has=page.locator("#my-workshops"))
    expect(mine).to_contain_text("round 3")
    rounds = page.locator("section", has=page.locator("#my-rounds"))
    rounds.get_by_role("link", name=re.compile("Pillar III .* round 2")).click()
    # Round-1 feedback beside every carried item: the group's distribution and her own earlier answer.
    first = page.locator("fieldset").first
    expect(first.locator(".delphi-feedback")).to_contain_text("Round 1 group result")
    expect(first.locator(".delphi-feedback")).to_contain_text("Your round 1 answer:")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_role("radio").nth(3).check()  # 4 on the 1–5 scale
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").first).to_be_visible()
    page.get_by_role("link", name="Home").click()
    expect(rounds).to_contain_text("draft saved")
    page.locator("section", has=page.locator("#my-consultations")).get_by_role(
        "link", name=re.compile("roadmap", re.I)
    ).first.click()
    page.get_by_label("Your comment (Markdown)").fill("Please cover **DPYD testing** in China too.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#field-body-preview strong")).to_have_text("DPYD testing")  # rendered, not saved
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-body strong", has_text="DPYD testing")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    expect(page.locator("section", has=page.locator("#my-consultations"))).to_contain_text("you commented")
    screenshot(page, "walkthrough-participant-home")


def test_lead_sees_their_group_and_publishes_approved_minutes(demo, page, screenshot):
    _sign_in(page, "lead.pillar1@engage.example", "Chiara Conti")
    expect(page.get_by_role("heading", name="WG1: Shaping sustainable healthcare")).to_be_visible()
    page.get_by_role("link", name="Registrations").first.click()
    expect(page.get_by_role("heading", name="Registrations")).to_be_visible()
    page.get_by_role("link", name="Home").click()
    in_progress = page.locator("section.card", has=page.get_by_role("heading", name="Minutes in progress"))
    expect(in_progress).to_contain_text("approved")
    in_progress.get_by_role("link", name=re.compile("round 2")).click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Minutes published.")).to_be_visible()
    page.locator("summary", has_text="Manage").click()
    page.get_by_role("link", name="Involvement report").click()
    expect(page.get_by_role("heading", name="Involvement report")).to_be_visible()
    screenshot(page, "walkthrough-lead-involvement")


def test_coordinator_reads_the_dashboard_and_follows_an_indicator_off_track(demo, page, screenshot):
    _sign_in(page, "coordinator@engage.example", "Elena Ricci")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    statuses = page.locator("#tile-statuses svg")
    expect(statuses).to_have_attribute("aria-label", "Indicators by status")
    page.locator("#tile-indicators").get_by_role("link", name="DPYD testing before fluoropyrimidine treatment").click()
    expect(page.locator("#indicator-status .status-badge")).to_have_text("off track")
    page.get_by_label("Value").fill("50")
    page.get_by_label("Date").fill(utcnow().date().isoformat())
    page.get_by_label("Scope (overall, EU, China").fill("China")
    page.get_by_role("button", name="Add measurement").click()
    expect(page.get_by_text("Measurement added.")).to_be_visible()
    expect(page.locator("#scope-statuses [data-scope=China] .status-badge")).not_to_have_text("off track")
    page.locator("summary", has_text="Consortium").click()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("#key-numbers")).to_contain_text("indicators off track")
    screenshot(page, "walkthrough-coordinator-dashboard")


def test_the_menu_works_without_javascript_on_a_phone(demo, browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("E-mail").fill("lead.pillar1@engage.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.locator("summary", has_text="Manage").click()  # <details> opens by itself
        page.get_by_role("link", name="Invitations").click()
        expect(page.get_by_role("heading", name="Invitations", level=1)).to_be_visible()
        expect(page.locator("summary", has_text="Manage")).to_have_class("current")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
