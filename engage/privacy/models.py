from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.minutes.models import ExportState
from engage.timeutil import UTCDateTime, utcnow


class DataExport(db.Model):
    """A person's "My data" ZIP, made in the background: progress x of y parts, the file until it expires."""

    __tablename__ = "data_exports"
    __table_args__ = (sa.CheckConstraint("progress_done <= progress_total", name="progress_within_total"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    state: Mapped[ExportState] = mapped_column(
        sa.Enum(ExportState, native_enum=False, length=20), default=ExportState.QUEUED, index=True
    )
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    # Its key in the file storage (engage.storage); cleared when the file is removed.
    storage_key: Mapped[str | None] = mapped_column(sa.String(500))
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_downloadable(self, now: datetime) -> bool:
        return (
            self.state is ExportState.DONE
            and self.storage_key is not None
            and self.expires_at is not None
            and now < self.expires_at
        )
