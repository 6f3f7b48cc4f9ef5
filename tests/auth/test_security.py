"""CSRF for cookie sessions, login rate limits, cookie flags, production secrets, password hashing, OpenAPI."""

import pytest
import sqlalchemy as sa

from engage import create_app
from engage.auth.models import User
from engage.participation.models import Registration
from tests.conftest import PASSWORD


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def csrf_login(csrf_token_of):
    """Sign in through the real login form of a CSRF-protected app."""

    def do(client, email: str):
        token = csrf_token_of(client.get("/login"))
        response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


def _registrations(db) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Registration.id)))


# --- CSRF ---------------------------------------------------------------------------------------


def test_cookie_authenticated_api_post_without_csrf_token_is_400_csrf_failed(
    csrf_app, participant, create_workshop, csrf_login, assert_error, db
):
    workshop_id, email = create_workshop().id, participant.email
    client = csrf_login(csrf_app.test_client(), email)

    response = client.post(f"/api/v1/workshops/{workshop_id}/registrations")

    assert_error(response, 400, "csrf_failed")
    assert _registrations(db) == 0


def test_cookie_authenticated_api_post_with_wrong_csrf_token_is_400_csrf_failed(
    csrf_app, participant, create_workshop, csrf_login, assert_error, db
):
    workshop_id, email = create_workshop().id, participant.email
    client = csrf_login(csrf_app.test_client(), email)

    response = client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers={"X-CSRFToken": "forged"})

    assert_error(response, 400, "csrf_failed")
    assert _registrations(db) == 0


def test_cookie_authenticated_api_post_with_csrf_header_from_page_works(
    csrf_app, participant, create_workshop, csrf_login, csrf_token_of, db
):
    workshop_id, email = create_workshop().id, participant.email
    client = csrf_login(csrf_app.test_client(), email)
    token = csrf_token_of(client.get("/account"))

    response = client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers={"X-CSRFToken": token})

    assert response.status_code == 201, response.get_json()
    assert _registrations(db) == 1


def test_csrf_token_of_another_session_is_refused(
    csrf_app, participant, create_workshop, csrf_login, csrf_token_of, assert_error, db
):
    workshop_id, email = create_workshop().id, participant.email
    attacker_token = csrf_token_of(csrf_app.test_client().get("/login"))
    client = csrf_login(csrf_app.test_client(), email)

    response = client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers={"X-CSRFToken": attacker_token})

    assert_error(response, 400, "csrf_failed")
    assert _registrations(db) == 0


def test_bearer_token_api_post_needs_no_csrf_token(csrf_app, participant, create_workshop, auth_headers, db):
    workshop_id, headers = create_workshop().id, auth_headers(participant)

    response = csrf_app.test_client().post(f"/api/v1/workshops/{workshop_id}/registrations", headers=headers)

    assert response.status_code == 201, response.get_json()
    assert _registrations(db) == 1


def test_a_bearer_token_wins_over_a_session_cookie_on_the_api(
    csrf_app, participant, create_user, create_workshop, csrf_login, auth_headers, db
):
    """Signed in by cookie as one person, calling the API with another's token: the API answers as the
    token's owner, and their write needs no CSRF token (it used to be refused with csrf_failed)."""
    other = create_user(display_name="Tom Token")
    workshop_id, email, headers = create_workshop().id, participant.email, auth_headers(other)
    client = csrf_login(csrf_app.test_client(), email)

    assert client.get("/api/v1/me", headers=headers).get_json()["display_name"] == "Tom Token"
    response = client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers=headers)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["user"]["id"] == other.id
    assert client.get("/api/v1/me").get_json()["id"] == participant.id  # the cookie alone still works


def test_an_invalid_authorization_header_is_not_rescued_by_a_cookie(
    csrf_app, participant, create_workshop, csrf_login, assert_error, db
):
    workshop_id, email = create_workshop().id, participant.email
    client = csrf_login(csrf_app.test_client(), email)

    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer eng_revoked-or-made-up"}), 401)
    assert_error(
        client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers={"Authorization": "Basic x"}), 401
    )
    assert _registrations(db) == 0


def test_bearer_token_does_not_exempt_page_posts_from_csrf(csrf_app, participant, auth_headers):
    headers = auth_headers(participant)

    response = csrf_app.test_client().post("/invitations", data={"email": "x@example.org"}, headers=headers)

    assert response.status_code == 400


def test_page_form_post_without_csrf_token_is_400(csrf_app, participant):
    email = participant.email
    client = csrf_app.test_client()

    response = client.post("/login", data={"email": email, "password": PASSWORD})

    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_signed_in_page_form_post_without_csrf_token_is_400_and_changes_nothing(csrf_app, participant, csrf_login, db):
    email = participant.email
    client = csrf_login(csrf_app.test_client(), email)

    response = client.post("/account", data={"action": "profile", "organisation": "Changed by a forged form"})

    assert response.status_code == 400
    db.session.rollback()
    assert db.session.scalar(sa.select(User.organisation).where(User.email == email)) != "Changed by a forged form"


