import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import working_group_leads
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow


class Pillar(db.Model):
    __tablename__ = "pillars"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    working_group: Mapped["WorkingGroup | None"] = relationship(back_populates="pillar")


class WorkingGroup(db.Model):
    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    pillar_id: Mapped[int] = mapped_column(sa.ForeignKey("pillars.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    pillar: Mapped[Pillar] = relationship(back_populates="working_group")
    themes: Mapped[list["Theme"]] = relationship(
        back_populates="working_group", order_by="Theme.position", cascade="all, delete-orphan"
    )
    leads = relationship("User", secondary=working_group_leads, back_populates="led_working_groups")


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (sa.UniqueConstraint("working_group_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    working_group: Mapped[WorkingGroup] = relationship(back_populates="themes")
    sub_topics: Mapped[list["SubTopic"]] = relationship(
        back_populates="theme", order_by="SubTopic.letter", cascade="all, delete-orphan"
    )


class SubTopic(db.Model):
    __tablename__ = "sub_topics"
    __table_args__ = (sa.UniqueConstraint("theme_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="CASCADE"))
    letter: Mapped[str] = mapped_column(sa.String(2))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")

    theme: Mapped[Theme] = relationship(back_populates="sub_topics")


class WorkshopStatus(enum.Enum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        sa.CheckConstraint("confirmed_count >= 0 AND confirmed_count <= capacity", name="confirmed_within_capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("round >= 1", name="round_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(36), unique=True, default=lambda: str(uuid.uuid4()))
    working_group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    round: Mapped[int] = mapped_column(default=1)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    venue: Mapped[str] = mapped_column(sa.String(300), default="")
    video_url: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int]
    # Seats taken; changed only by conditional UPDATEs so the database enforces the capacity.
    confirmed_count: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[WorkshopStatus] = mapped_column(
        sa.Enum(WorkshopStatus, native_enum=False, length=20), default=WorkshopStatus.SCHEDULED
    )
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    working_group: Mapped[WorkingGroup] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="workshop", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status is WorkshopStatus.CANCELLED

    @property
    def is_full(self) -> bool:
        return self.confirmed_count >= self.capacity

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    def registration_is_open(self, now: datetime) -> bool:
        if self.is_cancelled or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (sa.UniqueConstraint("workshop_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    title_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    duration_minutes: Mapped[int | None]

    workshop: Mapped[Workshop] = relationship(back_populates="agenda_items")
