"""Routes: notifications, read marks, preferences, workshop reminders — happy, bad input, wrong role."""

import sqlalchemy as sa

from engage.notifications.models import Notification
from engage.participation.services import register


def _notify(db, user, workshop):
    register(workshop, actor=user)
    db.session.commit()
    return db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id))


def test_list_shows_only_your_own_with_unread_count(client, db, create_user, create_workshop, auth_headers):
    mine, theirs = create_user(), create_user()
    for _ in range(3):
        _notify(db, mine, create_workshop(title="Mine"))
    _notify(db, theirs, create_workshop(title="Theirs"))
    body = client.get("/api/v1/notifications?per_page=2", headers=auth_headers(mine)).get_json()
    assert body["unread_count"] == 3
    assert body["meta"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert [n["subject"] for n in body["items"]] == ["Registration confirmed: Mine"] * 2
    item = body["items"][0]
    assert item["kind"] == "registration_confirmed" and item["read_at"] is None and item["email_state"] == "pending"
    assert "Hello" in item["body"]


def test_list_needs_sign_in(client, assert_error):
    assert_error(client.get("/api/v1/notifications"), 401)


def test_list_rejects_bad_paging(client, participant, auth_headers, assert_error):
    body = assert_error(client.get("/api/v1/notifications?per_page=0", headers=auth_headers(participant)), 422)
    assert "per_page" in body["errors"]
    assert_error(client.get("/api/v1/notifications?unread=maybe", headers=auth_headers(participant)), 422)


def test_mark_read_then_unread_only_list_is_empty(client, db, participant, create_workshop, auth_headers):
    notification = _notify(db, participant, create_workshop())
    headers = auth_headers(participant)
    response = client.post(f"/api/v1/notifications/{notification.id}/read", headers=headers)
    assert response.status_code == 200 and response.get_json()["read_at"] is not None
    body = client.get("/api/v1/notifications?unread=true", headers=headers).get_json()
    assert body["items"] == [] and body["unread_count"] == 0


def test_marking_someone_elses_notification_is_404(
    client, db, create_user, create_workshop, auth_headers, assert_error
):
    notification = _notify(db, create_user(), create_workshop())
    other = create_user()
    assert_error(client.post(f"/api/v1/notifications/{notification.id}/read", headers=auth_headers(other)), 404)
    assert_error(client.post("/api/v1/notifications/999999/read", headers=auth_headers(other)), 404)
    assert_error(client.post(f"/api/v1/notifications/{notification.id}/read"), 401)
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_preferences_default_on_and_can_mute_reminders(client, participant, auth_headers):
    headers = auth_headers(participant)
    assert client.get("/api/v1/me/notification-preferences", headers=headers).get_json() == {"reminders": True}
    response = client.put("/api/v1/me/notification-preferences", json={"reminders": False}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"reminders": False}
    assert client.get("/api/v1/me/notification-preferences", headers=headers).get_json() == {"reminders": False}


def test_preferences_bad_input_and_sign_in(client, participant, auth_headers, assert_error):
    headers = auth_headers(participant)
    body = assert_error(
        client.put("/api/v1/me/notification-preferences", json={"reminders": "soon"}, headers=headers), 422
    )
    assert "reminders" in body["errors"]
    assert_error(client.put("/api/v1/me/notification-preferences", json={}, headers=headers), 422)
    assert_error(client.get("/api/v1/me/notification-preferences"), 401)
    assert_error(client.put("/api/v1/me/notification-preferences", json={"reminders": False}), 401)


def test_lead_sets_workshop_reminders(client, lead, working_group, create_workshop, auth_headers):
    workshop = create_workshop(working_group)
    url = f"/api/v1/workshops/{workshop.id}/reminders"
    headers = auth_headers(lead)
    assert client.get(url, headers=headers).get_json() == {"minutes_before": [10080, 1440]}
    response = client.put(url, json={"minutes_before": [60, 2880, 60]}, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"minutes_before": [2880, 60]}
    assert client.get(url, headers=headers).get_json() == {"minutes_before": [2880, 60]}
    assert client.put(url, json={"minutes_before": []}, headers=headers).get_json() == {"minutes_before": []}


def test_workshop_reminders_wrong_role_is_403(
    client, create_user, participant, create_workshop, auth_headers, assert_error
):
    from engage.auth.models import Role

    workshop = create_workshop()
    other_lead = create_user(Role.LEAD)
    url = f"/api/v1/workshops/{workshop.id}/reminders"
    assert_error(client.put(url, json={"minutes_before": [60]}, headers=auth_headers(participant)), 403)
    assert_error(client.put(url, json={"minutes_before": [60]}, headers=auth_headers(other_lead)), 403)
    assert_error(client.put(url, json={"minutes_before": [60]}), 401)
    assert client.get(url, headers=auth_headers(participant)).get_json() == {"minutes_before": [10080, 1440]}


def test_workshop_reminders_bad_input(client, lead, working_group, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(working_group)
    url = f"/api/v1/workshops/{workshop.id}/reminders"
    headers = auth_headers(lead)
    for bad in ([0], [-5], [90 * 1440 + 1], [1, 2, 3, 4, 5, 6], ["soon"], [1.5], None):
        body = assert_error(client.put(url, json={"minutes_before": bad}, headers=headers), 422)
        assert "minutes_before" in body["errors"], bad
    assert_error(client.put(url, json={}, headers=headers), 422)
    assert_error(client.put("/api/v1/workshops/999999/reminders", json={"minutes_before": [60]}, headers=headers), 404)
    assert client.get(url, headers=headers).get_json() == {"minutes_before": [10080, 1440]}
