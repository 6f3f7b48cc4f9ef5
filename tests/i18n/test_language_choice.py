"""Which language a page, an API message and a response header are in: the switcher's cookie, then the
account's preference, then the browser's Accept-Language; the switcher works for anonymous visitors."""

import re

import sqlalchemy as sa

from engage.auth.models import Invitation, User


def _heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def test_an_anonymous_visitor_whose_browser_asks_for_chinese_reads_chinese(client, zh):
    response = client.get("/workshops", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    html = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert response.headers["Content-Language"] == "zh-Hans"
    assert _heading(html) == zh("Workshops")
    assert zh("Sign in") in html
    # The switcher offers English, named in English.
    assert '<button type="submit" class="link" name="language" value="en" lang="en">English</button>' in html


def test_english_is_the_default(client):
    response = client.get("/workshops")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "en"
    assert _heading(response.get_data(as_text=True)) == "Workshops"


def test_the_switcher_sets_a_cookie_that_beats_accept_language(client, zh):
    client.get("/workshops")  # a page with the switcher's form (and the CSRF token in the session)
    response = client.post("/language", data={"language": "zh", "next": "/workshops?page=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/workshops?page=1"
    assert "lang=zh" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    html = client.get("/workshops", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _heading(html) == zh("Workshops")
    assert 'value="en" lang="en">English</button>' in html

    client.post("/language", data={"language": "en", "next": "/workshops"})
    assert _heading(client.get("/workshops", headers={"Accept-Language": "zh"}).get_data(as_text=True)) == "Workshops"


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client):
    client.get("/workshops")
    refused = client.post("/language", data={"language": "fr", "next": "/workshops"})
    assert refused.status_code == 422
    assert "lang=" not in refused.headers.get("Set-Cookie", "")
    away = client.post("/language", data={"language": "zh", "next": "https://evil.example/"})
    assert away.status_code == 303 and away.headers["Location"] == "/"


def test_a_signed_in_switch_also_sets_the_account_language(client, db, login, participant, zh):
    login(client, participant)
    client.post("/language", data={"language": "zh", "next": "/"})
    db.session.expire_all()
    assert db.session.get(User, participant.id).locale == "zh"
    # Another browser, without the cookie, follows the account.
    other = client.application.test_client()
    login(other, participant)
    assert _heading(other.get("/workshops").get_data(as_text=True)) == zh("Workshops")


def test_api_messages_follow_accept_language_and_else_the_token_owner(client, db, participant, auth_headers, zh):
    headers = auth_headers(participant)
    english = client.post("/api/v1/invitations", json={"email": "x@example.org"}, headers=headers)
    assert english.status_code == 403 and english.headers["Content-Language"] == "en"
    asked = client.post(
        "/api/v1/invitations", json={"email": "x@example.org"}, headers={**headers, "Accept-Language": "zh-CN"}
    )
    assert asked.get_json()["message"] == zh("Only leads and coordinators can invite people.")
    participant.locale = "zh"
    db.session.commit()
    owner = client.post("/api/v1/invitations", json={"email": "x@example.org"}, headers=headers)
    assert owner.get_json()["message"] == zh("Only leads and coordinators can invite people.")
    assert owner.headers["Content-Language"] == "zh-Hans"


def test_api_validation_messages_in_chinese(client, lead, auth_headers, zh):
    response = client.post(
        "/api/v1/invitations",
        json={"email": "x@example.org", "working_group_id": 0},
        headers={**auth_headers(lead), "Accept-Language": "zh"},
    )
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["working_group_id"]
    assert message == zh("Must be between {min} and {max}.").format(min=1, max=2147483647)


def test_an_invitation_is_in_the_language_the_inviter_names_else_the_regions(client, db, lead, auth_headers):
    headers = auth_headers(lead)
    for email, extra in (
        ("a@example.cn", {"region": "CN-SH"}),
        ("b@example.it", {"region": "IT"}),
        ("c@example.it", {"region": "IT", "locale": "zh"}),
    ):
        response = client.post("/api/v1/invitations", json={"email": email, **extra}, headers=headers)
        assert response.status_code == 201, response.get_json()
    refused = client.post("/api/v1/invitations", json={"email": "d@example.org", "locale": "xx"}, headers=headers)
    assert refused.status_code == 422 and "locale" in refused.get_json()["errors"]
    languages = dict(db.session.execute(sa.select(Invitation.email, Invitation.locale)).all())
    assert languages == {"a@example.cn": "zh", "b@example.it": "en", "c@example.it": "zh"}


def test_country_names_come_from_cldr_in_the_page_language(client, login, participant):
    login(client, participant)
    client.post("/language", data={"language": "zh", "next": "/"})
    html = client.get("/account").get_data(as_text=True)
    assert '<option value="IT" selected>意大利</option>' in html or ">意大利</option>" in html
