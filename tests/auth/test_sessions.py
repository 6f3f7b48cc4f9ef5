"""Server-side sessions: signing out, a password change, switching off and erasure end every copy of a cookie."""

from datetime import timedelta

import sqlalchemy as sa

from engage.auth.models import UserSession
from engage.auth.sessions import TOUCH_INTERVAL
from engage.timeutil import utcnow
from tests.conftest import PASSWORD

DOMAIN = "engage.test"  # the test app's SERVER_NAME


def _copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name, domain=DOMAIN)
        if cookie is not None:
            target.set_cookie(name, cookie.value, domain=DOMAIN)


def _sign_in(client, user, remember=False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "1"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    return client


def test_session_cookie_copied_before_sign_out_no_longer_opens_the_account(app, participant):
    browser = _sign_in(app.test_client(), participant)
    thief = app.test_client()
    _copy_cookies(browser, thief, names=("session",))
    assert thief.get("/account").status_code == 200

    browser.post("/logout")

    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_remember_cookie_copied_before_sign_out_no_longer_signs_in(app, participant):
    browser = _sign_in(app.test_client(), participant, remember=True)
    thief = app.test_client()
    _copy_cookies(browser, thief, names=("remember_token",))
    assert browser.get_cookie("remember_token", domain=DOMAIN) is not None
    assert thief.get("/account").status_code == 200  # the remember cookie alone signs in

    browser.post("/logout")

    fresh = app.test_client()
    _copy_cookies(thief, fresh, names=("remember_token",))
    assert fresh.get("/account").status_code == 302


def test_session_row_stores_only_a_hash_and_names_browser_and_address(app, participant, db):
    client = app.test_client()
    client.post(
        "/login", data={"email": participant.email, "password": PASSWORD}, headers={"User-Agent": "TestBrowser/1.0"}
    )
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == participant.id))
    assert row.user_agent == "TestBrowser/1.0" and row.ip_address == "127.0.0.1"
    assert row.token_hash not in client.get_cookie("session", domain=DOMAIN).value
    db.session.refresh(participant)
    assert participant.last_login_at is not None


def test_sign_out_everywhere_else_keeps_this_browser(app, participant):
    here = _sign_in(app.test_client(), participant)
    elsewhere = _sign_in(app.test_client(), participant)

    page = here.get("/account").get_data(as_text=True)
    assert "Sign out everywhere else" in page and "this browser" in page
    here.post("/account/sessions/end-others")

    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_one_session_can_be_ended_from_the_list_and_not_someone_elses(app, participant, create_user, db):
    here = _sign_in(app.test_client(), participant)
    elsewhere = _sign_in(app.test_client(), participant)
    other = _sign_in(app.test_client(), create_user())
    rows = {r.user_id: r for r in db.session.scalars(sa.select(UserSession).order_by(UserSession.id))}
    their = db.session.scalars(sa.select(UserSession).where(UserSession.user_id != participant.id)).one()

    assert here.post(f"/account/sessions/{their.id}/end").status_code == 404
    assert other.get("/account").status_code == 200
    mine = db.session.scalars(
        sa.select(UserSession).where(UserSession.user_id == participant.id).order_by(UserSession.id)
    ).all()
    here.post(f"/account/sessions/{mine[1].id}/end")
    assert elsewhere.get("/account").status_code == 302
    assert here.get("/account").status_code == 200
    assert rows


def test_password_change_ends_other_sessions_and_api_tokens(app, participant, auth_headers):
    here = _sign_in(app.test_client(), participant)
    elsewhere = _sign_in(app.test_client(), participant)
    headers = auth_headers(participant)

    response = here.post("/account/password", data={"current_password": PASSWORD, "new_password": "a brand new secret"})

    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_password_change_with_wrong_current_password_changes_nothing(app, participant):
    here = _sign_in(app.test_client(), participant)
    response = here.post("/account/password", data={"current_password": "wrong", "new_password": "a brand new secret"})
    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    assert _sign_in(app.test_client(), participant)  # the old password still works


def test_last_seen_is_written_at_most_once_per_interval_on_reads(app, participant, db):
    client = _sign_in(app.test_client(), participant)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.user_id == participant.id))
    first_seen = row.last_seen_at
    client.get("/account")
    db.session.rollback()
    db.session.refresh(row)
    assert row.last_seen_at == first_seen  # too soon: no write on this read

    stale = utcnow() - TOUCH_INTERVAL - timedelta(seconds=5)
    db.session.execute(sa.update(UserSession).where(UserSession.id == row.id).values(last_seen_at=stale))
    db.session.commit()
    assert client.get("/account").status_code == 200
    db.session.rollback()  # the test shares the request's session: end its read snapshot to see the write
    db.session.refresh(row)
    assert row.last_seen_at > stale + timedelta(seconds=4)


def test_idle_session_expires(app, participant, db):
    client = _sign_in(app.test_client(), participant)
    db.session.execute(sa.update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/account").status_code == 302
