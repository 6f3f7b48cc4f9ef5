"""Delphi test helpers: a survey with a panel, rounds at fixed times, and panellists' ratings."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.auth.models import StakeholderCategory
from engage.delphi import services
from engage.delphi.models import DisclosureMode, ItemOrigin
from engage.timeutil import utcnow

T0 = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


@pytest.fixture
def create_survey(db, lead, working_group):
    def make(texts=("Promote digital health literacy",), disclosure_mode=DisclosureMode.GROUP_RESULTS, **rule):
        data = {"title": "Pillar I Delphi", "disclosure_mode": disclosure_mode}
        survey = services.create_survey(working_group, actor=lead, data=data, now=T0)
        for text in texts:
            services.add_item(survey, actor=lead, data={"text": text, "origin": ItemOrigin.LITERATURE}, now=T0)
        if rule:
            services.update_rule(survey, actor=lead, data=rule, now=T0)
        db.session.commit()
        return survey

    return make


@pytest.fixture
def create_panel(db, create_user, lead):
    """Put n new people on a survey's panel; keyword arguments set their region and category."""

    def make(survey, n: int, region: str = "IT", category=StakeholderCategory.ACADEMIA_RESEARCH):
        users = [create_user(region=region, category=category) for _ in range(n)]
        services.add_panellists(survey, actor=lead, user_ids=[u.id for u in users])
        db.session.commit()
        return users

    return make


@pytest.fixture
def open_round(db, lead):
    """Schedule the survey's next round, open at `now` for a week."""

    def make(survey, now=T0):
        round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
        db.session.commit()
        return round_

    return make


@pytest.fixture
def rate(db):
    """Submit ratings: {item_id: value, or None for "cannot rate"} (or a single value for every item)."""

    def do(round_, user, values, *, submit=True, now=None, rationale=""):
        if not isinstance(values, dict):
            values = {ri.item_id: values for ri in round_.round_items}
        ratings = [
            {"item_id": item_id, "value": v, "cannot_rate": v is None, "rationale": rationale}
            for item_id, v in values.items()
        ]
        response = services.save_response(
            round_, actor=user, ratings=ratings, submit=submit, now=now or round_.opens_at + timedelta(hours=1)
        )
        db.session.commit()
        return response

    return do


@pytest.fixture
def live(db, lead, create_survey, create_panel):
    """A survey (items A, B) whose round 1 is open now (real time), with n EU academic panellists."""

    def make(n=6, disclosure_mode=DisclosureMode.GROUP_RESULTS, **rule):
        survey = create_survey(texts=("A", "B"), disclosure_mode=disclosure_mode, **rule)
        panel = create_panel(survey, n, region="IT", category=StakeholderCategory.ACADEMIA_RESEARCH)
        now = utcnow()
        round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
        db.session.commit()
        return survey, round_, panel, [ri.item_id for ri in round_.round_items]

    return make


@pytest.fixture
def submit_all(client, auth_headers):
    """Each panellist submits, through the API, the same value for the given items (with a rationale)."""

    def do(round_, panel, items, values):
        for user, value in zip(panel, values, strict=True):
            body = {
                "ratings": [{"item_id": i, "value": value, "rationale": f"{user.display_name} says"} for i in items],
                "submit": True,
            }
            response = client.put(
                f"/api/v1/delphi/rounds/{round_.id}/my-response", json=body, headers=auth_headers(user)
            )
            assert response.status_code == 200, response.get_data(as_text=True)

    return do
