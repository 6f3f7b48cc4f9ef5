from datetime import timedelta

import sqlalchemy as sa

from engage.consultations import services
from engage.consultations.jobs import run_due_consultation_notices
from engage.notifications.models import Notification, NotificationKind, NotificationPreference
from engage.notifications.services import render


def _sent(db, kind):
    return db.session.scalars(sa.select(Notification).where(Notification.kind == kind)).all()


def test_opening_notice_goes_to_the_audience_once(db, create_consultation, member, lead, participant):
    c = create_consultation(opens_in=timedelta(hours=1), closes_in=timedelta(days=10))
    assert run_due_consultation_notices(c.opens_at - timedelta(minutes=1)) == 0
    assert run_due_consultation_notices(c.opens_at) == 2
    assert run_due_consultation_notices(c.opens_at + timedelta(minutes=5)) == 0
    notices = _sent(db, NotificationKind.CONSULTATION_OPENED)
    assert sorted(n.user_id for n in notices) == sorted([member.id, lead.id])
    assert c.title in render(notices[0]).subject


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


def test_organiser_chooses_the_reminders_and_others_cannot(
    client, db, create_consultation, member, lead, auth_headers, assert_error
):
    c = create_consultation(closes_in=timedelta(days=10))
    path = f"/api/v1/consultations/{c.id}/reminders"
    assert client.get(path, headers=auth_headers(lead)).get_json() == {"minutes_before": [4320, 1440]}
    assert client.put(path, json={"minutes_before": [60]}, headers=auth_headers(lead)).get_json() == {
        "minutes_before": [60]
    }
    assert_error(client.put(path, json={"minutes_before": [-5]}, headers=auth_headers(lead)), 422)
    assert_error(client.put(path, json={"minutes_before": [60]}, headers=auth_headers(member)), 403)
    db.session.expire_all()
    run_due_consultation_notices(c.opens_at)  # the opening notices
    assert run_due_consultation_notices(c.closes_at - timedelta(days=2)) == 0  # the defaults no longer apply
    assert run_due_consultation_notices(c.closes_at - timedelta(minutes=30)) == 2
    assert {n.dedupe_key.split(":")[2] for n in _sent(db, NotificationKind.CONSULTATION_REMINDER)} == {"60"}


def test_reminders_of_a_closed_consultation_cannot_change(db, create_consultation, lead):
    import pytest

    from engage.consultations.jobs import consultation_reminders
    from engage.errors import DomainError
    from engage.notifications.reminders import set_reminders

    c = create_consultation(closes_in=timedelta(days=1))
    with pytest.raises(DomainError):
        set_reminders(consultation_reminders(c), actor=lead, minutes=[60], now=c.closes_at + timedelta(seconds=1))
