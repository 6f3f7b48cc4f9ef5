"""The e-mail as written for the wire: 7-bit clean, RFC 2047 headers, the MIME structure mail clients expect."""

import email
from email import policy
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from engage.notifications.mail import CalendarCache, MailConnection, build_message
from engage.notifications.models import Notification
from engage.notifications.services import render
from engage.participation.services import register


def _queued(db, person, workshop) -> Notification:
    register(workshop, actor=person)
    db.session.commit()
    return render(db.session.scalars(sa.select(Notification).where(Notification.user_id == person.id)).one())


def test_a_chinese_message_is_seven_bit_clean_and_reads_back_the_same(app, db, create_user, create_workshop):
    app.config["ENGAGE_MAIL_SENDER"] = "IC2PerMed 联盟 <engage@example.org>"
    person = create_user(locale="zh", timezone="Asia/Shanghai", email="li@example.cn")
    notification = _queued(db, person, create_workshop(title="数据交换圆桌会议 " * 8))
    message = build_message(notification, CalendarCache([notification]))

    assert message.data.isascii() and not message.needs_smtputf8
    assert all(len(line) <= 78 for line in message.data.split(b"\r\n"))
    assert b"\n" not in message.data.replace(b"\r\n", b"")
    parsed = email.message_from_bytes(message.data, policy=policy.default)
    assert parsed["Subject"] == notification.subject
    assert parsed["From"] == "IC2PerMed 联盟 <engage@example.org>"
    assert (message.sender, message.recipient) == ("engage@example.org", "li@example.cn")
    assert parsed["Message-ID"] == f"<notification-{notification.id}@engage.local>"
    assert parsedate_to_datetime(parsed["Date"]) == notification.created_at.replace(microsecond=0)
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(("plain",)).get_content().rstrip("\n") == notification.body_text.rstrip("\n")
    assert parsed.get_body(("html",)).get_content().rstrip("\n") == notification.body_html.rstrip("\n")
    [attachment] = parsed.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"workshop-{notification.workshop_id}.ics"


def test_a_long_english_subject_is_folded_and_unfolds_to_itself(db, create_user, create_workshop):
    notification = _queued(db, create_user(), create_workshop(title="Adopting big data and ICT solutions " * 4))
    message = build_message(notification)
    assert all(len(line) <= 78 for line in message.data.split(b"\r\n"))
    assert email.message_from_bytes(message.data, policy=policy.default)["Subject"] == notification.subject


def test_a_subject_with_a_line_break_is_not_written(db, create_user, create_workshop):
    notification = _queued(db, create_user(), create_workshop())
    notification.subject = "Registration confirmed\r\nBcc: everyone@example.org"
    with pytest.raises(ValueError):
        build_message(notification)


def test_an_internationalised_address_is_sent_with_smtputf8(db, mail_server, create_user, create_workshop):
    notification = _queued(db, create_user(), create_workshop())
    notification.user.email = "李@例子.中国"
    message = build_message(notification)
    assert message.needs_smtputf8
    connection = MailConnection()
    connection.send(message)
    connection.close()
    [received] = mail_server.wait_for(1)
    assert mail_server.recipients == [["李@例子.中国"]] and received["To"] == "李@例子.中国"
