"""A panellist answers a Delphi round in the browser: draft, come back, submit; a lead never sees the ratings."""

from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.delphi import services
from engage.delphi.models import DelphiRating, ItemOrigin
from engage.timeutil import utcnow


def _open_survey(db, lead, working_group, panellist):
    now = utcnow()
    survey = services.create_survey(working_group, actor=lead, data={"title": "Pillar I Delphi"}, now=now)
    for text in ("Promote digital health literacy", "Fund long-term data storage"):
        services.add_item(survey, actor=lead, data={"text": text, "origin": ItemOrigin.LITERATURE}, now=now)
    services.add_panellists(survey, actor=lead, user_ids=[panellist.id])
    round_ = services.schedule_round(
        survey, actor=lead, opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7), now=now
    )
    db.session.commit()
    return round_.id


def test_panellist_saves_a_draft_comes_back_and_submits(
    db, new_page, sign_in, lead, working_group, create_user, end_transaction, screenshot
):
    panellist = create_user(display_name="Pia Panel")
    round_id = _open_survey(db, lead, working_group, panellist)
    end_transaction()

    page = sign_in(new_page(), panellist.email, "Pia Panel")
    page.goto("/delphi")
    page.get_by_role("link", name="Round 1").click()
    first, second = page.locator("fieldset").nth(0), page.locator("fieldset").nth(1)
    first.get_by_label("5").check()
    first.get_by_label("Rationale (optional)").fill("Literacy comes first")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("not yet submitted")).to_be_visible()

    page.goto(f"/delphi/rounds/{round_id}")  # coming back later: the draft is still there
    expect(page.locator("fieldset").nth(0).get_by_label("5")).to_be_checked()
    expect(page.locator("fieldset").nth(0).get_by_label("Rationale (optional)")).to_have_value("Literacy comes first")

    second.get_by_label("4").check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Submitted on")).to_be_visible()
    screenshot(page, "delphi-round-submitted")

    values = db.session.scalars(sa.select(DelphiRating.value).order_by(DelphiRating.value)).all()
    end_transaction()
    assert values == [4, 5]

    lead_page = sign_in(new_page(), lead.email, lead.display_name)
    response = lead_page.goto(f"/delphi/rounds/{round_id}")
    assert response.status in (403, 404)
    expect(lead_page.get_by_text("Literacy comes first")).to_have_count(0)
