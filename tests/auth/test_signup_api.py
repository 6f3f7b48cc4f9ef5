"""POST /api/v1/signup: by invitation (or open sign-up), with recorded consent; PUT /api/v1/settings."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import ConsentPurpose, ConsentRecord, Invitation, Role, User
from engage.auth.services import CONSENT_TEXT_VERSION, create_invitation, revoke_invitation, sign_up
from engage.timeutil import utcnow

SIGNUP = {
    "password": "a long enough password",
    "display_name": "Li Wei",
    "organisation": "Fudan University",
    "region": "CN-SH",
    "category": "academia_research",
    "timezone": "Asia/Shanghai",
    "locale": "zh",
    "consent": True,
}


def _user_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


@pytest.fixture
def invitation_for(db, lead, coordinator):
    def make(email="invitee@example.org", role=Role.PARTICIPANT, actor=None, **kw):
        invitation, plain = create_invitation(
            actor=actor or (coordinator if role is not Role.PARTICIPANT else lead), email=email, role=role, **kw
        )
        db.session.commit()
        return invitation, plain

    return make


def test_signup_with_invitation_creates_participant_with_invited_email(client, invitation_for, db):
    invitation, plain = invitation_for()

    response = client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain, "email": "other@evil.example"})

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "invitee@example.org"
    assert body["role"] == "participant"
    user = db.session.scalars(sa.select(User).where(User.email == "invitee@example.org")).one()
    assert user.region == "CN-SH" and user.timezone == "Asia/Shanghai" and user.locale == "zh"
    assert db.session.scalar(sa.select(User.id).where(User.email == "other@evil.example")) is None
    db.session.expire_all()
    assert invitation.accepted_by_id == user.id and invitation.accepted_at is not None


def test_signup_records_participation_consent_with_text_version_and_time(invitation_for, db):
    _invitation, plain = invitation_for()
    now = utcnow().replace(microsecond=0) + timedelta(hours=1)

    user = sign_up(data=dict(SIGNUP, consent_reminders=False), invitation_token=plain, now=now)
    db.session.commit()

    records = db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id)).all()
    assert [(r.purpose, r.text_version, r.given_at, r.withdrawn_at) for r in records] == [
        (ConsentPurpose.PARTICIPATION, CONSENT_TEXT_VERSION, now, None)
    ]


def test_signup_through_api_records_consent(client, invitation_for, db):
    _invitation, plain = invitation_for()
    before = utcnow()

    client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain})

    record = db.session.scalars(
        sa.select(ConsentRecord)
        .join(User)
        .where(User.email == "invitee@example.org", ConsentRecord.purpose == ConsentPurpose.PARTICIPATION)
    ).one()
    assert record.text_version == CONSENT_TEXT_VERSION
    assert before - timedelta(seconds=1) <= record.given_at <= utcnow()


def test_signup_with_named_in_minutes_consent_records_it(client, invitation_for, db):
    _invitation, plain = invitation_for()

    client.post(
        "/api/v1/signup", json={**SIGNUP, "invitation_token": plain, "consent_named": True, "consent_reminders": False}
    )

    purposes = set(
        db.session.scalars(sa.select(ConsentRecord.purpose).join(User).where(User.email == "invitee@example.org"))
    )
    assert purposes == {ConsentPurpose.PARTICIPATION, ConsentPurpose.NAMED_IN_MINUTES}


def test_signup_without_named_consent_is_not_named_in_minutes(client, invitation_for, db):
    _invitation, plain = invitation_for()

    client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain})

    purposes = set(
        db.session.scalars(sa.select(ConsentRecord.purpose).join(User).where(User.email == "invitee@example.org"))
    )
    # Reminder e-mails are on unless declined; being named in minutes only when asked for.
    assert purposes == {ConsentPurpose.PARTICIPATION, ConsentPurpose.REMINDER_EMAILS}


def test_signup_with_lead_invitation_creates_lead_of_that_working_group(client, invitation_for, working_group):
    _invitation, plain = invitation_for(email="newlead@example.org", role=Role.LEAD, working_group_id=working_group.id)

    response = client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["role"] == "lead"
    assert response.get_json()["led_working_groups"] == [{"id": working_group.id, "name": working_group.name}]


def test_signup_with_coordinator_invitation_creates_coordinator(client, invitation_for):
    _invitation, plain = invitation_for(email="boss@example.org", role=Role.COORDINATOR)

    response = client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain})

    assert response.status_code == 201
    assert response.get_json()["role"] == "coordinator"


def test_signup_with_used_invitation_is_404_invitation_invalid(client, invitation_for, assert_error, db):
    _invitation, plain = invitation_for()
    assert client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain}).status_code == 201

    response = client.post("/api/v1/signup", json={**SIGNUP, "display_name": "Second", "invitation_token": plain})

    assert_error(response, 404, "invitation_invalid")
    assert _user_count(db) == 3  # lead, coordinator, the first sign-up


def test_signup_with_revoked_invitation_is_404_invitation_invalid(client, invitation_for, lead, assert_error, db):
    invitation, plain = invitation_for()
    revoke_invitation(invitation, actor=lead)
    db.session.commit()
    users_before = _user_count(db)

    assert_error(client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain}), 404, "invitation_invalid")
    assert _user_count(db) == users_before


def test_signup_with_expired_invitation_is_404_invitation_invalid(client, invitation_for, app, assert_error, db):
    ttl = timedelta(days=app.config["ENGAGE_INVITATION_TTL_DAYS"])
    _invitation, plain = invitation_for(now=utcnow() - ttl - timedelta(minutes=1))
    users_before = _user_count(db)

    assert_error(client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain}), 404, "invitation_invalid")
    assert _user_count(db) == users_before


def test_signup_with_unknown_invitation_token_is_404_invitation_invalid(client, assert_error):
    response = client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": "inv_made-up"})

    assert_error(response, 404, "invitation_invalid")


def test_signup_without_invitation_is_403_when_sign_up_is_closed(client, assert_error, db):
    response = client.post("/api/v1/signup", json={**SIGNUP, "email": "walk.in@example.org"})

    assert_error(response, 403, "forbidden")
    assert _user_count(db) == 0


def test_signup_without_invitation_works_once_coordinator_opens_sign_up(client, coordinator, auth_headers):
    opened = client.put("/api/v1/settings", json={"open_signup": True}, headers=auth_headers(coordinator))
    assert opened.status_code == 200 and opened.get_json() == {"open_signup": True, "consortium_name": ""}

    response = client.post("/api/v1/signup", json={**SIGNUP, "email": "Walk.In@Example.org"})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["email"] == "walk.in@example.org"
    assert response.get_json()["role"] == "participant"


def test_open_sign_up_can_be_closed_again(client, coordinator, auth_headers, assert_error):
    headers = auth_headers(coordinator)
    client.put("/api/v1/settings", json={"open_signup": True}, headers=headers)
    client.put("/api/v1/settings", json={"open_signup": False}, headers=headers)

    assert client.get("/api/v1/settings", headers=headers).get_json() == {"open_signup": False, "consortium_name": ""}
    assert_error(client.post("/api/v1/signup", json={**SIGNUP, "email": "walk.in@example.org"}), 403)


def test_open_sign_up_from_config_is_the_default(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "ENGAGE_OPEN_SIGNUP", True)

    response = client.post("/api/v1/signup", json={**SIGNUP, "email": "walk.in@example.org"})

    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("role_fixture", ["lead", "participant"])
def test_settings_change_by_non_coordinator_is_403(client, auth_headers, assert_error, request, role_fixture):
    headers = auth_headers(request.getfixturevalue(role_fixture))

    assert_error(client.put("/api/v1/settings", json={"open_signup": True}, headers=headers), 403)
    assert_error(client.get("/api/v1/settings", headers=headers), 403)
    assert_error(client.post("/api/v1/signup", json={**SIGNUP, "email": "walk.in@example.org"}), 403)


def test_settings_anonymous_is_401(client, assert_error):
    assert_error(client.put("/api/v1/settings", json={"open_signup": True}), 401)


def test_settings_with_bad_input_is_422(client, coordinator, auth_headers, assert_error):
    body = assert_error(
        client.put("/api/v1/settings", json={"open_signup": "perhaps"}, headers=auth_headers(coordinator)), 422
    )

    assert "open_signup" in body["errors"]


@pytest.mark.parametrize("consent", [False, None])
def test_signup_without_consent_is_422_and_creates_no_user(client, invitation_for, assert_error, db, consent):
    invitation, plain = invitation_for()
    payload = {**SIGNUP, "invitation_token": plain}
    if consent is None:
        del payload["consent"]
    else:
        payload["consent"] = consent
    users_before = _user_count(db)

    body = assert_error(client.post("/api/v1/signup", json=payload), 422)

    assert "consent" in body["errors"]
    assert _user_count(db) == users_before
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is None


def test_signup_with_short_password_is_422_and_creates_no_user(client, invitation_for, assert_error, db):
    _invitation, plain = invitation_for()
    users_before = _user_count(db)

    body = assert_error(
        client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain, "password": "short"}), 422
    )

    assert list(body["errors"]) == ["password"]
    assert _user_count(db) == users_before
    assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == users_before


@pytest.mark.parametrize(
    ("invalid", "fields"),
    [
        ({"region": "XX", "timezone": "Nowhere/Land", "locale": "fr"}, {"region", "timezone", "locale"}),
        ({"category": "alien"}, {"category"}),
        ({"display_name": "   "}, {"display_name"}),
    ],
)
def test_signup_with_invalid_profile_is_422_per_field_and_creates_no_user(
    client, invitation_for, assert_error, db, invalid, fields
):
    invitation, plain = invitation_for()
    users_before = _user_count(db)

    body = assert_error(client.post("/api/v1/signup", json={**SIGNUP, "invitation_token": plain, **invalid}), 422)

    assert set(body["errors"]) == fields
    assert _user_count(db) == users_before
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is None


def test_open_signup_with_existing_email_is_422(client, participant, monkeypatch, app, assert_error):
    monkeypatch.setitem(app.config, "ENGAGE_OPEN_SIGNUP", True)

    body = assert_error(client.post("/api/v1/signup", json={**SIGNUP, "email": participant.email.upper()}), 422)

    assert "email" in body["errors"]


def test_open_signup_with_invalid_email_is_422(client, monkeypatch, app, assert_error, db):
    monkeypatch.setitem(app.config, "ENGAGE_OPEN_SIGNUP", True)

    body = assert_error(client.post("/api/v1/signup", json={**SIGNUP, "email": "no-at-sign"}), 422)

    assert "email" in body["errors"]
    assert _user_count(db) == 0


def test_signup_with_missing_required_fields_is_422(client, assert_error):
    body = assert_error(client.post("/api/v1/signup", json={}), 422)

    assert set(body["errors"]) >= {"password", "display_name", "consent"}
