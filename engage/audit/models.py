import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow


class AuditAction(enum.Enum):
    SETTINGS_CHANGED = "settings_changed"
    INVITATION_CREATED = "invitation_created"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    ROLE_CHANGED = "role_changed"
    LEADS_CHANGED = "leads_changed"
    ACCOUNT_SWITCHED_OFF = "account_switched_off"
    ACCOUNT_SWITCHED_ON = "account_switched_on"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGED = "email_changed"
    DATA_EXPORT_REQUESTED = "data_export_requested"
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded"
    MINUTES_EXPORT_REQUESTED = "minutes_export_requested"
    ACCOUNT_ERASED = "account_erased"
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    MINUTES_PUBLISHED = "minutes_published"
    MINUTES_REDACTED = "minutes_redacted"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class AuditEvent(db.Model):
    """One administrative or privacy action. `details` never holds a name or an e-mail address."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[AuditAction] = mapped_column(sa.Enum(AuditAction, native_enum=False, length=40), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[int | None]
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship()


@sa.event.listens_for(Session, "before_flush")
def _append_only(session, _context, _instances) -> None:
    # The log is evidence: the application may add to it, never change or remove what is there.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit events are append-only")
