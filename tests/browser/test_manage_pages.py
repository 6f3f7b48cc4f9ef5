"""A working-group lead's pages: the workshop form and the registration list with its CSV."""

import csv
import io
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.participation.services import register
from engage.workshops.models import Workshop


def test_new_workshop_ending_before_it_starts_shows_the_message_and_creates_nothing(
    page, db, lead, working_group, sign_in, end_transaction, screenshot
):
    sign_in(page, lead.email, "Lea Lead")
    page.get_by_role("link", name="New workshop").click()
    expect(page.get_by_role("heading", name="New workshop")).to_be_visible()
    page.get_by_label("Working group").select_option(label=working_group.name)
    # Title is a bilingual pair: the English field of the "Title" group.
    page.get_by_role("group", name="Title").get_by_label("English").fill("Round 2: reimbursement models")
    page.get_by_label("Time zone of the times below").fill("Europe/Rome")
    page.get_by_label("Starts").fill("2031-05-20T14:00")
    page.get_by_label("Ends", exact=True).fill("2031-05-20T10:00")
    page.get_by_label("Venue").fill("Rome, Istituto Superiore di Sanità")
    page.get_by_label("Capacity (seats)").fill("25")
    page.get_by_role("button", name="Save workshop").click()

    expect(page.locator("#field-ends_at-error")).to_have_text("The end must be after the start.")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem with 1 field")
    expect(summary).to_be_focused()  # the script moves focus to the summary of the submission's errors
    ends = page.get_by_label("Ends", exact=True)
    expect(ends).to_have_attribute("aria-invalid", "true")
    expect(ends).to_have_attribute("aria-describedby", "field-ends_at-error")
    summary.get_by_role("link", name="Ends: The end must be after the start.").click()
    expect(page).to_have_url(re.compile(r"#field-ends_at$"))
    expect(page.get_by_role("group", name="Title").get_by_label("English")).to_have_value(
        "Round 2: reimbursement models"
    )
    expect(page.get_by_label("Starts")).to_have_value("2031-05-20T14:00")
    expect(page.get_by_label("Capacity (seats)")).to_have_value("25")
    screenshot(page, "workshop-form-errors")

    assert db.session.scalar(sa.select(sa.func.count(Workshop.id))) == 0
    end_transaction()


def test_lead_sees_who_registered_and_downloads_them_as_csv(
    page, db, lead, working_group, create_user, create_workshop, sign_in, screenshot
):
    workshop = create_workshop(working_group=working_group, title="Big data round 1", capacity=1)
    seated = create_user(display_name="Chiara Rossi", organisation="AIFA")
    waiting = create_user(display_name="Zhang Wei", region="CN-GD", timezone="Asia/Shanghai")
    register(workshop, actor=seated)
    register(workshop, actor=waiting)
    db.session.commit()

    sign_in(page, lead.email, "Lea Lead")
    page.goto(f"/workshops/{workshop.id}")
    page.get_by_role("link", name="Registrations").click()
    expect(page.get_by_role("heading", name="Registrations")).to_be_visible()
    expect(page.get_by_text("1 of 1 seats taken")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Chiara Rossi")).to_contain_text("confirmed")
    expect(page.get_by_role("row").filter(has_text="Zhang Wei")).to_contain_text("waitlisted #1")
    screenshot(page, "registrations")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"workshop-{workshop.id}-registrations.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert [(r["Name"], r["Status"], r["Waiting-list position"]) for r in rows] == [
        ("Chiara Rossi", "confirmed", ""),
        ("Zhang Wei", "waitlisted", "1"),
    ]


def test_participant_cannot_open_a_workshops_registration_list(page, participant, create_workshop, sign_in):
    workshop = create_workshop()
    sign_in(page, participant.email, "Pat Participant")

    response = page.goto(f"/manage/workshops/{workshop.id}/registrations")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Only the working group's lead sees its registrations.")).to_be_visible()
