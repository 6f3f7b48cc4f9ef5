"""The scheduler writes its heartbeat at the start and end of each tick; /readyz and /metrics read its age."""

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa

from engage.extensions import db
from engage.operations.models import SchedulerHeartbeat

# Rows of processes that stopped long ago are forgotten.
FORGET_AFTER = timedelta(days=1)
PROCESS = f"{socket.gethostname()}:{os.getpid()}"


def beat(now: datetime, *, started_at: datetime, last_tick_seconds: float | None = None) -> None:
    """Record that this scheduler process is alive (commits: it is the scheduler's own bookkeeping)."""
    values = {"beat_at": now}
    if last_tick_seconds is not None:
        values["last_tick_seconds"] = last_tick_seconds
    updated = db.session.execute(
        sa.update(SchedulerHeartbeat).where(SchedulerHeartbeat.process == PROCESS).values(**values)
    ).rowcount
    if not updated:
        db.session.add(
            SchedulerHeartbeat(
                process=PROCESS, started_at=started_at, beat_at=now, last_tick_seconds=last_tick_seconds or 0.0
            )
        )
    db.session.execute(sa.delete(SchedulerHeartbeat).where(SchedulerHeartbeat.beat_at < now - FORGET_AFTER))
    db.session.commit()


def latest_beat() -> datetime | None:
    return db.session.scalar(sa.select(sa.func.max(SchedulerHeartbeat.beat_at)))


def heartbeat_age_seconds(now: datetime) -> float | None:
    """Seconds since any scheduler process last beat, or None when none ever did."""
    latest = latest_beat()
    if latest is None:
        return None
    return max(0.0, (now - latest).total_seconds())
