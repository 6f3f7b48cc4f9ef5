"""Workshop reminders: due once per (workshop, offset, person), seat holders only, mutable by preference."""

from datetime import timedelta

import sqlalchemy as sa
from notif_helpers import calendar_of

from engage.notifications.jobs import run_due_notifications, run_due_reminders
from engage.notifications.models import Notification, NotificationKind
from engage.notifications.reminders import set_reminders, workshop_reminders
from engage.notifications.services import set_preferences
from engage.participation.services import cancel_registration, register
from engage.timeutil import utcnow
from engage.workshops.services import cancel_workshop


def _reminders(db, user=None) -> list[str]:
    stmt = sa.select(Notification.dedupe_key).where(Notification.kind == NotificationKind.WORKSHOP_REMINDER)
    if user is not None:
        stmt = stmt.where(Notification.user_id == user.id)
    return db.session.scalars(stmt.order_by(Notification.id)).all()


def test_reminders_are_due_7_days_and_1_day_before_exactly_once(db, participant, create_workshop):
    workshop = create_workshop()
    register(workshop, actor=participant)
    db.session.commit()
    start = workshop.starts_at
    assert run_due_reminders(start - timedelta(days=7, seconds=1)) == 0
    assert run_due_reminders(start - timedelta(days=7)) == 1
    assert run_due_reminders(start - timedelta(days=7)) == 0
    assert run_due_reminders(start - timedelta(days=3)) == 0
    assert run_due_reminders(start - timedelta(days=1)) == 1
    assert run_due_reminders(start - timedelta(hours=1)) == 0
    assert run_due_reminders(start + timedelta(minutes=5)) == 0
    assert _reminders(db, participant) == [
        f"reminder:{workshop.id}:10080:{participant.id}",
        f"reminder:{workshop.id}:1440:{participant.id}",
    ]


def test_no_reminder_after_cancelling_nor_while_waitlisted(db, create_user, create_workshop):
    workshop = create_workshop(capacity=1)
    leaver, waiting = create_user(), create_user()
    registration = register(workshop, actor=leaver)
    db.session.commit()
    cancel_registration(registration, actor=leaver)
    db.session.commit()
    blocker = create_user()
    register(workshop, actor=blocker)
    register(workshop, actor=waiting)
    db.session.commit()
    run_due_reminders(workshop.starts_at - timedelta(days=1))
    assert _reminders(db, leaver) == [] and _reminders(db, waiting) == []
    assert len(_reminders(db, blocker)) == 1


def test_no_reminders_for_a_cancelled_workshop(db, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group)
    register(workshop, actor=participant)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    assert run_due_reminders(workshop.starts_at - timedelta(days=1)) == 0


def test_a_stale_reminder_is_not_sent_to_someone_who_registered_after_its_moment(db, participant, create_workshop):
    workshop = create_workshop(starts_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    register(workshop, actor=participant)
    db.session.commit()
    assert run_due_reminders(utcnow()) == 0
    assert run_due_reminders(workshop.starts_at - timedelta(days=1)) == 1


def test_muted_reminders_stay_silent_but_the_confirmation_still_arrives(db, mail_server, participant, create_workshop):
    workshop = create_workshop()
    set_preferences(participant, reminders=False)
    register(workshop, actor=participant)
    db.session.commit()
    assert run_due_reminders(workshop.starts_at - timedelta(days=1)) == 0
    run_due_notifications(utcnow())
    [message] = mail_server.wait_for(1)
    assert message["Subject"].startswith("Registration confirmed")
    set_preferences(participant, reminders=True)
    db.session.commit()
    assert run_due_reminders(workshop.starts_at - timedelta(days=1)) == 1


def test_reminder_mail_has_the_ics_attached(db, mail_server, participant, create_workshop):
    workshop = create_workshop(title="Big data round 1")
    register(workshop, actor=participant)
    db.session.commit()
    moment = workshop.starts_at - timedelta(days=1)
    run_due_reminders(moment)
    run_due_notifications(moment)
    [reminder] = [m for m in mail_server.wait_for(2) if m["Subject"].startswith("Reminder")]
    assert reminder["Subject"] == "Reminder: Big data round 1"
    [event] = calendar_of(reminder).walk("VEVENT")
    assert str(event["summary"]) == "Big data round 1"


def test_a_lead_can_choose_the_reminders_of_a_workshop(db, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group)
    register(workshop, actor=participant)
    set_reminders(workshop_reminders(workshop), actor=lead, minutes=[120])
    db.session.commit()
    assert run_due_reminders(workshop.starts_at - timedelta(days=1)) == 0
    assert run_due_reminders(workshop.starts_at - timedelta(hours=2)) == 1
    set_reminders(workshop_reminders(workshop), actor=lead, minutes=[])
    db.session.commit()
    assert run_due_reminders(workshop.starts_at - timedelta(minutes=30)) == 0
