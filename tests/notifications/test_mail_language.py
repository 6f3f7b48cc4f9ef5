"""E-mails are in the recipient's language, as a loopback SMTP server receives them: subject, text, HTML
(with its lang), dates in the recipient's CLDR format, and the attached calendar entry's alarm text."""

from flask_babel import force_locale, gettext
from notif_helpers import calendar_of, html_of, text_of

from engage.notifications.jobs import run_due_notifications
from engage.timeutil import utcnow


def _zh(app, msgid, **values):
    with app.test_request_context(), force_locale("zh_Hans"):
        text = str(gettext(msgid, **values))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), f"{msgid!r} has no Chinese translation"
    return text


def test_a_chinese_reader_gets_the_confirmation_in_chinese(
    app, client, db, mail_server, create_user, create_workshop, auth_headers
):
    reader = create_user(locale="zh", region="CN-SH", timezone="Asia/Shanghai", email="li.wei@example.cn")
    english = create_user(email="giulia@example.it")
    workshop = create_workshop(title="Data exchange roundtable")
    for person in (reader, english):
        response = client.post(f"/api/v1/workshops/{workshop.id}/registrations", json={}, headers=auth_headers(person))
        assert response.status_code == 201
    assert run_due_notifications(utcnow())["sent"] == 2
    messages = {m["To"]: m for m in mail_server.wait_for(2)}

    chinese = messages["li.wei@example.cn"]
    assert chinese["Subject"] == _zh(app, "Registration confirmed: %(title)s", title="Data exchange roundtable")
    text = text_of(chinese)
    assert _zh(app, "Your registration is confirmed: you have a seat at this workshop.") in text
    assert _zh(app, "Hello %(name)s,", name=reader.display_name) in text
    assert "年" in text and "(Asia/Shanghai)" in text  # 2026年12月13日周日 … in the reader's zone
    assert '<html lang="zh-Hans">' in html_of(chinese)
    [alarm] = calendar_of(chinese).walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == _zh(app, "Reminder: %(title)s", title="Data exchange roundtable")

    other = messages["giulia@example.it"]
    assert other["Subject"] == "Registration confirmed: Data exchange roundtable"
    assert '<html lang="en">' in html_of(other)
