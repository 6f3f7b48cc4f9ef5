"""The workshop list is dumped from plain rows; it must say exactly what the workshop schema says."""

from datetime import timedelta

import pytest

from engage.auth.models import Role
from engage.timeutil import utcnow
from engage.workshops.models import AgendaItem, Workshop
from engage.workshops.schemas import WorkshopSchema


@pytest.fixture
def workshops(create_working_group, create_workshop, working_group):
    other = create_working_group(number=2)
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    made = [
        create_workshop(
            working_group,
            title="Rome, with a video link",
            starts_at=start,
            timezone="Europe/Rome",
            video_url="https://meet.example/rome",
            registration_closes_at=start - timedelta(days=1),
            agenda_items=[
                AgendaItem(position=1, title="Welcome", duration_minutes=15),
                AgendaItem(position=2, title="Talk"),
            ],
        ),
        create_workshop(
            other,
            title="Shanghai, other group",
            starts_at=start + timedelta(days=1),
            timezone="Asia/Shanghai",
            video_url="https://meet.example/sh",
            capacity=1,
            confirmed_count=1,
        ),
        create_workshop(other, title="No video", starts_at=start + timedelta(days=2), timezone="UTC"),
    ]
    return [w.id for w in made]


def _schema_dump(db, ids):
    return [WorkshopSchema().dump(db.session.get(Workshop, i)) for i in ids]


@pytest.mark.parametrize("viewer", ["anonymous", "participant", "lead", "coordinator"])
def test_workshop_list_api_says_what_the_schema_says(
    client, db, app, auth_headers, create_user, working_group, workshops, viewer
):
    headers = {}
    user = None
    if viewer != "anonymous":
        role = {"participant": Role.PARTICIPANT, "lead": Role.LEAD, "coordinator": Role.COORDINATOR}[viewer]
        user = create_user(role, leads=working_group if viewer == "lead" else None)
        headers = auth_headers(user)
    listed = client.get("/api/v1/workshops?per_page=100", headers=headers).get_json()["items"]
    with app.test_request_context(headers=headers):
        from flask import g

        if user is not None:
            g._login_user = user  # the request's user, as the bearer token makes it
        expected = _schema_dump(db, workshops)
    assert listed == expected
    video = {w["title"]: w["video_url"] for w in listed}
    if viewer == "coordinator":
        assert video["Rome, with a video link"] and video["Shanghai, other group"]
    elif viewer == "lead":
        assert video["Rome, with a video link"] and video["Shanghai, other group"] is None
    else:
        assert set(video.values()) == {None}


def test_workshop_list_pages_count_the_whole_list(client, workshops):
    first = client.get("/api/v1/workshops?per_page=2").get_json()
    second = client.get("/api/v1/workshops?per_page=2&page=2").get_json()
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert second["meta"] == {"page": 2, "per_page": 2, "total": 3, "pages": 2}
    assert [w["title"] for w in first["items"] + second["items"]] == [
        "Rome, with a video link",
        "Shanghai, other group",
        "No video",
    ]
    beyond = client.get("/api/v1/workshops?per_page=2&page=5").get_json()
    assert beyond["items"] == [] and beyond["meta"]["total"] == 3


def test_workshop_list_page_shows_each_time_in_the_viewers_zone(client, login, create_user, workshops):
    login(client, create_user(timezone="Asia/Shanghai"))
    html = client.get("/workshops").get_data(as_text=True)
    assert html.count("(Asia/Shanghai)") == 3
    assert "0 of 1 left" not in html and "Full — waiting list" in html
