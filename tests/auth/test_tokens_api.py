"""POST/GET/DELETE /api/v1/auth/tokens: bearer tokens with expiry, stored hashed, revocable."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import ApiToken
from engage.auth.services import issue_api_token, user_for_bearer
from engage.timeutil import utcnow
from tests.conftest import PASSWORD


def _issue(client, user, **extra):
    return client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD, **extra})


def test_token_for_correct_password_works_on_me(client, participant):
    response = _issue(client, participant, name="laptop")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["token"] and body["name"] == "laptop" and body["expires_at"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["email"] == participant.email


def test_token_email_is_matched_case_insensitively(client, participant):
    response = client.post("/api/v1/auth/tokens", json={"email": participant.email.upper(), "password": PASSWORD})

    assert response.status_code == 201


def test_token_with_wrong_password_is_401_with_error_contract(client, participant, assert_error, db):
    response = client.post("/api/v1/auth/tokens", json={"email": participant.email, "password": "wrong password!"})

    assert_error(response, 401, "invalid_credentials")
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_token_for_unknown_email_is_401_like_a_wrong_password(client, assert_error):
    response = client.post("/api/v1/auth/tokens", json={"email": "nobody@example.org", "password": PASSWORD})

    assert_error(response, 401, "invalid_credentials")


def test_token_request_without_fields_is_422_with_field_errors(client, assert_error):
    body = assert_error(client.post("/api/v1/auth/tokens", json={}), 422, "validation_error")

    assert set(body["errors"]) >= {"email", "password"}


def test_token_request_with_wrong_types_is_422_not_500(client, assert_error):
    body = assert_error(
        client.post("/api/v1/auth/tokens", json={"email": ["a"], "password": 12, "name": "x" * 101}), 422
    )

    assert set(body["errors"]) == {"email", "password", "name"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("{not json", "application/json"), ("[1, 2]", "application/json"), ("email=a", "text/plain")],
)
def test_token_request_that_is_not_a_json_object_is_422_with_contract(client, assert_error, body, content_type):
    response = client.post("/api/v1/auth/tokens", data=body, content_type=content_type)

    assert_error(response, 422, "validation_error")


def test_token_is_stored_only_as_a_hash(client, participant, db):
    plain = _issue(client, participant).get_json()["token"]

    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert stored.token_hash != plain
    assert plain not in stored.token_hash
    assert len(stored.token_hash) == 64
    rows = db.session.execute(sa.text("SELECT * FROM api_tokens")).all()
    assert not any(plain in str(value) for row in rows for value in row)


def test_expired_token_is_401(client, participant, db, assert_error):
    body = _issue(client, participant).get_json()
    token = db.session.get(ApiToken, body["id"])
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})

    assert_error(response, 401, "unauthorized")


def test_token_stops_working_once_its_expiry_passes(app, participant):
    now = utcnow()
    _token, plain = issue_api_token(participant, now=now)
    ttl = timedelta(days=app.config["ENGAGE_TOKEN_TTL_DAYS"])

    assert user_for_bearer(plain, now=now + ttl - timedelta(seconds=1)) == participant
    assert user_for_bearer(plain, now=now + ttl) is None


def test_revoked_token_is_401(client, participant, assert_error):
    body = _issue(client, participant).get_json()
    headers = {"Authorization": f"Bearer {body['token']}"}

    revoked = client.delete(f"/api/v1/auth/tokens/{body['id']}", headers=headers)

    assert revoked.status_code == 204
    assert_error(client.get("/api/v1/me", headers=headers), 401)


def test_revoking_someone_elses_token_is_404_and_keeps_it_working(client, participant, create_user, assert_error):
    other = create_user()
    others = _issue(client, other).get_json()
    mine = _issue(client, participant).get_json()

    response = client.delete(
        f"/api/v1/auth/tokens/{others['id']}", headers={"Authorization": f"Bearer {mine['token']}"}
    )

    assert_error(response, 404, "not_found")
    still = client.get("/api/v1/me", headers={"Authorization": f"Bearer {others['token']}"})
    assert still.status_code == 200


def test_revoking_a_token_that_does_not_exist_is_404(client, participant, auth_headers, assert_error):
    assert_error(client.delete("/api/v1/auth/tokens/999999", headers=auth_headers(participant)), 404)


def test_token_list_shows_only_own_tokens_paginated(client, participant, create_user, db):
    other = create_user()
    for n in range(3):
        issue_api_token(participant, name=f"mine-{n}")
    issue_api_token(other, name="theirs")
    _token, plain = issue_api_token(participant, name="current")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}

    first = client.get("/api/v1/auth/tokens?per_page=3", headers=headers).get_json()
    second = client.get("/api/v1/auth/tokens?per_page=3&page=2", headers=headers).get_json()

    assert first["meta"] == {"page": 1, "per_page": 3, "total": 4, "pages": 2}
    names = {t["name"] for t in first["items"] + second["items"]}
    assert names == {"mine-0", "mine-1", "mine-2", "current"}
    assert all("token" not in t and "token_hash" not in t for t in first["items"] + second["items"])


def test_token_list_with_bad_page_is_422(client, participant, auth_headers, assert_error):
    body = assert_error(client.get("/api/v1/auth/tokens?per_page=0", headers=auth_headers(participant)), 422)

    assert "per_page" in body["errors"]


def test_token_list_anonymous_is_401(client, assert_error):
    assert_error(client.get("/api/v1/auth/tokens"), 401)


def test_malformed_bearer_header_is_401(client, assert_error):
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-real-token"}), 401)


def test_token_of_deactivated_account_is_401(client, participant, auth_headers, db, assert_error):
    headers = auth_headers(participant)
    participant.is_active_account = False
    db.session.commit()

    assert_error(client.get("/api/v1/me", headers=headers), 401)
