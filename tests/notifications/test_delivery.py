"""E-mail delivery through a real SMTP server on loopback, read back and parsed."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from notif_helpers import calendar_of, free_port, html_of, text_of

from engage.notifications.jobs import BACKOFF, MAX_ATTEMPTS, run_due_notifications
from engage.notifications.models import Notification, NotificationKind, NotificationState
from engage.participation.services import cancel_registration, register
from engage.timeutil import utcnow
from engage.workshops.services import cancel_workshop, update_workshop

START = datetime(2031, 3, 10, 8, 0, tzinfo=UTC)


def _rows(db) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Notification).order_by(Notification.id)).all()


def test_confirmation_arrives_with_zone_named_time_and_ics(db, mail_server, create_user, create_workshop):
    workshop = create_workshop(title="DPYD testing", starts_at=START, ends_at=START + timedelta(hours=2))
    person = create_user(timezone="Asia/Shanghai", email="li@example.cn")
    register(workshop, actor=person)
    db.session.commit()
    now = utcnow()
    assert run_due_notifications(now)["sent"] == 1
    [message] = mail_server.wait_for(1)
    assert mail_server.recipients == [["li@example.cn"]]
    assert message["To"] == "li@example.cn"
    assert message["Subject"] == "Registration confirmed: DPYD testing"
    [row] = _rows(db)
    assert message["Message-ID"] == f"<notification-{row.id}@engage.local>"
    assert "Mon, Mar 10, 2031, 16:00 (Asia/Shanghai)" in text_of(message)
    assert "16:00 (Asia/Shanghai)" in html_of(message)
    calendar = calendar_of(message)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "DPYD testing"
    assert event.decoded("dtstart").astimezone(UTC) == START
    assert (row.state, row.sent_at, row.attempts) == (NotificationState.SENT, now, 0)


def test_each_transactional_event_is_delivered_to_the_people_concerned(
    db, mail_server, lead, working_group, create_user, create_workshop
):
    workshop = create_workshop(working_group, capacity=1, title="Round 2")
    holder, waiting = create_user(email="holder@example.org"), create_user(email="waiting@example.org")
    registration = register(workshop, actor=holder)
    register(workshop, actor=waiting)
    cancel_registration(registration, actor=holder)
    db.session.commit()
    update_workshop(workshop, actor=lead, data={"venue": "Shanghai"})
    db.session.commit()
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    assert run_due_notifications(utcnow())["sent"] == 6
    received = sorted((m["To"], m["Subject"]) for m in mail_server.wait_for(6))
    assert received == [
        ("holder@example.org", "Registration cancelled: Round 2"),
        ("holder@example.org", "Registration confirmed: Round 2"),
        ("waiting@example.org", "A seat is yours: Round 2"),
        ("waiting@example.org", "On the waiting list: Round 2"),
        ("waiting@example.org", "Workshop cancelled: Round 2"),
        ("waiting@example.org", "Workshop rescheduled: Round 2"),
    ]


def test_reschedule_mail_carries_the_updated_ics(db, mail_server, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group, starts_at=START, ends_at=START + timedelta(hours=2))
    register(workshop, actor=participant)
    db.session.commit()
    later = START + timedelta(days=1)
    update_workshop(workshop, actor=lead, data={"starts_at": later, "ends_at": later + timedelta(hours=2)})
    db.session.commit()
    run_due_notifications(utcnow())
    messages = mail_server.wait_for(2)
    [rescheduled] = [m for m in messages if m["Subject"].startswith("Workshop rescheduled")]
    [event] = calendar_of(rescheduled).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == later
    assert int(event["sequence"]) == 1
    assert "Tue, Mar 11, 2031, 09:00 (Europe/Rome)" in text_of(rescheduled)


def test_cancelled_workshop_mail_carries_a_cancelled_event(
    db, mail_server, lead, working_group, participant, create_workshop
):
    workshop = create_workshop(working_group)
    register(workshop, actor=participant)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    run_due_notifications(utcnow())
    [cancelled] = [m for m in mail_server.wait_for(2) if m["Subject"].startswith("Workshop cancelled")]
    [event] = calendar_of(cancelled).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_running_the_job_twice_sends_nothing_twice(db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    now = utcnow()
    first, second = run_due_notifications(now), run_due_notifications(now + timedelta(minutes=30))
    assert (first["sent"], second["sent"]) == (1, 0)
    assert len(mail_server.wait_for(1)) == 1
    assert [r.state for r in _rows(db)] == [NotificationState.SENT]


def test_smtp_failure_is_retried_with_back_off_then_delivered(db, mail_to, smtp_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    now = utcnow()
    mail_to(free_port())  # nothing listens there
    assert run_due_notifications(now)["retry"] == 1
    [row] = _rows(db)
    assert (row.state, row.attempts, row.next_attempt_at) == (NotificationState.PENDING, 1, now + BACKOFF[0])
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    mail_to(smtp_server.port)
    assert run_due_notifications(now + BACKOFF[0] - timedelta(seconds=1))["sent"] == 0
    assert run_due_notifications(now + BACKOFF[0])["sent"] == 1
    assert len(smtp_server.wait_for(1)) == 1
    [row] = _rows(db)
    assert (row.state, row.attempts, row.sent_at) == (NotificationState.SENT, 1, now + BACKOFF[0])


def test_after_the_last_attempt_the_row_is_failed(db, mail_to, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    mail_to(free_port())
    moment = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        counts = run_due_notifications(moment)
        [row] = _rows(db)
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1 and row.state is NotificationState.PENDING
            moment = row.next_attempt_at
    assert counts["failed"] == 1 and row.state is NotificationState.FAILED
    assert run_due_notifications(moment + timedelta(days=30)) == {"sent": 0, "retry": 0, "failed": 0, "in_app_only": 0}


def test_without_a_mail_server_notifications_are_in_app_only(db, app, participant, create_workshop):
    assert not app.config["ENGAGE_MAIL_SERVER"]
    register(create_workshop(), actor=participant)
    db.session.commit()
    assert run_due_notifications(utcnow())["in_app_only"] == 1
    [row] = _rows(db)
    assert row.state is NotificationState.IN_APP_ONLY and row.read_at is None
    assert row.kind is NotificationKind.REGISTRATION_CONFIRMED


def test_a_claim_left_by_a_dead_process_is_taken_over_after_the_lease(db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    now = utcnow()
    db.session.execute(
        sa.update(Notification).values(state=NotificationState.SENDING, claim_token="dead", claimed_at=now)
    )
    db.session.commit()
    assert run_due_notifications(now + timedelta(minutes=9))["sent"] == 0
    assert run_due_notifications(now + timedelta(minutes=10))["sent"] == 1
    assert len(mail_server.wait_for(1)) == 1


def test_a_switched_off_account_is_not_emailed(db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    participant.is_active_account = False
    db.session.commit()
    assert run_due_notifications(utcnow()) == {"sent": 0, "retry": 0, "failed": 0, "in_app_only": 1}
    assert mail_server.message_ids() == []
    assert [r.state for r in _rows(db)] == [NotificationState.IN_APP_ONLY]


def test_a_chinese_speaker_gets_times_in_their_zone_and_language(db, mail_server, create_user, create_workshop):
    workshop = create_workshop(starts_at=START, ends_at=START + timedelta(hours=2))
    register(workshop, actor=create_user(locale="zh", timezone="Asia/Shanghai"))
    db.session.commit()
    run_due_notifications(utcnow())
    [message] = mail_server.wait_for(1)
    assert "2031年3月10日周一 16:00 (Asia/Shanghai)" in text_of(message)
