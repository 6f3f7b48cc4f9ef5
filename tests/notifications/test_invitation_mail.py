"""An invitation is e-mailed to its address; the secret link is not kept once delivered."""

import re

import sqlalchemy as sa
from notif_helpers import html_of, text_of

from engage.notifications.jobs import run_due_notifications
from engage.notifications.models import Notification, NotificationKind, NotificationState
from engage.timeutil import utcnow


def test_invitation_link_is_emailed_and_then_forgotten(app, client, db, mail_server, lead, auth_headers):
    response = client.post("/api/v1/invitations", json={"email": "new.person@example.org"}, headers=auth_headers(lead))
    assert response.status_code == 201
    shown_once = response.get_json()["url"]

    assert run_due_notifications(utcnow())["sent"] == 1
    [message] = mail_server.wait_for(1)
    assert mail_server.recipients == [["new.person@example.org"]]
    assert message["Subject"] == "You are invited to take part in Engage"
    text = text_of(message)
    assert shown_once in text and "Lea Lead invites you" in text and "(Europe/Rome)" in text
    path = re.search(r"https?://[^/\s]+(/signup/\S+)", text).group(1)
    assert client.get(path).status_code == 200  # the e-mailed link works

    db.session.expire_all()
    row = db.session.scalar(sa.select(Notification).where(Notification.kind == NotificationKind.INVITATION))
    assert (row.state, row.recipient_email, row.user_id) == (NotificationState.SENT, "new.person@example.org", None)
    assert shown_once not in row.body_text + row.body_html  # only the hash of the token stays
    # Nobody sees it in-app: the inviter's notifications do not include it.
    listed = client.get("/api/v1/notifications", headers=auth_headers(lead)).get_json()
    assert all(item["subject"] != message["Subject"] for item in listed["items"])


def test_delphi_panel_invitation_is_emailed_too(client, db, mail_server, lead, working_group, auth_headers):
    from engage.delphi import services as delphi

    survey = delphi.create_survey(working_group, actor=lead, data={"title": "Pillar I Delphi"}, now=utcnow())
    db.session.commit()
    response = client.post(
        f"/api/v1/delphi/surveys/{survey.id}/panel/invitations",
        json={"email": "expert@example.cn"},
        headers=auth_headers(lead),
    )
    assert response.status_code == 201
    run_due_notifications(utcnow())
    [message] = mail_server.wait_for(1)
    assert message["To"] == "expert@example.cn"
    assert response.get_json()["signup_url"] in text_of(message)


def test_invitation_email_names_the_consortium(client, db, mail_server, lead, coordinator, auth_headers):
    client.put("/api/v1/settings", json={"consortium_name": "IC2PerMed"}, headers=auth_headers(coordinator))
    client.post("/api/v1/invitations", json={"email": "new.person@example.org"}, headers=auth_headers(lead))
    run_due_notifications(utcnow())
    [message] = mail_server.wait_for(1)
    assert message["Subject"] == "You are invited to take part in IC2PerMed on Engage"
    text = text_of(message)
    assert "Lea Lead invites you to take part in the stakeholder engagement of IC2PerMed on Engage." in text
    assert "your account with IC2PerMed on Engage" in html_of(message)
