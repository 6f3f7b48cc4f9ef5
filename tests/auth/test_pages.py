"""Pages: sign in (no open redirects), sign-up by invitation, and role checks on management pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from engage.auth.models import ConsentPurpose, ConsentRecord, Role, User
from engage.auth.services import create_invitation, revoke_invitation
from tests.conftest import PASSWORD


def _stays_in_app(location: str) -> bool:
    parts = urlsplit(location)
    return parts.netloc in ("", "engage.test") and parts.path.startswith("/") and not location.startswith("//")


def test_login_with_wrong_password_rerenders_form_with_message(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": "not the password"})

    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "E-mail or password is not correct." in html
    assert f'value="{participant.email}"' in html
    assert 'name="password"' in html
    assert client.get("/account").status_code == 302


def test_login_with_correct_password_redirects_and_signs_in(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD})

    assert response.status_code == 302
    assert _stays_in_app(response.headers["Location"])
    assert client.get("/account").status_code == 200


def test_login_of_deactivated_account_is_refused(client, participant, db):
    participant.is_active_account = False
    db.session.commit()

    assert client.post("/login", data={"email": participant.email, "password": PASSWORD}).status_code == 401


def test_login_page_keeps_next_in_the_form(client):
    html = client.get("/login?next=/workshops/1").get_data(as_text=True)

    assert 'name="next" value="/workshops/1"' in html


def test_page_needing_sign_in_redirects_to_login_with_next(client):
    response = client.get("/account")

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == ["/account"]


def test_login_follows_same_site_next(client, participant):
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD, "next": "/workshops/1"})

    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/workshops/1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/workshops/1",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
    ],
)
def test_login_never_redirects_outside_the_app(client, participant, target):
    response = client.post("/login", data={"email": participant.email, "password": PASSWORD, "next": target})

    assert response.status_code == 302
    location = response.headers["Location"]
    assert _stays_in_app(location), location
    assert "evil.example" not in location


def test_signup_page_with_invalid_token_is_404_page(client):
    response = client.get("/signup/inv_made-up")

    assert response.status_code == 404
    assert "not valid any more" in response.get_data(as_text=True)


def test_signup_page_with_revoked_invitation_is_404_page(client, lead, db):
    invitation, plain = create_invitation(actor=lead, email="p@example.org")
    revoke_invitation(invitation, actor=lead)
    db.session.commit()

    assert client.get(f"/signup/{plain}").status_code == 404
    assert (
        client.post(
            f"/signup/{plain}", data={"display_name": "P", "password": "long enough pw", "consent": "1"}
        ).status_code
        == 404
    )


def test_signup_page_shows_invited_email_and_consent_version(client, lead, db):
    _invitation, plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    html = client.get(f"/signup/{plain}").get_data(as_text=True)

    assert "p@example.org" in html
    assert 'name="consent"' in html and 'name="consent_named"' in html


def test_signup_page_without_consent_rerenders_with_message_and_creates_no_user(client, lead, db):
    _invitation, plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    response = client.post(
        f"/signup/{plain}",
        data={"display_name": "Pia", "password": "long enough pw", "organisation": "Charité", "region": "DE"},
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "You must agree to the participation terms to take part." in html
    assert 'value="Pia"' in html and 'value="Charité"' in html
    assert db.session.scalar(sa.select(User.id).where(User.email == "p@example.org")) is None


def test_signup_page_with_consent_creates_account_signs_in_and_records_consent(client, lead, db):
    _invitation, plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    response = client.post(
        f"/signup/{plain}",
        data={
            "display_name": "Pia",
            "password": "long enough pw",
            "region": "DE",
            "timezone": "Europe/Berlin",
            "category": "patient_citizen_organisation",
            "consent": "1",
            "consent_named": "1",
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalars(sa.select(User).where(User.email == "p@example.org")).one()
    assert user.role is Role.PARTICIPANT and user.timezone == "Europe/Berlin"
    purposes = set(db.session.scalars(sa.select(ConsentRecord.purpose).where(ConsentRecord.user_id == user.id)))
    assert purposes == {ConsentPurpose.PARTICIPATION, ConsentPurpose.NAMED_IN_MINUTES}
    assert client.get("/account").status_code == 200


def test_signup_page_with_short_password_rerenders_and_creates_no_user(client, lead, db):
    _invitation, plain = create_invitation(actor=lead, email="p@example.org")
    db.session.commit()

    response = client.post(f"/signup/{plain}", data={"display_name": "Pia", "password": "short", "consent": "1"})

    assert response.status_code == 422
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.id).where(User.email == "p@example.org")) is None


def test_open_signup_page_is_403_when_sign_up_is_closed(client):
    assert client.get("/signup").status_code == 403


def test_invitations_page_as_participant_is_403(client, participant, login):
    login(client, participant)

    assert client.get("/invitations").status_code == 403
    assert client.post("/invitations", data={"email": "x@example.org"}).status_code == 403


def test_invitations_page_as_lead_creates_link(client, lead, login):
    login(client, lead)

    response = client.post("/invitations", data={"email": "x@example.org"})

    assert response.status_code == 200
    assert "/signup/inv_" in response.get_data(as_text=True)


def test_invitations_page_with_existing_email_rerenders_with_message(client, lead, participant, login):
    login(client, lead)

    response = client.post("/invitations", data={"email": participant.email})

    assert response.status_code == 422
    assert "This person already has an account." in response.get_data(as_text=True)


def test_settings_page_as_lead_is_403(client, lead, login):
    login(client, lead)

    assert client.get("/settings").status_code == 403
    assert client.post("/settings", data={"open_signup": "1"}).status_code == 403


def test_settings_page_as_coordinator_opens_sign_up(client, coordinator, login):
    login(client, coordinator)

    assert client.post("/settings", data={"open_signup": "1"}).status_code == 302
    client.post("/logout")
    assert client.get("/signup").status_code == 200


def test_deactivated_account_loses_its_signed_in_session(client, participant, login, db, assert_error):
    login(client, participant)
    participant.is_active_account = False
    db.session.commit()

    assert client.get("/account").status_code == 302
    assert_error(client.get("/api/v1/me"), 401)


def test_signup_page_proposes_the_browsers_language(client, lead, db):
    from engage.auth.services import create_invitation

    _invitation, token = create_invitation(actor=lead, email="new.person@example.org")
    db.session.commit()
    page = client.get(f"/signup/{token}", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert page.status_code == 200
    assert '<option value="zh" selected>' in page.get_data(as_text=True)
    english = client.get(f"/signup/{token}", headers={"Accept-Language": "en-GB"})
    assert '<option value="en" selected>' in english.get_data(as_text=True)
