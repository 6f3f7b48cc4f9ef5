import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import Workshop


class RegistrationStatus(enum.Enum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    ATTENDED = "attended"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("confirmed"),
    RegistrationStatus.WAITLISTED: _l("waitlisted"),
    RegistrationStatus.CANCELLED: _l("cancelled"),
    RegistrationStatus.ATTENDED: _l("attended"),
}


class Registration(db.Model):
    """A person's place at a workshop: at most one row per person and workshop."""

    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "user_id"),
        sa.Index("ix_registrations_waitlist", "workshop_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(sa.Enum(RegistrationStatus, native_enum=False, length=20))
    # Order of arrival; the waiting list is served in this order.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User] = relationship()

    @property
    def holds_seat(self) -> bool:
        return self.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)


class Comment(db.Model):
    """A comment on a workshop or on a consultation (exactly one): one model and one set of rules for both,
    and one place where an erased author's comments are anonymised or removed."""

    __tablename__ = "comments"
    __table_args__ = (sa.CheckConstraint("(workshop_id IS NULL) <> (consultation_id IS NULL)", name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    # By table name only: consultations build on participation, not the other way round.
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The language it was written in ("en", "zh": the author's interface language); None for older comments.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # The author erased their account and asked for their comments to go too: the text is gone.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None

    @property
    def author_label(self) -> str:
        """The author's name, or "a former participant" once they erased their account."""
        if self.author is None or self.author.is_erased:
            return str(_l("a former participant"))
        return self.author.display_name

    @property
    def shown_html(self) -> str:
        """The sanitised text, or a notice where the author had it removed."""
        if self.removed_at is not None:
            return str(escape(_l("[removed at the author's request]")))
        return self.body_html
