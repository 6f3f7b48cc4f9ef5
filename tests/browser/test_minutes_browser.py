"""A lead writes minutes with a [[P-…]] link, approves them and downloads the PDF."""

import io
import re
from datetime import timedelta

import pypdf
from playwright.sync_api import expect

from engage.priorities.services import create_priority
from engage.timeutil import to_zone, utcnow
from engage.workshops.models import AgendaItem


def test_lead_writes_approves_and_downloads_minutes_with_a_linked_priority(
    page, db, lead, working_group, create_workshop, sign_in, screenshot
):
    priority = create_priority(
        pillar_id=working_group.pillar_id,
        text="Promote cross-border data standards",
        sub_topic_ids=[],
        final_statistics={"round": 2, "statistics": {"agreement_percent": 82.0, "n_valid": 17}},
    )
    db.session.commit()
    workshop = create_workshop(
        working_group=working_group,
        title="数据交换研讨会 Data exchange round 1",
        starts_at=utcnow().replace(microsecond=0) - timedelta(days=2),
        agenda_items=[AgendaItem(position=1, title="Welcome"), AgendaItem(position=2, title="Standards")],
    )
    code = f"P-{priority.id}"

    sign_in(page, lead.email, "Lea Lead")
    page.goto(f"/workshops/{workshop.id}")
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_role("button", name="Start the minutes").click()
    expect(page.get_by_role("heading", name="Edit minutes: 数据交换研讨会 Data exchange round 1")).to_be_visible()
    page.locator("#field-discussion-1").fill(f"We agreed to pursue [[P-{priority.id + 1000}]].")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.locator("#field-discussion-1-error")).to_contain_text(f"[[P-{priority.id + 1000}]]")
    page.locator("#field-discussion-1").fill(f"We agreed to pursue [[{code}]]: shared standards, 王丽 to draft.")
    page.locator("#field-decisions-1").fill(f"Adopt common data standards [[{code}]]")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_role("link", name=code).first).to_be_visible()

    deadline = to_zone(utcnow() + timedelta(days=5), workshop.timezone).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Comments close at").fill(deadline)
    page.get_by_role("button", name="Circulate for comment").click()
    expect(page.locator("#minutes-status")).to_contain_text("circulated for comment")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#minutes-status")).to_contain_text("approved")
    screenshot(page, "minutes-approved")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF (version 1)").click()
    reader = pypdf.PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert code in text and "Promote cross-border data" in text and "82.0 % agreement" in text
    assert "数据交换研讨会" in text and "王丽" in text


def test_compiled_minutes_progress_updates_without_a_reload(page, db, lead, working_group, create_workshop, sign_in):
    """The export page polls its job's JSON status; the download appears when the scheduler has made it."""
    from engage.minutes import services
    from engage.minutes.jobs import run_due_exports

    workshop = create_workshop(
        working_group=working_group,
        title="Round 1 standards",
        starts_at=utcnow().replace(microsecond=0) - timedelta(days=2),
        agenda_items=[AgendaItem(position=1, title="Welcome")],
    )
    minutes = services.start_minutes(workshop, actor=lead)
    sections = [{"title": "Welcome", "discussion": "Opening.", "decisions": [], "actions": []}]
    services.save_minutes(minutes, actor=lead, data={"sections": sections})
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    services.approve(minutes, actor=lead)
    db.session.commit()
    db.session.rollback()

    sign_in(page, lead.email, "Lea Lead")
    page.goto("/minutes/exports")
    page.get_by_label("Minutes of").select_option(label=working_group.name)
    page.get_by_role("button", name="Compile PDF").click()
    row = page.locator("#exports tbody tr").first
    expect(row).to_contain_text("queued: 0 of 1 workshops")
    expect(row).to_have_attribute("data-job-status", re.compile(r"/api/v1/minutes-exports/\d+$"))
    page.evaluate("window.__same_document = true")  # a marker the page loses when its script reloads it

    assert run_due_exports(utcnow()) == 1
    db.session.rollback()
    expect(row.get_by_role("link", name=re.compile("^Download"))).to_be_visible(timeout=15_000)
    assert page.evaluate("window.__same_document === undefined")  # the page's script reloaded it once, when done
