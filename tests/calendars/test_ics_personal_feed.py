"""A person's private calendar feed: secret URL, revocable, lists only their own registrations."""

import hashlib
import re
from urllib.parse import urlsplit

import ics
import sqlalchemy as sa
from icalendar import Calendar

from engage.participation.services import cancel_registration, register
from engage.workshops.services import cancel_workshop

FEED_PATH = re.compile(r"^/calendar/(?P<token>[^/]+)\.ics$")


def make_feed(client, headers) -> str:
    """Ask for a new feed URL; return its path (the test client does not speak to engage.test)."""
    response = client.post("/api/v1/me/calendar-feed", headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    url = urlsplit(response.get_json()["url"])
    assert url.scheme in ("http", "https") and url.netloc
    assert FEED_PATH.match(url.path)
    return url.path


def token_of(path: str) -> str:
    return FEED_PATH.match(path)["token"]


def feed_uids(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    uids = {str(event["UID"]) for event in Calendar.from_ical(response.data).walk("VEVENT")}
    assert {event.uid for event in ics.Calendar(response.data.decode("utf-8")).events} == uids
    return uids


def uid_of(client, workshop) -> str:
    body = client.get(f"/workshops/{workshop.id}.ics").data
    return str(Calendar.from_ical(body).walk("VEVENT")[0]["UID"])


def test_feed_lists_own_confirmed_and_waitlisted_registrations_only(
    client, db, create_workshop, create_user, participant, auth_headers
):
    confirmed = create_workshop(title="Confirmed one")
    waitlisted = create_workshop(title="Waitlisted one", capacity=1)
    left = create_workshop(title="Registration cancelled")
    not_registered = create_workshop(title="Someone else's")
    someone = create_user()
    register(waitlisted, actor=someone)
    register(not_registered, actor=someone)
    register(confirmed, actor=participant)
    register(waitlisted, actor=participant)
    cancel_registration(register(left, actor=participant), actor=participant)
    db.session.commit()

    path = make_feed(client, auth_headers(participant))
    assert feed_uids(client, path) == {uid_of(client, confirmed), uid_of(client, waitlisted)}


def test_feed_keeps_a_cancelled_workshop_as_status_cancelled(
    client, db, create_workshop, working_group, lead, participant, auth_headers
):
    workshop = create_workshop(working_group=working_group)
    register(workshop, actor=participant)
    db.session.commit()
    cancel_workshop(workshop, actor=lead)
    db.session.commit()

    body = client.get(make_feed(client, auth_headers(participant))).data
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [str(event["STATUS"]) for event in events] == ["CANCELLED"]


def test_empty_feed_is_still_a_valid_calendar(client, participant, auth_headers):
    path = make_feed(client, auth_headers(participant))
    assert feed_uids(client, path) == set()


def test_rotating_the_feed_makes_the_old_url_404(client, participant, auth_headers):
    headers = auth_headers(participant)
    old = make_feed(client, headers)
    new = make_feed(client, headers)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_deleting_the_feed_makes_the_url_404(client, participant, auth_headers):
    headers = auth_headers(participant)
    path = make_feed(client, headers)
    response = client.delete("/api/v1/me/calendar-feed", headers=headers)
    assert response.status_code == 204
    assert client.get(path).status_code == 404


def test_made_up_feed_token_is_404(client, participant, auth_headers):
    make_feed(client, auth_headers(participant))
    assert client.get("/calendar/cal_made-up-token.ics").status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_feed_of_a_deactivated_account_is_404(client, db, participant, auth_headers):
    path = make_feed(client, auth_headers(participant))
    participant.is_active_account = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_token_is_stored_only_as_a_sha256_hash(client, db, participant, auth_headers):
    token = token_of(make_feed(client, auth_headers(participant)))
    row = db.session.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": participant.id}).mappings().one()
    stored = row["calendar_token_hash"]
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert not any(isinstance(value, str) and token in value for value in row.values())


def test_anonymous_cannot_make_or_delete_a_feed(client, db):
    response = client.post("/api/v1/me/calendar-feed")
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"
    assert client.delete("/api/v1/me/calendar-feed").status_code == 401


def test_account_page_shows_a_new_feed_url_once(client, login, participant, create_workshop, db):
    workshop = create_workshop()
    register(workshop, actor=participant)
    db.session.commit()
    login(client, participant)

    response = client.post("/account", data={"action": "rotate-feed"})
    assert response.status_code == 200
    match = re.search(r'<code id="feed-url">([^<]+)</code>', response.get_data(as_text=True))
    assert match, "the new feed URL is shown"
    path = urlsplit(match[1]).path
    assert feed_uids(client, path) == {uid_of(client, workshop)}

    again = client.get("/account").get_data(as_text=True)
    assert token_of(path) not in again
    assert 'id="feed-url"' not in again
