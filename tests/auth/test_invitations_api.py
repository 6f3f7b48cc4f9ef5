"""Invitations: leads invite participants, coordinators invite anyone; links are listed and revoked."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from engage.auth.models import Invitation, Role, hash_token
from engage.auth.services import create_invitation, sign_up
from engage.timeutil import utcnow


def _invite(client, headers, **payload):
    return client.post("/api/v1/invitations", json=payload, headers=headers)


def test_lead_creates_participant_invitation_with_signup_url(client, lead, auth_headers, db):
    response = _invite(client, auth_headers(lead), email="  New.Person@Example.org ")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "new.person@example.org"
    assert body["role"] == "participant"
    path = urlsplit(body["url"]).path
    assert path.startswith("/signup/")
    plain = path.removeprefix("/signup/")
    stored = db.session.get(Invitation, body["id"])
    assert stored.created_by_id == lead.id
    assert stored.token_hash == hash_token(plain) and plain not in stored.token_hash
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", ["lead", "coordinator"])
def test_lead_cannot_invite_lead_or_coordinator(client, lead, working_group, auth_headers, assert_error, db, role):
    response = _invite(client, auth_headers(lead), email="x@example.org", role=role, working_group_id=working_group.id)

    assert_error(response, 403, "forbidden")
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_participant_cannot_invite(client, participant, auth_headers, assert_error, db):
    assert_error(_invite(client, auth_headers(participant), email="x@example.org"), 403, "forbidden")
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_anonymous_cannot_invite(client, assert_error):
    assert_error(_invite(client, {}, email="x@example.org"), 401)


def test_coordinator_invites_lead_for_a_working_group(client, coordinator, working_group, auth_headers):
    response = _invite(
        client, auth_headers(coordinator), email="lead2@example.org", role="lead", working_group_id=working_group.id
    )

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["role"] == "lead"
    assert response.get_json()["working_group_id"] == working_group.id


def test_coordinator_inviting_lead_without_working_group_is_422(client, coordinator, auth_headers, assert_error, db):
    body = assert_error(_invite(client, auth_headers(coordinator), email="lead2@example.org", role="lead"), 422)

    assert "working_group_id" in body["errors"]
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_inviting_lead_to_a_working_group_that_does_not_exist_is_422_not_500(
    client, coordinator, auth_headers, assert_error, db
):
    response = _invite(
        client, auth_headers(coordinator), email="lead2@example.org", role="lead", working_group_id=999999
    )

    body = assert_error(response, 422)
    assert "working_group_id" in body["errors"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_inviting_an_existing_email_is_422(client, lead, participant, auth_headers, assert_error):
    body = assert_error(_invite(client, auth_headers(lead), email=participant.email.upper()), 422)

    assert "email" in body["errors"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"email": "not-an-email"}, {"email": "a@b.c", "role": "king"}, {"email": "a@b.c", "working_group_id": "x"}],
)
def test_invitation_with_bad_input_is_422_with_field_errors(client, coordinator, auth_headers, assert_error, payload):
    body = assert_error(_invite(client, auth_headers(coordinator), **payload), 422)

    assert body["errors"]


def test_invitation_list_lead_sees_own_coordinator_sees_all(
    client, lead, coordinator, create_user, working_group, auth_headers
):
    other_lead = create_user(Role.LEAD, leads=working_group)
    create_invitation(actor=lead, email="mine@example.org")
    create_invitation(actor=other_lead, email="theirs@example.org")
    create_invitation(actor=coordinator, email="coord@example.org")

    as_lead = client.get("/api/v1/invitations", headers=auth_headers(lead)).get_json()
    as_coordinator = client.get("/api/v1/invitations", headers=auth_headers(coordinator)).get_json()

    assert [i["email"] for i in as_lead["items"]] == ["mine@example.org"]
    assert as_lead["meta"]["total"] == 1
    assert {i["email"] for i in as_coordinator["items"]} == {
        "mine@example.org",
        "theirs@example.org",
        "coord@example.org",
    }
    assert as_coordinator["meta"]["total"] == 3


def test_invitation_list_is_paginated(client, coordinator, auth_headers):
    for n in range(5):
        create_invitation(actor=coordinator, email=f"p{n}@example.org")

    body = client.get("/api/v1/invitations?per_page=2&page=3", headers=auth_headers(coordinator)).get_json()

    assert body["meta"] == {"page": 3, "per_page": 2, "total": 5, "pages": 3}
    assert len(body["items"]) == 1
    assert all("url" not in i and "token_hash" not in i for i in body["items"])


def test_invitation_list_participant_is_403(client, participant, auth_headers, assert_error):
    assert_error(client.get("/api/v1/invitations", headers=auth_headers(participant)), 403)


def test_lead_revokes_own_invitation_and_link_stops_working(client, lead, auth_headers, db):
    invitation, plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    response = client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth_headers(lead))

    assert response.status_code == 204
    db.session.expire_all()
    assert invitation.revoked_at is not None
    assert client.get(f"/signup/{plain}").status_code == 404


def test_lead_revoking_other_leads_invitation_is_404(
    client, lead, create_user, working_group, auth_headers, assert_error, db
):
    other_lead = create_user(Role.LEAD, leads=working_group)
    invitation, _plain = create_invitation(actor=other_lead, email="p@example.org")
    db.session.commit()

    assert_error(client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth_headers(lead)), 404)
    db.session.expire_all()
    assert invitation.revoked_at is None


def test_coordinator_revokes_any_invitation(client, lead, coordinator, auth_headers, db):
    invitation, _plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    assert client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth_headers(coordinator)).status_code == 204


def test_participant_revoking_an_invitation_is_404(client, lead, participant, auth_headers, assert_error, db):
    invitation, _plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    response = client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth_headers(participant))

    assert_error(response, 404)
    db.session.expire_all()
    assert invitation.revoked_at is None


def test_revoking_accepted_invitation_is_409(client, lead, auth_headers, assert_error, db):
    invitation, plain = create_invitation(actor=lead, email="p@example.org")
    sign_up(data={"password": "long enough pw", "display_name": "P", "consent": True}, invitation_token=plain)
    db.session.commit()

    assert_error(client.delete(f"/api/v1/invitations/{invitation.id}", headers=auth_headers(lead)), 409, "conflict")


def test_revoking_missing_invitation_is_404(client, lead, auth_headers, assert_error):
    assert_error(client.delete("/api/v1/invitations/999999", headers=auth_headers(lead)), 404)


def test_invitation_expires_after_its_ttl(app, lead):
    now = utcnow()
    invitation, _plain = create_invitation(actor=lead, email="p@example.org", now=now)
    ttl = timedelta(days=app.config["ENGAGE_INVITATION_TTL_DAYS"])

    assert invitation.is_open(now + ttl - timedelta(seconds=1))
    assert not invitation.is_open(now + ttl)
