"""My account in a real browser: sign out everywhere else, then erase the account."""

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.auth.models import User


def test_person_signs_out_elsewhere_then_erases_their_account(
    new_page, participant, sign_in, screenshot, db, end_transaction
):
    elsewhere = sign_in(new_page(), participant.email, "Pat Participant")
    page = sign_in(new_page(), participant.email, "Pat Participant")

    page.goto("/account")
    expect(page.get_by_text("(this browser)")).to_be_visible()
    page.get_by_role("button", name="Sign out everywhere else").click()
    expect(page.get_by_text("Signed out of 1 other sessions.")).to_be_visible()
    elsewhere.goto("/account")
    expect(elsewhere.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Erase my account").click()
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_label("Your password").fill("wrong password")
    page.get_by_role("button", name="Erase my account").click()
    expect(page.locator(".field-error", has_text="This is not your current password.")).to_be_visible()
    page.get_by_label("I understand that this cannot be undone.").check()
    page.get_by_label("Your password").fill("correct horse battery")
    screenshot(page, "erase-account")
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text("Your account is erased. Thank you for taking part.")).to_be_visible()

    end_transaction()
    assert db.session.scalar(sa.select(User.erased_at).where(User.id == participant.id)) is not None
