"""Coordinators administer people; the audit log records it and cannot be changed."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from engage.audit.models import AuditAction, AuditEvent
from engage.auth.models import AccountToken, AccountTokenPurpose, ApiToken, Invitation, Role, UserSession
from engage.notifications.models import Notification
from engage.privacy.jobs import run_retention
from engage.timeutil import utcnow
from tests.conftest import PASSWORD


def test_people_list_searches_and_filters_with_last_sign_in(app, db, login, coordinator, create_user, lead):
    found = create_user(display_name="Giulia Romano", region="IT")
    create_user(display_name="Li Wei", region="CN-BJ")
    login(app.test_client(), found)
    client = login(app.test_client(), coordinator)

    page = client.get("/admin/users?q=giulia").get_data(as_text=True)
    assert "Giulia Romano" in page and "Li Wei" not in page and "never" not in page
    page = client.get("/admin/users?region=CN-BJ").get_data(as_text=True)
    assert "Li Wei" in page and "Giulia Romano" not in page
    page = client.get(f"/admin/users?role=lead&working_group_id={lead.led_working_groups[0].id}").get_data(as_text=True)
    assert "Lea Lead" in page and "Li Wei" not in page
    assert client.get("/admin/users?role=nonsense&working_group_id=abc").status_code == 200


def test_people_pages_are_for_coordinators(app, login, lead, participant):
    for user in (lead, participant):
        client = login(app.test_client(), user)
        assert client.get("/admin/users").status_code == 403
        assert client.get(f"/admin/users/{participant.id}").status_code == 403
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/audit.csv").status_code == 403


def test_switching_an_account_off_ends_its_sessions_and_tokens(app, db, login, coordinator, participant, auth_headers):
    victim = login(app.test_client(), participant)
    headers = auth_headers(participant)
    admin = login(app.test_client(), coordinator)

    response = admin.post(f"/admin/users/{participant.id}", data={"role": "participant"})
    assert response.status_code == 302
    assert victim.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert app.test_client().post("/login", data={"email": participant.email, "password": PASSWORD}).status_code == 401

    admin.post(f"/admin/users/{participant.id}", data={"role": "participant", "is_active": "1"})
    assert victim.get("/account").status_code == 302  # switching on does not bring old sessions back
    assert login(app.test_client(), participant).get("/account").status_code == 200
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [AuditAction.ACCOUNT_SWITCHED_OFF, AuditAction.ACCOUNT_SWITCHED_ON]


def test_role_and_lead_assignments_change_through_the_api(
    client, db, coordinator, participant, working_group, auth_headers, assert_error
):
    headers = auth_headers(coordinator)
    url = f"/api/v1/users/{participant.id}"
    assert_error(client.patch(url, json={"role": "lead"}, headers=headers), 422)  # a lead leads a group
    assert_error(client.patch(url, json={"role": "lead", "lead_working_group_ids": [999]}, headers=headers), 422)
    assert_error(client.patch(url, json={"role": "emperor"}, headers=headers), 422)
    response = client.patch(url, json={"role": "lead", "lead_working_group_ids": [working_group.id]}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["role"] == "lead" and response.get_json()["lead_working_group_ids"] == [working_group.id]
    back = client.patch(url, json={"role": "participant"}, headers=headers).get_json()
    assert back["lead_working_group_ids"] == []
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        AuditAction.ROLE_CHANGED,
        AuditAction.LEADS_CHANGED,
        AuditAction.ROLE_CHANGED,
        AuditAction.LEADS_CHANGED,
    ]
    assert events[0].details == {"from": "participant", "to": "lead"} and events[0].actor_id == coordinator.id


def test_user_api_is_for_coordinators_and_lists_with_filters(client, coordinator, lead, participant, auth_headers):
    assert client.get("/api/v1/users", headers=auth_headers(lead)).status_code == 403
    assert (
        client.patch(
            f"/api/v1/users/{participant.id}", json={"role": "coordinator"}, headers=auth_headers(lead)
        ).status_code
        == 403
    )
    listed = client.get("/api/v1/users?q=pat&is_active=true", headers=auth_headers(coordinator)).get_json()
    assert [u["id"] for u in listed["items"]] == [participant.id] and listed["items"][0]["last_login_at"] is None
    assert client.get("/api/v1/users?role=nope", headers=auth_headers(coordinator)).status_code == 422
    assert client.get("/api/v1/users/999999", headers=auth_headers(coordinator)).status_code == 404


def test_a_coordinator_cannot_demote_or_switch_off_themselves(client, coordinator, auth_headers, assert_error):
    url = f"/api/v1/users/{coordinator.id}"
    assert_error(client.patch(url, json={"role": "participant"}, headers=auth_headers(coordinator)), 422)
    assert_error(client.patch(url, json={"is_active": False}, headers=auth_headers(coordinator)), 422)


def test_invitations_are_resent_with_a_new_link_and_revoked(client, db, coordinator, auth_headers, assert_error):
    headers = auth_headers(coordinator)
    created = client.post("/api/v1/invitations", json={"email": "newcomer@example.org"}, headers=headers).get_json()
    resent = client.post(f"/api/v1/invitations/{created['id']}/resend", headers=headers)
    assert resent.status_code == 200 and resent.get_json()["url"] != created["url"]
    assert client.get("/signup/" + created["url"].rsplit("/", 1)[1]).status_code == 404  # the old link is dead
    assert client.get("/signup/" + resent.get_json()["url"].rsplit("/", 1)[1]).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 2  # e-mailed again
    assert client.delete(f"/api/v1/invitations/{created['id']}", headers=headers).status_code == 204
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [AuditAction.INVITATION_CREATED, AuditAction.INVITATION_RESENT, AuditAction.INVITATION_REVOKED]
    assert_error(client.post("/api/v1/invitations/999999/resend", headers=headers), 404)


def test_audit_log_page_filters_and_csv_with_address(app, db, login, coordinator):
    client = login(app.test_client(), coordinator)
    client.post("/settings", data={"open_signup": "1"})
    client.post("/invitations", data={"email": "a@example.org", "role": "participant"})

    page = client.get("/admin/audit?action=settings_changed").get_data(as_text=True)
    assert "<td>settings changed</td>" in page and "<td>invitation created</td>" not in page
    assert "<td>127.0.0.1</td>" in page
    csv_text = client.get("/admin/audit.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("id,occurred_at_utc,actor_id,actor,action")
    assert "invitation_created" in csv_text and "settings_changed" in csv_text
    assert "a@example.org" not in csv_text  # the log names ids, never addresses
    assert client.get("/admin/audit?since=not-a-date&actor_id=x").status_code == 200


def test_audit_api_and_the_log_cannot_be_changed(client, db, coordinator, participant, auth_headers, assert_error):
    client.put("/api/v1/settings", json={"open_signup": True}, headers=auth_headers(coordinator))
    listed = client.get("/api/v1/audit-events?action=settings_changed", headers=auth_headers(coordinator)).get_json()
    assert listed["items"][0]["details"] == {"key": "open_signup", "from": False, "to": True}
    assert_error(client.get("/api/v1/audit-events", headers=auth_headers(participant)), 403)
    assert_error(client.get("/api/v1/audit-events?action=nope", headers=auth_headers(coordinator)), 422)

    event = db.session.scalar(sa.select(AuditEvent))
    event.ip_address = "10.0.0.1"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(sa.update(AuditEvent).values(ip_address="10.0.0.1"))
    db.session.rollback()


def test_retention_purges_old_bodies_invitations_tokens_and_sessions(app, db, coordinator, participant, login):
    login(app.test_client(), participant)
    now = utcnow()
    old = now - timedelta(days=400)
    db.session.add_all(
        [
            Notification(user_id=participant.id, kind="REGISTRATION_CONFIRMED", dedupe_key="x", subject="s",
                         body_text="old body", body_html="<p>old body</p>", state="SENT", created_at=old),
            Invitation(email="gone@example.org", token_hash="h1", created_at=old, expires_at=old),
            Invitation(email="open@example.org", token_hash="h2", created_at=now, expires_at=now + timedelta(days=3)),
            ApiToken(user_id=participant.id, token_hash="t1", created_at=old, expires_at=old),
            AccountToken(user_id=participant.id, purpose=AccountTokenPurpose.PASSWORD_RESET, token_hash="a1",
                         created_at=old, expires_at=old),
        ]
    )  # fmt: skip
    db.session.execute(sa.update(UserSession).values(expires_at=old))
    db.session.commit()

    counts = run_retention(now)

    assert counts == {"notification_bodies": 1, "invitations": 1, "api_tokens": 1, "account_tokens": 1,
                      "sessions": 1, "export_files": 0}  # fmt: skip
    assert db.session.scalar(sa.select(Notification.body_text)) == ""
    assert db.session.scalars(sa.select(Invitation.email)).all() == ["open@example.org"]
    assert run_retention(now) == dict.fromkeys(counts, 0)
    assert Role.COORDINATOR
