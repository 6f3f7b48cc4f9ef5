from datetime import timedelta

import pytest

from engage.auth.models import Role
from engage.participation.models import Registration, RegistrationStatus
from engage.participation.services import register
from engage.timeutil import format_moment, utcnow
from engage.workshops.services import cancel_workshop


def _url(workshop, registration_id=None):
    base = f"/api/v1/workshops/{workshop.id}/registrations"
    return base if registration_id is None else f"{base}/{registration_id}"


def test_register_self_confirms_while_seats_remain(client, participant, create_workshop, auth_headers):
    workshop = create_workshop(capacity=2)
    response = client.post(_url(workshop), headers=auth_headers(participant))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "confirmed"
    assert body["waitlist_position"] is None
    assert body["user"] == {"id": participant.id, "display_name": "Pat Participant"}
    assert client.get(f"/api/v1/workshops/{workshop.id}").get_json()["seats_left"] == 1


def test_register_when_full_is_waitlisted_with_position(client, db, create_user, create_workshop, auth_headers):
    workshop = create_workshop(capacity=1)
    register(workshop, actor=create_user())
    db.session.commit()
    first = client.post(_url(workshop), headers=auth_headers(create_user())).get_json()
    second = client.post(_url(workshop), headers=auth_headers(create_user())).get_json()
    assert (first["status"], first["waitlist_position"]) == ("waitlisted", 1)
    assert (second["status"], second["waitlist_position"]) == ("waitlisted", 2)


