"""Consultations: a time-boxed window in which an audience comments on a document."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.minutes.models import Minutes
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import Pillar, WorkingGroup


class ConsultationState(enum.Enum):
    """Derived from the clock, never stored: a consultation opens and closes without anyone clicking."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(
            {
                ConsultationState.SCHEDULED: _l("Scheduled"),
                ConsultationState.OPEN: _l("Open"),
                ConsultationState.CLOSED: _l("Closed"),
            }[self]
        )


class Audience(enum.Enum):
    WORKING_GROUP = "working_group"
    EVERYONE = "everyone"
    LISTED = "listed"

    @property
    def label(self) -> str:
        return str(
            {
                Audience.WORKING_GROUP: _l("The working group"),
                Audience.EVERYONE: _l("Everyone"),
                Audience.LISTED: _l("Invited people"),
            }[self]
        )


class ReferenceKind(enum.Enum):
    """The app's own content a consultation can be about."""

    MINUTES = "minutes"
    PRIORITY_LIST = "priority_list"
    ROADMAP = "roadmap"


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="closes_after_opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organisers are this group's leads and the coordinators (coordinators only, without a group).
    working_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    body: Mapped[str] = mapped_column(sa.Text)
    body_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    body_html: Mapped[str] = mapped_column(sa.Text)
    body_html_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    audience: Mapped[Audience] = mapped_column(sa.Enum(Audience, native_enum=False, length=20))
    # Set once by the job that queues the "consultation opened" messages (a conditional UPDATE claims it).
    opened_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Minutes before close at which those who have not commented are reminded; NULL = the defaults.
    reminder_minutes: Mapped[str | None] = mapped_column(sa.String(100))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    working_group: Mapped[WorkingGroup | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    references: Mapped[list["ConsultationReference"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="ConsultationReference.id"
    )
    invitees: Mapped[list[User]] = relationship(secondary="consultation_invitees", order_by=User.id)

    def state(self, now: datetime) -> ConsultationState:
        if now < self.opens_at:
            return ConsultationState.SCHEDULED
        if now < self.closes_at:
            return ConsultationState.OPEN
        return ConsultationState.CLOSED


class ConsultationReference(db.Model):
    """A typed link to the document consulted on: draft minutes, a pillar's priority list, the roadmap."""

    __tablename__ = "consultation_references"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'MINUTES' AND minutes_id IS NOT NULL AND pillar_id IS NULL)"
            " OR (kind = 'PRIORITY_LIST' AND pillar_id IS NOT NULL AND minutes_id IS NULL)"
            " OR (kind = 'ROADMAP' AND minutes_id IS NULL AND pillar_id IS NULL)",
            name="reference_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReferenceKind] = mapped_column(sa.Enum(ReferenceKind, native_enum=False, length=20))
    minutes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    pillar_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pillars.id", ondelete="CASCADE"))

    consultation: Mapped[Consultation] = relationship(back_populates="references")
    minutes: Mapped[Minutes | None] = relationship()
    pillar: Mapped[Pillar | None] = relationship()


consultation_invitees = sa.Table(
    "consultation_invitees",
    db.metadata,
    sa.Column("consultation_id", sa.ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)
