"""The scheduler's heartbeat: one row per scheduler process, written each tick."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.timeutil import UTCDateTime


class SchedulerHeartbeat(db.Model):
    __tablename__ = "scheduler_heartbeats"

    # host:pid, so two scheduler processes (by mistake or on two hosts) each keep their own row.
    process: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_tick_seconds: Mapped[float] = mapped_column(sa.Float, default=0.0)
