"""Rules found in review: secrets of a workshop, input that databases refuse, switched-off accounts."""

from icalendar import Calendar

from engage.auth.models import Role
from engage.auth.services import rotate_calendar_token
from engage.participation.services import register
from engage.timeutil import is_valid_zone


def _event(body: bytes):
    return next(iter(Calendar.from_ical(body).walk("VEVENT")))


def test_public_ics_and_api_do_not_reveal_the_video_link(client, create_workshop):
    workshop = create_workshop(video_url="https://meet.example.org/secret-room")
    ics = client.get(f"/workshops/{workshop.id}.ics").data
    assert b"secret-room" not in ics
    body = client.get(f"/api/v1/workshops/{workshop.id}").get_json()
    assert body["video_url"] is None and body["has_video_link"] is True
    listed = client.get("/api/v1/workshops").get_json()["items"][0]
    assert listed["video_url"] is None


def test_lead_sees_the_video_link_in_the_api(client, create_workshop, working_group, lead, auth_headers):
    workshop = create_workshop(working_group, video_url="https://meet.example.org/secret-room")
    body = client.get(f"/api/v1/workshops/{workshop.id}", headers=auth_headers(lead)).get_json()
    assert body["video_url"] == "https://meet.example.org/secret-room"


def test_workshop_page_shows_the_video_link_to_its_lead_and_coordinators_only(
    client, create_workshop, create_working_group, working_group, lead, coordinator, participant, create_user, login
):
    workshop = create_workshop(working_group, video_url="https://meet.example.org/secret-room")
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    for user, sees in ((lead, True), (coordinator, True), (other_lead, False), (participant, False), (None, False)):
        client.post("/logout")
        if user is not None:
            login(client, user)
        page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
        assert ('href="https://meet.example.org/secret-room"' in page) is sees, user


def test_seat_holder_gets_the_video_link_with_the_registration_and_in_the_feed(
    client, db, create_workshop, create_user, auth_headers
):
    workshop = create_workshop(capacity=1, video_url="https://meet.example.org/secret-room")
    seated, waiting = create_user(), create_user()
    seated_response = client.post(f"/api/v1/workshops/{workshop.id}/registrations", headers=auth_headers(seated))
    waiting_response = client.post(f"/api/v1/workshops/{workshop.id}/registrations", headers=auth_headers(waiting))
    assert seated_response.get_json()["video_url"] == "https://meet.example.org/secret-room"
    assert waiting_response.get_json()["video_url"] is None

    seated_feed = rotate_calendar_token(seated)
    waiting_feed = rotate_calendar_token(waiting)
    db.session.commit()
    assert _event(client.get(f"/calendar/{seated_feed}.ics").data)["url"] == "https://meet.example.org/secret-room"
    assert b"secret-room" not in client.get(f"/calendar/{waiting_feed}.ics").data


def test_nul_characters_are_refused_with_a_field_error(client, participant, create_workshop, auth_headers):
    login = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert login.status_code == 422
    workshop = create_workshop()
    response = client.post(
        f"/api/v1/workshops/{workshop.id}/comments", json={"body": "hello\x00"}, headers=auth_headers(participant)
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"body": ["Contains a character that is not allowed."]}
    listed = client.get(f"/api/v1/workshops/{workshop.id}/comments", headers=auth_headers(participant))
    assert listed.get_json()["meta"]["total"] == 0


def test_huge_working_group_id_in_an_invitation_is_a_field_error(client, coordinator, auth_headers):
    response = client.post(
        "/api/v1/invitations",
        json={"email": "x@example.org", "role": "lead", "working_group_id": 10**20},
        headers=auth_headers(coordinator),
    )
    assert response.status_code == 422
    assert "working_group_id" in response.get_json()["errors"]


def test_switched_off_account_loses_its_session(client, db, participant, login):
    login(client, participant)
    assert client.get("/account").status_code == 200
    participant.is_active_account = False
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_server_dependent_zone_names_are_not_time_zones():
    assert is_valid_zone("Europe/Rome")
    for name in ("localtime", "Factory", "posixrules"):
        assert not is_valid_zone(name)


def test_registration_csv_neutralises_formula_emails(
    client, db, create_workshop, working_group, lead, create_user, login
):
    workshop = create_workshop(working_group)
    register(workshop, actor=create_user(email="=cmd|'/c calc'@example.org"))
    db.session.commit()
    login(client, lead)
    csv_text = client.get(f"/manage/workshops/{workshop.id}/registrations.csv").get_data(as_text=True)
    assert "'=cmd|" in csv_text
    assert ",=cmd|" not in csv_text


def test_secret_links_use_the_configured_base_url_not_the_host_header(app, client, lead, auth_headers):
    headers = {**auth_headers(lead), "Host": "attacker.example"}
    response = client.post("/api/v1/invitations", json={"email": "new@example.org"}, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["url"].startswith(app.config["ENGAGE_BASE_URL"] + "/signup/inv_")
