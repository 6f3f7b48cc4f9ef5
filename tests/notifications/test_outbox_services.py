"""Transactional notifications are queued in the same transaction as the change that causes them,
and rendered (in the recipient's language and zone) when delivered or first read."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from engage.notifications.models import Notification, NotificationKind, NotificationState
from engage.notifications.services import render
from engage.participation.models import Registration
from engage.participation.services import cancel_registration, register
from engage.timeutil import to_zone
from engage.workshops.services import cancel_workshop, update_workshop


def _kinds(db, user) -> list[NotificationKind]:
    return db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    ).all()


def test_registration_queues_confirmation_in_the_same_transaction(db, participant, create_workshop):
    workshop = create_workshop()
    register(workshop, actor=participant)
    db.session.rollback()
    assert _kinds(db, participant) == []
    register(workshop, actor=participant)
    db.session.commit()
    row = db.session.scalar(sa.select(Notification).where(Notification.user_id == participant.id))
    assert row.kind is NotificationKind.REGISTRATION_CONFIRMED
    assert row.state is NotificationState.PENDING and row.attempts == 0 and row.has_ics
    # Queued unrendered, so nothing is rendered while the workshop's row lock is held.
    assert row.subject == "" and row.context is not None
    assert workshop.title in render(row).subject and row.context is None


def test_full_workshop_queues_waitlisted_with_position(db, create_user, create_workshop):
    workshop = create_workshop(capacity=1)
    register(workshop, actor=create_user())
    first, second = create_user(), create_user()
    register(workshop, actor=first)
    register(workshop, actor=second)
    db.session.commit()
    row = db.session.scalar(sa.select(Notification).where(Notification.user_id == second.id))
    assert row.kind is NotificationKind.REGISTRATION_WAITLISTED
    cancel_registration(db.session.scalar(sa.select(Registration).where(Registration.user_id == first.id)), actor=first)
    db.session.commit()
    # The place in line when the message was queued, even if it has moved by the time it is rendered.
    assert "position 2" in render(row).body_text
    assert not row.has_ics


def test_cancelling_a_seat_notifies_the_person_and_the_promoted_one(db, create_user, create_workshop):
    workshop = create_workshop(capacity=1)
    holder, waiting = create_user(), create_user()
    registration = register(workshop, actor=holder)
    register(workshop, actor=waiting)
    db.session.commit()
    cancel_registration(registration, actor=holder)
    db.session.commit()
    assert _kinds(db, holder) == [NotificationKind.REGISTRATION_CONFIRMED, NotificationKind.REGISTRATION_CANCELLED]
    assert _kinds(db, waiting) == [NotificationKind.REGISTRATION_WAITLISTED, NotificationKind.REGISTRATION_PROMOTED]


def test_reregistering_after_cancelling_confirms_again(db, participant, create_workshop):
    workshop = create_workshop()
    cancel_registration(register(workshop, actor=participant), actor=participant)
    register(workshop, actor=participant)
    db.session.commit()
    assert _kinds(db, participant) == [
        NotificationKind.REGISTRATION_CONFIRMED,
        NotificationKind.REGISTRATION_CANCELLED,
        NotificationKind.REGISTRATION_CONFIRMED,
    ]


def test_reschedule_notifies_everyone_registered_but_not_the_cancelled(
    db, lead, working_group, create_user, create_workshop
):
    workshop = create_workshop(working_group, capacity=1)
    seated, waiting, gone = create_user(), create_user(), create_user()
    register(workshop, actor=seated)
    register(workshop, actor=waiting)
    cancel_registration(register(workshop, actor=gone), actor=gone)
    db.session.commit()
    update_workshop(
        workshop,
        actor=lead,
        data={"starts_at": workshop.starts_at + timedelta(days=1), "ends_at": workshop.ends_at + timedelta(days=1)},
    )
    db.session.commit()
    assert _kinds(db, seated)[-1] is NotificationKind.WORKSHOP_RESCHEDULED
    assert _kinds(db, waiting)[-1] is NotificationKind.WORKSHOP_RESCHEDULED
    assert NotificationKind.WORKSHOP_RESCHEDULED not in _kinds(db, gone)


def test_a_title_edit_is_not_a_reschedule(db, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group)
    register(workshop, actor=participant)
    db.session.commit()
    update_workshop(workshop, actor=lead, data={"title": "New title"})
    db.session.commit()
    assert _kinds(db, participant) == [NotificationKind.REGISTRATION_CONFIRMED]


def test_cancelling_a_workshop_notifies_each_registered_person_once(
    db, lead, working_group, participant, create_workshop
):
    workshop = create_workshop(working_group)
    register(workshop, actor=participant)
    db.session.commit()
    cancel_workshop(workshop, actor=lead)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    assert _kinds(db, participant) == [NotificationKind.REGISTRATION_CONFIRMED, NotificationKind.WORKSHOP_CANCELLED]


def test_times_are_in_the_recipients_zone_with_the_zone_named(db, create_user, create_workshop):
    start = datetime(2031, 3, 10, 8, 0, tzinfo=UTC)
    workshop = create_workshop(starts_at=start, ends_at=start + timedelta(hours=2), timezone="Europe/Rome")
    person = create_user(timezone="Asia/Shanghai")
    register(workshop, actor=person, now=start - timedelta(days=20))
    db.session.commit()
    row = render(db.session.scalar(sa.select(Notification).where(Notification.user_id == person.id)))
    assert "16:00 (Asia/Shanghai)" in row.body_text
    assert "18:00 (Asia/Shanghai)" in row.body_text
    assert to_zone(start, "Europe/Rome").strftime("%H:%M") not in row.body_text
    assert "16:00 (Asia/Shanghai)" in row.body_html


def test_user_text_is_escaped_in_the_html_part(db, participant, create_workshop):
    workshop = create_workshop(title="<script>alert(1)</script>")
    register(workshop, actor=participant)
    db.session.commit()
    row = render(db.session.scalar(sa.select(Notification).where(Notification.user_id == participant.id)))
    assert "<script>" not in row.body_html and "&lt;script&gt;" in row.body_html
