"""Password reset by e-mail, password change, e-mail change confirmed at the new address, consents."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.audit.models import AuditAction, AuditEvent
from engage.auth import services
from engage.auth.models import AccountToken, ConsentPurpose, ConsentRecord, User
from engage.notifications.models import Notification, NotificationKind, NotificationPreference
from engage.timeutil import utcnow
from tests.conftest import PASSWORD


def _link(db, kind: NotificationKind, address: str) -> str:
    message = db.session.scalars(
        sa.select(Notification).where(Notification.kind == kind, Notification.recipient_email == address)
    ).one()
    assert message.user_id is None  # to the address only, never shown in-app
    return re.search(r"https?://\S+", message.body_text).group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_reset_link_lets_the_person_choose_a_new_password_once(app, client, participant, db, login):
    client.post("/password/forgot", data={"email": participant.email.upper()})
    url = _link(db, NotificationKind.PASSWORD_RESET, participant.email)
    plain = url.rsplit("/", 1)[1]
    assert db.session.scalar(sa.select(AccountToken.token_hash)) != plain  # stored hashed only

    assert client.get(_path(url)).status_code == 200
    response = client.post(_path(url), data={"password": "my new long password"})
    assert response.status_code == 302

    assert services.authenticate(participant.email, "my new long password") is not None
    assert services.authenticate(participant.email, PASSWORD) is None
    again = client.post(_path(url), data={"password": "another new password"})
    assert again.status_code == 404  # single use
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.target_id == participant.id)) is (
        AuditAction.PASSWORD_RESET
    )


def test_reset_request_answers_the_same_whether_or_not_the_address_exists(client, participant, db):
    known = client.post("/password/forgot", data={"email": participant.email}, follow_redirects=True)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)

    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_reset_link_expires(client, participant, db):
    client.post("/password/forgot", data={"email": participant.email})
    url = _link(db, NotificationKind.PASSWORD_RESET, participant.email)
    db.session.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()

    assert client.get(_path(url)).status_code == 404
    assert client.post(_path(url), data={"password": "my new long password"}).status_code == 404
    assert services.authenticate(participant.email, PASSWORD) is not None


def test_reset_with_a_short_password_is_refused_and_keeps_the_link(client, participant, db):
    client.post("/password/forgot", data={"email": participant.email})
    url = _link(db, NotificationKind.PASSWORD_RESET, participant.email)
    response = client.post(_path(url), data={"password": "short"})
    assert response.status_code == 422 and "at least 10" in response.get_data(as_text=True)
    assert client.post(_path(url), data={"password": "long enough password"}).status_code == 302


def test_reset_ends_every_session_and_token(app, participant, db, login, auth_headers):
    browser = login(app.test_client(), participant)
    headers = auth_headers(participant)
    app.test_client().post("/password/forgot", data={"email": participant.email})
    url = _link(db, NotificationKind.PASSWORD_RESET, participant.email)
    app.test_client().post(_path(url), data={"password": "my new long password"})

    assert browser.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


@pytest.fixture
def reset_limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, ENGAGE_PASSWORD_RESET_RATE_LIMIT="2 per minute")


def test_reset_requests_are_rate_limited(reset_limited_app, participant):
    client = reset_limited_app.test_client()
    statuses = [client.post("/password/forgot", data={"email": participant.email}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_api_reset_and_confirm(client, participant, db, assert_error):
    assert client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"}).status_code == 202
    assert client.post("/api/v1/auth/password-reset", json={"email": participant.email}).status_code == 202
    token = _link(db, NotificationKind.PASSWORD_RESET, participant.email).rsplit("/", 1)[1]
    bad = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "x"})
    assert_error(bad, 422)
    ok = client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "long enough password"})
    assert ok.status_code == 204
    assert_error(
        client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "long enough 2"}), 404
    )


def test_email_change_is_confirmed_at_the_new_address(app, client, participant, db, login):
    login(client, participant)
    response = client.post(
        "/account/email", data={"new_email": "New.Address@Example.ORG", "current_password": PASSWORD}
    )
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.email.startswith("user")  # unchanged until confirmed

    url = _link(db, NotificationKind.EMAIL_CHANGE, "new.address@example.org")
    assert "new.address@example.org" in client.get(_path(url)).get_data(as_text=True)
    assert client.post(_path(url)).status_code == 302
    db.session.refresh(participant)
    assert participant.email == "new.address@example.org"
    assert client.post(_path(url)).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_email": "not an address", "current_password": PASSWORD}, "new_email"),
        ({"new_email": "someone@example.org", "current_password": "wrong"}, "current_password"),
    ],
)
def test_email_change_bad_input_sends_nothing(client, participant, db, login, data, field):
    login(client, participant)
    response = client.post("/account/email", data=data)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_email_change_to_an_address_in_use_is_refused(client, participant, create_user, login, db):
    other = create_user()
    login(client, participant)
    response = client.post("/account/email", data={"new_email": other.email, "current_password": PASSWORD})
    assert response.status_code == 422 and "Another account uses this address." in response.get_data(as_text=True)


def test_addresses_are_validated_and_normalised_by_email_validator(db):
    assert services.checked_email("  Ana@BÜCHER.example ") == "ana@bücher.example"
    for bad in ("ana@", "ana@@example.org", "ana example.org", "ana@localhost", "ana@example.test"):
        with pytest.raises(services.ValidationError):
            services.checked_email(bad)


def test_account_pages_need_sign_in(client):
    for path in ("/account/password", "/account/email", "/account/sessions/end-others"):
        assert client.post(path).status_code == 302


# --- consent ---------------------------------------------------------------------------------------


def test_consent_to_reminders_is_withdrawn_and_given_again_from_my_account(client, participant, db, login):
    login(client, participant)
    client.post("/account/consents/reminder_emails", data={"given": "1"})
    client.post("/account/consents/reminder_emails", data={"given": "0"})

    assert db.session.get(NotificationPreference, participant.id).has_reminders is False
    records = db.session.scalars(
        sa.select(ConsentRecord).where(
            ConsentRecord.user_id == participant.id, ConsentRecord.purpose == ConsentPurpose.REMINDER_EMAILS
        )
    ).all()
    assert len(records) == 1 and records[0].withdrawn_at is not None

    client.post("/account/consents/reminder_emails", data={"given": "1"})
    db.session.expire_all()
    assert db.session.get(NotificationPreference, participant.id).has_reminders is True
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [AuditAction.CONSENT_GIVEN, AuditAction.CONSENT_WITHDRAWN, AuditAction.CONSENT_GIVEN]


def test_unknown_consent_purpose_is_404(client, participant, login):
    login(client, participant)
    assert client.post("/account/consents/marketing", data={"given": "1"}).status_code == 404


def test_withdrawn_terms_consent_asks_again_before_anything_else(client, participant, login):
    login(client, participant)
    client.post("/account/consents/participation", data={"given": "0"})

    response = client.get("/workshops")
    assert response.status_code == 302 and "/consent" in response.headers["Location"]
    assert client.get("/account").status_code == 200  # one's own account stays reachable
    assert client.post("/consent", data={}).status_code == 422
    client.post("/consent", data={"consent": "1", "next": "/workshops"})
    assert client.get("/workshops").status_code == 200


def test_new_consent_text_version_asks_everyone_again_at_next_sign_in(client, participant, login, monkeypatch, db):
    monkeypatch.setattr(services, "CONSENT_TEXT_VERSION", "2027-01-v2")
    login(client, participant)
    response = client.get("/workshops")
    assert response.status_code == 302 and "/consent" in response.headers["Location"]
    assert "2027-01-v2" in client.get("/consent").get_data(as_text=True)
    client.post("/consent", data={"consent": "1"})
    versions = db.session.scalars(
        sa.select(ConsentRecord.text_version).where(
            ConsentRecord.user_id == participant.id,
            ConsentRecord.purpose == ConsentPurpose.PARTICIPATION,
            ConsentRecord.withdrawn_at.is_(None),
        )
    ).all()
    assert versions == ["2027-01-v2"]
    assert client.get("/workshops").status_code == 200


def test_the_api_asks_for_the_current_terms_too(client, participant, auth_headers, assert_error, monkeypatch, db):
    headers = auth_headers(participant)
    assert client.get("/api/v1/workshops", headers=headers).status_code == 200
    monkeypatch.setattr(services, "CONSENT_TEXT_VERSION", "2027-01-v2")
    assert_error(client.get("/api/v1/workshops", headers=headers), 403, "consent_required")
    assert_error(client.get("/api/v1/notifications", headers=headers), 403, "consent_required")
    # One's own account, consents and data rights stay open; agreeing lifts the gate.
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me/consents", headers=headers).status_code == 200
    agreed = client.put("/api/v1/me/consents/participation", json={"given": True}, headers=headers)
    assert agreed.status_code == 200
    assert client.get("/api/v1/notifications", headers=headers).status_code == 200


def test_api_consents(client, participant, auth_headers, assert_error, db):
    headers = auth_headers(participant)
    listed = client.get("/api/v1/me/consents", headers=headers).get_json()
    assert {c["purpose"]: c["given"] for c in listed} == {
        "participation": True,
        "named_in_minutes": False,
        "reminder_emails": False,
    }
    response = client.put("/api/v1/me/consents/named_in_minutes", json={"given": True}, headers=headers)
    assert response.status_code == 200 and response.get_json()["given"] is True
    assert_error(client.put("/api/v1/me/consents/nope", json={"given": True}, headers=headers), 404)
    assert_error(client.put("/api/v1/me/consents/named_in_minutes", json={"given": "x"}, headers=headers), 422)
    assert client.get("/api/v1/me/consents").status_code == 401
    assert db.session.scalar(sa.select(User.id).where(User.id == participant.id))