# --- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True, ENGAGE_LOGIN_RATE_LIMIT="3 per minute")


def test_fourth_token_request_within_a_minute_is_429_with_contract(limited_app, participant, assert_error):
    email = participant.email
    client = limited_app.test_client()
    wrong = {"email": email, "password": "wrong password"}

    statuses = [client.post("/api/v1/auth/tokens", json=wrong).status_code for _ in range(3)]
    fourth = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})

    assert statuses == [401, 401, 401]
    body = assert_error(fourth, 429, "too_many_requests")
    assert body["message"] == "Too many attempts. Please wait a moment and try again."
    assert "token" not in fourth.get_json()


def test_fourth_login_within_a_minute_is_429(limited_app, participant):
    email = participant.email
    client = limited_app.test_client()

    statuses = [
        client.post("/login", data={"email": email, "password": "wrong password"}).status_code for _ in range(3)
    ]
    fourth = client.post("/login", data={"email": email, "password": PASSWORD})

    assert statuses == [401, 401, 401]
    assert fourth.status_code == 429
    assert "Too many attempts" in fourth.get_data(as_text=True)
    assert client.get("/account").status_code == 302


# --- cookies ------------------------------------------------------------------------------------


def _session_cookie_header(response, name: str) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(app, client, participant):
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD})

    cookie = _session_cookie_header(response, app.config["SESSION_COOKIE_NAME"])
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes


def test_remember_cookie_is_httponly_and_samesite_lax(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD, "remember": "1"})

    attributes = [p.strip().lower() for p in _session_cookie_header(response, "remember_token").split(";")]
    assert "httponly" in attributes and "samesite=lax" in attributes


def test_cookies_are_secure_when_engage_secure_cookies_is_set(make_app, monkeypatch, participant):
    monkeypatch.setenv("ENGAGE_SECURE_COOKIES", "1")
    secure_app = make_app()
    email = participant.email

    response = secure_app.test_client().post(
        "/login", data={"email": email, "password": PASSWORD, "remember": "1"}, base_url="https://engage.test"
    )

    assert response.status_code == 302
    for name in (secure_app.config["SESSION_COOKIE_NAME"], "remember_token"):
        attributes = [p.strip().lower() for p in _session_cookie_header(response, name).split(";")]
        assert "secure" in attributes and "httponly" in attributes and "samesite=lax" in attributes


# --- production settings ------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "too-short-secret", "dev-insecure-secret-change-me"])
def test_production_refuses_to_start_without_a_strong_secret(monkeypatch, database_url, secret):
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("ENGAGE_DATABASE_URL", database_url)
    if secret is None:
        monkeypatch.delenv("ENGAGE_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("ENGAGE_SECRET_KEY", secret)

    with pytest.raises(RuntimeError, match="ENGAGE_SECRET_KEY"):
        create_app()


def test_production_starts_with_a_40_character_secret(monkeypatch, make_app):
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("ENGAGE_SECRET_KEY", "0123456789abcdefghij0123456789abcdefghij")

    production = make_app(SECRET_KEY=None)

    assert production.config["ENGAGE_ENV"] == "production"
    assert production.config["SECRET_KEY"] == "0123456789abcdefghij0123456789abcdefghij"
    assert production.test_client().get("/login").status_code == 200


# --- passwords ----------------------------------------------------------------------------------


def test_password_from_signup_is_stored_as_argon2_hash(client, monkeypatch, app, db):
    monkeypatch.setitem(app.config, "ENGAGE_OPEN_SIGNUP", True)
    password = "a long enough password"

    response = client.post(
        "/api/v1/signup",
        json={
            "email": "new@example.org",
            "password": password,
            "display_name": "New",
            "consent": True,
        },
    )

    assert response.status_code == 201, response.get_json()
    stored = db.session.scalar(sa.select(User.password_hash).where(User.email == "new@example.org"))
    assert stored.startswith("$argon2")
    assert password not in stored
    token = client.post("/api/v1/auth/tokens", json={"email": "new@example.org", "password": password})
    assert token.status_code == 201


def test_fixture_users_have_argon2_hashes(participant):
    assert participant.password_hash.startswith("$argon2")


# --- OpenAPI ------------------------------------------------------------------------------------


def test_openapi_document_lists_the_public_endpoints(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.get_json()["paths"]
    for path in ("/api/v1/auth/tokens", "/api/v1/me", "/api/v1/codebook", "/api/v1/workshops"):
        assert path in paths
    assert {"get", "post"} <= set(paths["/api/v1/auth/tokens"])
    assert {"get", "patch"} <= set(paths["/api/v1/me"])
