"""The notification outbox, per-person preferences and per-workshop reminder schedules."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import Workshop


class NotificationKind(enum.Enum):
    REGISTRATION_CONFIRMED = "registration_confirmed"
    REGISTRATION_WAITLISTED = "registration_waitlisted"
    REGISTRATION_PROMOTED = "registration_promoted"
    REGISTRATION_CANCELLED = "registration_cancelled"
    WORKSHOP_RESCHEDULED = "workshop_rescheduled"
    WORKSHOP_CANCELLED = "workshop_cancelled"
    WORKSHOP_REMINDER = "workshop_reminder"
    INVITATION = "invitation"
    DELPHI_ROUND_REMINDER = "delphi_round_reminder"
    DELPHI_PANEL_ADDED = "delphi_panel_added"
    CONSULTATION_OPENED = "consultation_opened"
    CONSULTATION_REMINDER = "consultation_reminder"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE = "email_change"

    @property
    def is_transactional(self) -> bool:
        """Transactional messages answer something that happened to the person; they cannot be muted."""
        return self not in (
            NotificationKind.WORKSHOP_REMINDER,
            NotificationKind.DELPHI_ROUND_REMINDER,
            NotificationKind.CONSULTATION_REMINDER,
        )


class NotificationState(enum.Enum):
    """E-mail delivery state. Every notification is also shown in-app, whatever its state."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Due while no mail server was configured: in-app only, never e-mailed later.
    IN_APP_ONLY = "in_app_only"


class Notification(db.Model):
    """One message to one person: shown in-app, and e-mailed by the delivery job."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_due", "state", "next_attempt_at"),
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
        # The retention purge's rows: a blanked row leaves the index (privacy/jobs.py, run_retention).
        sa.Index(
            "ix_notifications_bodies_kept",
            "created_at",
            postgresql_where=sa.text("body_text != ''"),
            sqlite_where=sa.text("body_text != ''"),
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The recipient: a person, or (for an invitation) an address without an account yet.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    recipient_email: Mapped[str | None] = mapped_column(sa.String(254))
    kind: Mapped[NotificationKind] = mapped_column(sa.Enum(NotificationKind, native_enum=False, length=40))
    # The event this message reports, e.g. "reminder:12:1440:7": the same event is never queued twice.
    dedupe_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The facts of the event while the message waits to be rendered (subject and bodies empty); NULL once
    # rendered (services.render).
    context: Mapped[dict | None] = mapped_column(sa.JSON)
    # The workshop whose .ics is attached (built when sent, so it is the current version).
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    has_ics: Mapped[bool] = mapped_column(default=False)
    state: Mapped[NotificationState] = mapped_column(
        sa.Enum(NotificationState, native_enum=False, length=20), default=NotificationState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
    workshop: Mapped[Workshop | None] = relationship()

    @property
    def address(self) -> str:
        return self.user.email if self.user is not None else self.recipient_email

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """What a person wants to receive. Without a row, everything is on."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    has_reminders: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WorkshopReminder(db.Model):
    """A reminder sent this long before a workshop starts. A workshop without rows uses the defaults."""

    __tablename__ = "workshop_reminders"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "minutes_before"),
        sa.CheckConstraint("minutes_before > 0", name="minutes_before_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    minutes_before: Mapped[int]


class WorkshopReminderSchedule(db.Model):
    """Marks a workshop whose lead chose its reminders (possibly none): its WorkshopReminder rows are the list."""

    __tablename__ = "workshop_reminder_schedules"

    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
