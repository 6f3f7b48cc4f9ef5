from datetime import timedelta

import sqlalchemy as sa

from engage.consultations import services
from engage.consultations.jobs import run_due_consultation_notices
from engage.notifications.models import Notification, NotificationKind, NotificationPreference


def _sent(db, kind):
    return db.session.scalars(sa.select(Notification).where(Notification.kind == kind)).all()


def test_opening_notice_goes_to_the_audience_once(db, create_consultation, member, lead, participant):
    c = create_consultation(opens_in=timedelta(hours=1), closes_in=timedelta(days=10))
    assert run_due_consultation_notices(c.opens_at - timedelta(minutes=1)) == 0
    assert run_due_consultation_notices(c.opens_at) == 2
    assert run_due_consultation_notices(c.opens_at + timedelta(minutes=5)) == 0
    notices = _sent(db, NotificationKind.CONSULTATION_OPENED)
    assert sorted(n.user_id for n in notices) == sorted([member.id, lead.id])
    assert c.title in notices[0].subject


def test_reminders_only_to_those_who_have_not_commented(db, create_consultation, member, lead):
    c = create_consultation(closes_in=timedelta(days=10))
    services.add_comment(c, actor=lead, body="Lead comment")
    db.session.commit()
    assert run_due_consultation_notices(c.closes_at - timedelta(days=4)) == 2  # only the opening notices
    assert run_due_consultation_notices(c.closes_at - timedelta(days=2)) == 1
    assert [n.user_id for n in _sent(db, NotificationKind.CONSULTATION_REMINDER)] == [member.id]
    assert run_due_consultation_notices(c.closes_at - timedelta(days=2)) == 0  # once per offset
    assert run_due_consultation_notices(c.closes_at - timedelta(hours=12)) == 1
    assert run_due_consultation_notices(c.closes_at + timedelta(minutes=1)) == 0  # closed


def test_muted_reminders_are_not_sent(db, create_consultation, member):
    db.session.add(NotificationPreference(user_id=member.id, has_reminders=False))
    db.session.commit()
    c = create_consultation(closes_in=timedelta(days=10))
    run_due_consultation_notices(c.closes_at - timedelta(hours=2))
    assert member.id not in [n.user_id for n in _sent(db, NotificationKind.CONSULTATION_REMINDER)]
    assert member.id in [n.user_id for n in _sent(db, NotificationKind.CONSULTATION_OPENED)]


def test_the_job_is_scheduled():
    from engage.scheduler import scheduled_jobs

    assert run_due_consultation_notices in scheduled_jobs()
