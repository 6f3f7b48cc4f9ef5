"""Password-reset and address-change links arrive by e-mail, as a loopback SMTP server receives them,
in the person's language, and the link in the message is the one that works."""

import re

from flask_babel import force_locale, gettext
from notif_helpers import html_of, text_of

from engage.notifications.jobs import run_due_notifications
from engage.timeutil import utcnow

PASSWORD = "correct horse battery"  # tests/conftest.py's factory password


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", text_of(message)).group(1)


def test_a_password_reset_link_arrives_and_works_once(client, db, mail_server, participant):
    assert client.post("/api/v1/auth/password-reset", json={"email": participant.email}).status_code == 202
    assert client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.org"}).status_code == 202
    assert run_due_notifications(utcnow())["sent"] == 1  # nothing is sent to an address without an account
    [message] = mail_server.wait_for(1)
    assert message["To"] == participant.email
    path = _link(message)
    assert path.startswith("/password/reset/") and path in html_of(message)
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "a brand new passphrase"})
    assert done.status_code == 302
    assert (
        client.post("/login", data={"email": participant.email, "password": "a brand new passphrase"}).status_code
        == 302
    )
    assert client.get(path).status_code == 404  # single use


def test_an_address_change_is_confirmed_from_the_mail_sent_to_the_new_address(
    app, client, db, mail_server, create_user, login
):
    reader = create_user(locale="zh", region="CN-BJ", timezone="Asia/Shanghai")
    login(client, reader)
    response = client.post("/api/v1/me/email", json={"new_email": "li.new@example.cn", "current_password": PASSWORD})
    assert response.status_code == 202, response.get_json()
    run_due_notifications(utcnow())
    [message] = mail_server.wait_for(1)
    assert message["To"] == "li.new@example.cn"
    with app.test_request_context(), force_locale("zh_Hans"):
        hello = gettext("Hello %(name)s,", name=reader.display_name)
    assert hello in text_of(message) and re.search(r"[\u4e00-\u9fff]", message["Subject"])
    path = _link(message)
    assert client.post(path).status_code in (200, 302, 303)
    db.session.expire_all()
    assert db.session.get(type(reader), reader.id).email == "li.new@example.cn"
