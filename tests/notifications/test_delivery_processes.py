"""Real processes running the delivery job: two at once, and one killed mid-batch then restarted."""

import json
import threading
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from notif_helpers import DEADLINE

from engage.notifications.jobs import CLAIM_LEASE
from engage.notifications.models import Notification, NotificationState
from engage.participation.services import register
from engage.timeutil import utcnow


def _queue_confirmations(db, create_user, create_workshop, people: int) -> list[str]:
    workshop = create_workshop(capacity=people)
    for _ in range(people):
        register(workshop, actor=create_user())
    db.session.commit()
    ids = db.session.scalars(sa.select(Notification.id).order_by(Notification.id)).all()
    # No transaction of ours may stay open (on SQLite it would hold the lock the workers need).
    db.session.rollback()
    return [f"<notification-{i}@engage.local>" for i in ids]


def _states(db) -> Counter:
    db.session.expire_all()
    states = Counter(db.session.scalars(sa.select(Notification.state)).all())
    db.session.rollback()
    return states


def test_two_processes_at_once_send_each_message_exactly_once(
    db, smtp_server, start_worker, create_user, create_workshop
):
    expected = _queue_confirmations(db, create_user, create_workshop, 40)
    # Each message waits for one from the other process: the runs overlap, and claim at the same moments.
    smtp_server.lockstep = threading.Barrier(2)
    now = utcnow()
    workers = [start_worker(smtp_server.port, now, batch_size=1) for _ in range(2)]
    outputs = [json.loads(w.communicate(timeout=DEADLINE)[0]) for w in workers]
    assert [w.returncode for w in workers] == [0, 0]
    assert sum(o["sent"] for o in outputs) == 40
    assert all(o["sent"] > 0 for o in outputs), outputs
    assert len(smtp_server.sessions) >= 2
    received = Counter(smtp_server.message_ids())
    assert sorted(received) == sorted(expected)
    assert set(received.values()) == {1}
    assert _states(db) == Counter({NotificationState.SENT: 40})


def test_a_process_killed_mid_batch_and_restarted_sends_the_rest_once(
    db, smtp_server, start_worker, create_user, create_workshop
):
    expected = _queue_confirmations(db, create_user, create_workshop, 8)
    smtp_server.block_at = 3
    now = utcnow()
    victim = start_worker(smtp_server.port, now, batch_size=20)
    assert smtp_server.blocked.wait(DEADLINE), victim.stderr.read() if victim.poll() is not None else "not blocked"
    victim.kill()
    victim.wait(timeout=DEADLINE)
    smtp_server.release.set()
    delivered_before = smtp_server.message_ids()
    assert delivered_before == expected[:2]
    states = _states(db)
    assert states == Counter({NotificationState.SENT: 2, NotificationState.SENDING: 6})

    # Restarted before the dead run's claim lease ends: its claimed rows are not touched yet.
    early = start_worker(smtp_server.port, now + CLAIM_LEASE - timedelta(seconds=1))
    assert json.loads(early.communicate(timeout=DEADLINE)[0])["sent"] == 0
    restarted = start_worker(smtp_server.port, now + CLAIM_LEASE)
    assert json.loads(restarted.communicate(timeout=DEADLINE)[0])["sent"] == 6
    received = Counter(smtp_server.message_ids())
    assert sorted(received) == sorted(expected)
    assert set(received.values()) == {1}
    assert _states(db) == Counter({NotificationState.SENT: 8})
