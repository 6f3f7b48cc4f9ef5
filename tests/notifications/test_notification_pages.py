"""The /notifications page and the unread count in the navigation."""

import sqlalchemy as sa

from engage.notifications.models import Notification, NotificationPreference
from engage.participation.services import register


def _notify(db, user, workshop):
    register(workshop, actor=user)
    db.session.commit()
    return db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id))


def test_page_needs_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_page_lists_your_notifications_and_the_nav_counts_unread(
    client, db, login, participant, create_user, create_workshop
):
    _notify(db, participant, create_workshop(title="Genomics round"))
    _notify(db, create_user(), create_workshop(title="Someone else's"))
    login(client, participant)
    html = client.get("/notifications").get_data(as_text=True)
    assert "Registration confirmed: Genomics round" in html
    assert "Someone else" not in html
    assert 'aria-label="1 unread">1</span>' in html
    assert 'aria-label="1 unread"' in client.get("/workshops").get_data(as_text=True)


def test_marking_read_clears_the_count(client, db, login, participant, create_workshop):
    notification = _notify(db, participant, create_workshop())
    login(client, participant)
    response = client.post(f"/notifications/{notification.id}/read")
    assert response.status_code == 302
    assert "unread</span>" not in client.get("/notifications").get_data(as_text=True)
    assert "0 unread" in client.get("/notifications").get_data(as_text=True)


def test_marking_someone_elses_is_404(client, db, login, participant, create_user, create_workshop):
    notification = _notify(db, create_user(), create_workshop())
    login(client, participant)
    assert client.post(f"/notifications/{notification.id}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is None


def test_preferences_form_mutes_and_unmutes_reminders(client, db, login, participant):
    login(client, participant)
    assert client.post("/notifications/preferences", data={}).status_code == 302
    assert db.session.get(NotificationPreference, participant.id).has_reminders is False
    client.post("/notifications/preferences", data={"reminders": "1"})
    db.session.expire_all()
    assert db.session.get(NotificationPreference, participant.id).has_reminders is True
    assert client.post("/notifications/preferences", data={"reminders": "\x00"}).status_code == 422
