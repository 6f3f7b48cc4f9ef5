"""A workshop page as participants use it: seats, the waiting list, comments, times in their zone."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.auth.models import StakeholderCategory
from engage.participation.models import Registration


def test_full_workshop_waitlists_the_second_person_and_promotes_them_when_a_seat_frees(
    new_page, create_user, create_workshop, sign_in, screenshot
):
    workshop = create_workshop(title="Privacy, security and trust", capacity=1)
    first = create_user(display_name="Ada First")
    second = create_user(display_name="Bo Second", region="CN-BJ", timezone="Asia/Shanghai")

    first_page = sign_in(new_page(), first.email, "Ada First")
    first_page.goto(f"/workshops/{workshop.id}")
    first_page.get_by_role("button", name="Register").click()
    expect(first_page.locator("#registration-status")).to_have_text("Your seat is confirmed.")
    expect(first_page.locator("#seats")).to_have_text("0 of 1 left")

    second_page = sign_in(new_page(timezone_id="Asia/Shanghai"), second.email, "Bo Second")
    second_page.goto(f"/workshops/{workshop.id}")
    second_page.get_by_role("button", name="Join the waiting list").click()
    expect(second_page.get_by_role("status")).to_have_text(
        "The workshop is full. You are on the waiting list at position 1."
    )
    expect(second_page.locator("#registration-status")).to_contain_text("You are on the waiting list at position 1.")
    expect(second_page.get_by_role("button", name="Leave the waiting list")).to_be_visible()
    screenshot(second_page, "workshop-waitlisted")

    first_page.reload()
    first_page.get_by_role("button", name="Cancel my registration").click()
    expect(first_page.get_by_role("status")).to_have_text("The registration is cancelled.")
    expect(first_page.locator("#registration-status")).to_have_count(0)
    # The freed seat went to the waiting list at once, so the workshop is full again.
    expect(first_page.locator("#seats")).to_have_text("0 of 1 left")
    expect(first_page.get_by_role("button", name="Join the waiting list")).to_be_visible()

    second_page.reload()
    expect(second_page.locator("#registration-status")).to_have_text("Your seat is confirmed.")
    expect(second_page.get_by_role("button", name="Cancel my registration")).to_be_visible()


def test_comment_markdown_is_rendered_and_script_stays_inert_text(
    page, participant, create_workshop, sign_in, screenshot
):
    workshop = create_workshop()
    sign_in(page, participant.email, "Pat Participant")
    page.goto(f"/workshops/{workshop.id}")
    body = (
        "We need **bold** action on data sharing.\n\n"
        "<script>document.body.setAttribute('data-injected', 'script'); alert('script ran')</script>\n\n"
        "<img src=\"/no-such-image\" onerror=\"document.body.setAttribute('data-injected', 'img'); alert(1)\">"
    )
    page.get_by_label("Your comment (Markdown)").fill(body)
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator("article.comment")
    expect(comment).to_have_count(1)
    expect(comment.locator("header")).to_contain_text("Pat Participant")
    expect(comment.locator(".comment-body strong")).to_have_text("bold")
    expect(comment.locator(".comment-body")).to_contain_text("<script>document.body.setAttribute(")
    expect(comment.locator(".comment-body")).to_contain_text('<img src="/no-such-image"')
    page.wait_for_load_state("load")
    expect(comment.locator(".comment-body script, .comment-body img")).to_have_count(0)
    expect(page.locator("body[data-injected]")).to_have_count(0)
    assert page.dialogs == []
    screenshot(page, "workshop-comment")


def test_workshop_times_are_shown_in_the_viewers_zone_with_the_zone_named(
    new_page, create_user, create_workshop, sign_in
):
    starts = (datetime.now(UTC) + timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    workshop = create_workshop(title="EU–China slot", starts_at=starts, timezone="Europe/Rome")
    viewer = create_user(
        display_name="Shu Shanghai", region="CN-SH", timezone="Asia/Shanghai", category=StakeholderCategory.POLICYMAKER
    )

    page = sign_in(new_page(timezone_id="Europe/Rome"), viewer.email, "Shu Shanghai")
    page.goto(f"/workshops/{workshop.id}")

    shanghai = starts.astimezone(ZoneInfo("Asia/Shanghai"))
    expect(page.locator("#starts")).to_contain_text(f"{shanghai:%H:%M} (Asia/Shanghai)")
    expect(page.locator("#starts")).to_contain_text(f"{shanghai:%b} {shanghai.day}, {shanghai.year}")
    expect(page.get_by_text("Times are shown in your time zone, Asia/Shanghai.")).to_be_visible()

    # A visitor's zone comes from the browser (remembered in a cookie by the page's script).
    visitor = new_page(timezone_id="America/New_York")
    visitor.goto(f"/workshops/{workshop.id}")
    visitor.wait_for_function("document.cookie.includes('tz=America%2FNew_York')")
    visitor.reload()
    new_york = starts.astimezone(ZoneInfo("America/New_York"))
    expect(visitor.locator("#starts")).to_contain_text(f"{new_york:%H:%M} (America/New_York)")


def test_a_form_posted_without_its_csrf_token_is_refused(
    page, db, participant, create_workshop, sign_in, end_transaction
):
    workshop = create_workshop()
    sign_in(page, participant.email, "Pat Participant")
    page.goto(f"/workshops/{workshop.id}")
    register_form = page.locator("form", has=page.get_by_role("button", name="Register"))
    register_form.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    register_form.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading")).to_have_text(re.compile("The form expired or the CSRF token is missing"))
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0
    end_transaction()
