"""In a real browser, in Simplified Chinese: a visitor switches the language with the switcher (a form
with its CSRF token, no account), and a participant from China signs in, registers for a workshop and
rates the open Delphi round, every step in Chinese."""

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from engage.auth.models import User
from engage.delphi.models import DelphiRound, DelphiSurvey
from engage.demo import DEMO_PASSWORD, seed_demo
from engage.participation.models import Registration
from engage.timeutil import utcnow
from engage.workshops.models import Workshop


@pytest.fixture
def demo(db, end_transaction):
    seed_demo(utcnow())
    db.session.commit()
    end_transaction()


@pytest.fixture
def zh(app):
    def translate(msgid: str, **values) -> str:
        with app.test_request_context(), force_locale("zh_Hans"):
            text = str(gettext(msgid, **values))
        assert re.search(r"[\u4e00-\u9fff]", text), f"{msgid!r} has no Chinese translation"
        return text

    return translate


def test_a_visitor_switches_to_chinese_and_back(demo, page, zh):
    page.goto("/workshops")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page).to_have_url(re.compile(r"/workshops$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Workshops"))
    expect(page.get_by_role("link", name=zh("Sign in"))).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workshops")


def test_a_participant_from_china_registers_and_rates_the_open_round_in_chinese(demo, db, page, zh):
    li = "li.wei@engage.example"
    page.goto("/login")
    page.get_by_role("button", name="简体中文").click()  # the login page, before the account is known
    page.get_by_label(zh("E-mail")).fill(li)
    page.get_by_label(zh("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=zh("Sign in")).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    # A round-3 workshop Li Wei has no registration for.
    user_id = db.session.scalar(sa.select(User.id).where(User.email == li))
    taken = set(db.session.scalars(sa.select(Registration.workshop_id).where(Registration.user_id == user_id)))
    upcoming = db.session.scalars(sa.select(Workshop).where(Workshop.round == 3).order_by(Workshop.id))
    workshop_id = next(w.id for w in upcoming if w.id not in taken)
    now = utcnow()
    round_id = db.session.scalar(
        sa.select(DelphiRound.id).join(DelphiSurvey).where(DelphiRound.opens_at <= now, DelphiRound.closes_at > now)
    )
    db.session.rollback()  # no transaction left open while the server writes (SQLite)
    page.get_by_role("link", name=zh("Workshops"), exact=True).click()
    page.locator(f'a[href="/workshops/{workshop_id}"]').first.click()
    choices = f"^({re.escape(zh('Register'))}|{re.escape(zh('Join the waiting list'))})$"
    page.get_by_role("button", name=re.compile(choices)).click()
    expect(page.locator("#registration-status")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_role("link", name=zh("Home"), exact=True).click()
    page.locator(f'a[href="/delphi/rounds/{round_id}"]').first.click()
    expect(page.get_by_role("button", name=zh("Submit"))).to_be_visible()
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_role("radio").nth(4).check()  # 5 on the 1–5 scale
    page.get_by_role("button", name=zh("Submit")).click()
    submitted = zh("Your answers are submitted. You can change them until the round closes.")
    expect(page.get_by_text(submitted)).to_be_visible()
