"""Invitations and sign-up, clicked through in a real browser."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.auth.models import Invitation, User
from engage.auth.services import create_invitation


def test_invited_person_signs_up_lands_signed_in_and_gets_a_seat(
    new_page, live_server, lead, create_workshop, working_group, sign_in, screenshot
):
    workshop = create_workshop(working_group=working_group, title="Data exchange round 1", capacity=1)
    lead_page = sign_in(new_page(), lead.email, "Lea Lead")

    lead_page.locator("summary", has_text="Manage").click()  # the lead's tools are grouped in the menu
    lead_page.get_by_role("link", name="Invitations").click()
    lead_page.get_by_label("E-mail").fill("wen.li@example.cn")
    lead_page.get_by_role("button", name="Create invitation link").click()
    invitation_url = lead_page.locator("#invitation-url")
    expect(invitation_url).to_have_text(re.compile(re.escape(live_server) + r"/signup/\S+"))
    screenshot(lead_page, "invitations")
    link = invitation_url.inner_text().strip()

    page = new_page(timezone_id="Asia/Shanghai")
    page.goto(link)
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    expect(page.get_by_text("You were invited as wen.li@example.cn.")).to_be_visible()
    # The browser's zone is proposed in the form.
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Shanghai")
    page.get_by_label("Your name").fill("Wen Li")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough secret")
    page.get_by_label("Organisation", exact=True).fill("Fudan University")
    page.get_by_label("Region").select_option("CN-SH")
    page.get_by_label("Stakeholder category").select_option("healthcare_professional")
    page.get_by_label("I agree to take part on these terms.").check()
    screenshot(page, "signup")
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(f"{live_server}/")  # their home: what is waiting for them
    expect(page.get_by_role("status")).to_have_text("Welcome to Engage, Wen Li.")
    expect(page.get_by_role("heading", name="Workshops you can register for")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out (Wen Li)")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name="Data exchange round 1").click()
    expect(page.locator("#starts")).to_contain_text("(Asia/Shanghai)")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#registration-status")).to_have_text("Your seat is confirmed.")
    expect(page.locator("#seats")).to_have_text("0 of 1 left")
    screenshot(page, "workshop-confirmed")

    lead_page.reload()
    row = lead_page.get_by_role("row").filter(has_text="wen.li@example.cn")
    expect(row).to_contain_text("accepted")
    lead_page.goto(f"/manage/workshops/{workshop.id}/registrations")
    expect(lead_page.get_by_role("row").filter(has_text="Wen Li")).to_contain_text("confirmed")


def test_signup_without_consent_shows_the_message_and_creates_no_account(page, db, lead, end_transaction, screenshot):
    _invitation, token = create_invitation(actor=lead, email="no.consent@example.org")
    db.session.commit()

    page.goto(f"/signup/{token}")
    page.get_by_label("Your name").fill("Nora Noconsent")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough secret")
    page.get_by_label("Region").select_option("FR")
    page.get_by_label("Stakeholder category").select_option("payer")
    page.get_by_label("Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Create account").click()

    expect(page.locator("#field-consent-error")).to_have_text("You must agree to the participation terms to take part.")
    expect(page.get_by_role("alert")).to_contain_text("Consent: You must agree to the participation terms")
    expect(page.get_by_label("I agree to take part on these terms.")).to_have_attribute("aria-invalid", "true")
    # What was typed is kept (except the password).
    expect(page.get_by_label("Your name")).to_have_value("Nora Noconsent")
    expect(page.get_by_label("Region")).to_have_value("FR")
    expect(page.get_by_label("Stakeholder category")).to_have_value("payer")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    expect(page.get_by_label("I agree to take part on these terms.")).not_to_be_checked()
    expect(page.get_by_role("button", name=re.compile(r"^Sign out"))).to_have_count(0)
    screenshot(page, "signup-missing-consent")

    assert db.session.scalar(sa.select(User.id).where(User.email == "no.consent@example.org")) is None
    assert (
        db.session.scalar(sa.select(Invitation.accepted_at).where(Invitation.email == "no.consent@example.org")) is None
    )
    end_transaction()


def test_participant_cannot_open_the_invitations_page(page, participant, sign_in):
    sign_in(page, participant.email, "Pat Participant")
    expect(page.get_by_role("link", name="Invitations")).to_have_count(0)

    response = page.goto("/invitations")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Only leads and coordinators can invite people.")).to_be_visible()