def test_registering_twice_is_409_already_registered(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    headers = auth_headers(participant)
    client.post(_url(workshop), headers=headers)
    body = assert_error(client.post(_url(workshop), headers=headers), 409, "already_registered")
    assert "already registered" in body["message"]


def test_registering_for_a_cancelled_workshop_is_409(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop(working_group)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    body = assert_error(client.post(_url(workshop), headers=auth_headers(participant)), 409, "workshop_cancelled")
    assert "cancelled" in body["message"]


def test_registering_after_registration_closed_is_409(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(registration_closes_at=utcnow() - timedelta(hours=1))
    body = assert_error(client.post(_url(workshop), headers=auth_headers(participant)), 409, "registration_closed")
    assert "closed" in body["message"]


def test_registering_before_registration_opens_is_409(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(registration_opens_at=utcnow() + timedelta(days=1))
    body = assert_error(client.post(_url(workshop), headers=auth_headers(participant)), 409, "registration_not_open")
    assert "not opened" in body["message"]


def test_anonymous_cannot_register(client, create_workshop, assert_error):
    workshop = create_workshop()
    assert_error(client.post(_url(workshop)), 401, "unauthorized")


def test_registering_for_an_unknown_workshop_is_404(client, participant, auth_headers, assert_error):
    assert_error(client.post("/api/v1/workshops/424242/registrations", headers=auth_headers(participant)), 404)


def test_register_ignores_whatever_body_is_sent(client, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    response = client.post(
        _url(workshop), data="[1, 2", content_type="application/json", headers=auth_headers(participant)
    )
    assert response.status_code == 201


# --- cancel -----------------------------------------------------------------------------------------


def test_cancelling_own_registration_promotes_the_first_waitlisted(client, create_user, create_workshop, auth_headers):
    workshop = create_workshop(capacity=1)
    holder, first, second = create_user(), create_user(), create_user()
    seat = client.post(_url(workshop), headers=auth_headers(holder)).get_json()
    client.post(_url(workshop), headers=auth_headers(first))
    client.post(_url(workshop), headers=auth_headers(second))
    response = client.delete(_url(workshop, seat["id"]), headers=auth_headers(holder))
    assert response.status_code == 204
    assert response.data == b""
    [mine] = client.get(_url(workshop), headers=auth_headers(first)).get_json()["items"]
    assert (mine["status"], mine["waitlist_position"]) == ("confirmed", None)
    assert mine["promoted_at"] is not None
    [theirs] = client.get(_url(workshop), headers=auth_headers(second)).get_json()["items"]
    assert (theirs["status"], theirs["waitlist_position"]) == ("waitlisted", 1)


def test_cancelling_twice_is_409(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    headers = auth_headers(participant)
    mine = client.post(_url(workshop), headers=headers).get_json()
    client.delete(_url(workshop, mine["id"]), headers=headers)
    assert_error(client.delete(_url(workshop, mine["id"]), headers=headers), 409, "already_cancelled")


def test_participant_cannot_cancel_someone_elses_registration(
    client, db, participant, create_user, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    theirs = register(workshop, actor=create_user())
    db.session.commit()
    assert_error(client.delete(_url(workshop, theirs.id), headers=auth_headers(participant)), 404)
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).status is RegistrationStatus.CONFIRMED


def test_registration_of_another_workshop_is_404(client, db, participant, create_workshop, auth_headers, assert_error):
    workshop, other = create_workshop(), create_workshop()
    mine = register(other, actor=participant)
    db.session.commit()
    assert_error(client.delete(_url(workshop, mine.id), headers=auth_headers(participant)), 404)
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status is RegistrationStatus.CONFIRMED


def test_lead_cancels_a_registration_of_their_workshop(
    client, db, lead, working_group, create_user, create_workshop, auth_headers
):
    workshop = create_workshop(working_group)
    theirs = register(workshop, actor=create_user())
    db.session.commit()
    assert client.delete(_url(workshop, theirs.id), headers=auth_headers(lead)).status_code == 204


def test_anonymous_cannot_cancel(client, db, participant, create_workshop, assert_error):
    workshop = create_workshop()
    mine = register(workshop, actor=participant)
    db.session.commit()
    assert_error(client.delete(_url(workshop, mine.id)), 401)


# --- list ---------------------------------------------------------------------------------------------


def test_lead_sees_all_registrations_with_email(
    client, db, lead, working_group, create_user, create_workshop, auth_headers
):
    workshop = create_workshop(working_group, capacity=1)
    people = [create_user(), create_user()]
    for person in people:
        register(workshop, actor=person)
    db.session.commit()
    body = client.get(_url(workshop), headers=auth_headers(lead)).get_json()
    assert body["meta"]["total"] == 2
    assert [(r["email"], r["status"], r["waitlist_position"]) for r in body["items"]] == [
        (people[0].email, "confirmed", None),
        (people[1].email, "waitlisted", 1),
    ]
    assert body["items"][0]["organisation"] == people[0].organisation


def test_coordinator_sees_all_registrations(client, db, coordinator, create_user, create_workshop, auth_headers):
    workshop = create_workshop()
    register(workshop, actor=create_user())
    db.session.commit()
    assert client.get(_url(workshop), headers=auth_headers(coordinator)).get_json()["meta"]["total"] == 1


def test_participant_sees_only_their_own_registration(
    client, db, participant, create_user, create_workshop, auth_headers
):
    workshop = create_workshop()
    others = [create_user(email="someone.else@example.org"), create_user()]
    for person in others:
        register(workshop, actor=person)
    register(workshop, actor=participant)
    db.session.commit()
    response = client.get(_url(workshop), headers=auth_headers(participant))
    body = response.get_json()
    assert [r["user"]["id"] for r in body["items"]] == [participant.id]
    assert body["meta"]["total"] == 1
    assert "someone.else@example.org" not in response.get_data(as_text=True)


def test_other_working_group_lead_sees_only_their_own(
    client, db, create_user, create_working_group, create_workshop, auth_headers
):
    workshop = create_workshop()
    register(workshop, actor=create_user())
    db.session.commit()
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert client.get(_url(workshop), headers=auth_headers(other_lead)).get_json()["items"] == []


def test_anonymous_cannot_list_registrations(client, create_workshop, assert_error):
    workshop = create_workshop()
    assert_error(client.get(_url(workshop)), 401)


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "per_page=x", "page=99999999999999999999"])
def test_bad_registration_list_arguments_are_422(
    client, lead, working_group, create_workshop, auth_headers, assert_error, query
):
    workshop = create_workshop(working_group)
    assert_error(client.get(_url(workshop) + "?" + query, headers=auth_headers(lead)), 422)


# --- attendance -----------------------------------------------------------------------------------------


def test_lead_marks_attendance(client, lead, participant, seated_at_started_workshop, auth_headers):
    workshop, mine = seated_at_started_workshop(participant)
    response = client.patch(_url(workshop, mine.id), json={"attended": True}, headers=auth_headers(lead))
    assert response.status_code == 200
    assert response.get_json()["status"] == "attended"
    response = client.patch(_url(workshop, mine.id), json={"attended": False}, headers=auth_headers(lead))
    assert response.get_json()["status"] == "confirmed"


def test_participant_cannot_mark_attendance(client, db, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    mine = register(workshop, actor=participant)
    db.session.commit()
    assert_error(client.patch(_url(workshop, mine.id), json={"attended": True}, headers=auth_headers(participant)), 403)
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status is RegistrationStatus.CONFIRMED


def test_other_working_group_lead_cannot_mark_attendance(
    client, db, participant, create_user, create_working_group, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    mine = register(workshop, actor=participant)
    db.session.commit()
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(client.patch(_url(workshop, mine.id), json={"attended": True}, headers=auth_headers(other_lead)), 403)


def test_waitlisted_cannot_be_marked_attended(
    client, db, lead, create_user, seated_at_started_workshop, auth_headers, assert_error
):
    workshop, _seated = seated_at_started_workshop(create_user(), capacity=1)
    waiting = register(workshop, actor=create_user(), now=workshop.starts_at - timedelta(hours=2))
    db.session.commit()
    body = assert_error(
        client.patch(_url(workshop, waiting.id), json={"attended": True}, headers=auth_headers(lead)), 409
    )
    assert body["message"] == "Only confirmed registrations can be marked as attended."


def test_attendance_of_a_workshop_that_has_not_started_is_refused(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error
):
    starts = utcnow().replace(microsecond=0) + timedelta(days=2)
    workshop = create_workshop(working_group, starts_at=starts, timezone="Asia/Shanghai")
    mine = register(workshop, actor=participant)
    db.session.commit()
    body = assert_error(
        client.patch(_url(workshop, mine.id), json={"attended": True}, headers=auth_headers(lead)),
        409,
        "workshop_not_started",
    )
    local = format_moment(starts, "Asia/Shanghai", locale="en")
    assert body["message"] == f"Attendance is recorded once the workshop has started. The workshop starts on {local}."
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).status is RegistrationStatus.CONFIRMED


def test_attended_registration_cannot_be_cancelled(
    client, lead, participant, seated_at_started_workshop, auth_headers, assert_error
):
    workshop, mine = seated_at_started_workshop(participant)
    client.patch(_url(workshop, mine.id), json={"attended": True}, headers=auth_headers(lead))
    assert_error(client.delete(_url(workshop, mine.id), headers=auth_headers(participant)), 409)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {}},
        {"json": {"attended": "perhaps"}},
        {"json": {"attended": None}},
        {"json": [True]},
        {"json": "attended"},
        {"data": "attended=1", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{oops", "content_type": "application/json"},
    ],
)
def test_bad_attendance_bodies_are_422(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error, kwargs
):
    workshop = create_workshop(working_group)
    mine = register(workshop, actor=participant)
    db.session.commit()
    assert_error(client.patch(_url(workshop, mine.id), headers=auth_headers(lead), **kwargs), 422)


def test_attendance_for_a_registration_of_another_workshop_is_404(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error
):
    mine = create_workshop(working_group)
    other = create_workshop(working_group)
    registration = register(other, actor=participant)
    db.session.commit()
    assert_error(client.patch(_url(mine, registration.id), json={"attended": True}, headers=auth_headers(lead)), 404)


@pytest.mark.parametrize("registration_id", ["0", "424242", "2147483648", "99999999999999999999"])
def test_registration_ids_out_of_range_are_404(
    client, lead, working_group, create_workshop, auth_headers, assert_error, registration_id
):
    workshop = create_workshop(working_group)
    headers = auth_headers(lead)
    url = f"{_url(workshop)}/{registration_id}"
    assert_error(client.delete(url, headers=headers), 404)
    assert_error(client.patch(url, json={"attended": True}, headers=headers), 404)
