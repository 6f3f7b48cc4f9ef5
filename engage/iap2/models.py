import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.iap2.classifier import Design
from engage.iap2.levels import IAP2Level
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import WorkingGroup


class ActivityKind(enum.Enum):
    """Engagement activities that carry an IAP2 level, named by (kind, id) so features plug in."""

    WORKSHOP = "workshop"
    DELPHI_ROUND = "delphi_round"
    CONSULTATION = "consultation"
    BRIEFING = "briefing"

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])


_KIND_LABELS = {
    ActivityKind.WORKSHOP: _l("Workshop"),
    ActivityKind.DELPHI_ROUND: _l("Delphi round"),
    ActivityKind.CONSULTATION: _l("Consultation"),
    ActivityKind.BRIEFING: _l("Briefing"),
}

_level_type = sa.Enum(IAP2Level, native_enum=False, length=20)


class ActivityDesign(db.Model):
    """How an activity is designed, answered by its organiser, and the IAP2 level that follows."""

    __tablename__ = "activity_designs"
    __table_args__ = (sa.UniqueConstraint("activity_kind", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_kind: Mapped[ActivityKind] = mapped_column(sa.Enum(ActivityKind, native_enum=False, length=20))
    activity_id: Mapped[int]
    # Copied from the activity when the design is saved: reports group by it in SQL.
    working_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("working_groups.id", ondelete="SET NULL"), index=True
    )
    is_input_sought: Mapped[bool] = mapped_column(default=False)
    is_iterative_throughout: Mapped[bool] = mapped_column(default=False)
    is_shaping_alternatives: Mapped[bool] = mapped_column(default=False)
    is_decision_delegated: Mapped[bool] = mapped_column(default=False)
    declared_level: Mapped[IAP2Level | None] = mapped_column(_level_type)
    derived_level: Mapped[IAP2Level] = mapped_column(_level_type)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    working_group: Mapped[WorkingGroup | None] = relationship()
    feedback_note: Mapped["FeedbackNote | None"] = relationship(back_populates="design", uselist=False)

    @property
    def design(self) -> Design:
        return Design(
            input_sought=self.is_input_sought,
            iterative_throughout=self.is_iterative_throughout,
            shape_alternatives=self.is_shaping_alternatives,
            decision_delegated=self.is_decision_delegated,
        )

    @property
    def is_declared_above_derived(self) -> bool:
        return self.declared_level is not None and self.declared_level.rank > self.derived_level.rank

    @property
    def promised_level(self) -> IAP2Level:
        """What participants were promised: the declared level if higher than the design supports.

        A promise made is owed even when the design cannot back it; an overclaim is flagged, not excused.
        """
        if self.is_declared_above_derived:
            return self.declared_level
        return self.derived_level

    @property
    def owes_feedback(self) -> bool:
        return self.promised_level.owes_feedback


class FeedbackNote(db.Model):
    """ "What we heard, what we did": the organiser's account of how participants' input was used."""

    __tablename__ = "feedback_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    design_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_designs.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    design: Mapped[ActivityDesign] = relationship(back_populates="feedback_note")
    published_by: Mapped[User | None] = relationship()


class BriefingChannel(enum.Enum):
    NEWSLETTER = "newsletter"
    WEBINAR = "webinar"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(_CHANNEL_LABELS[self])


_CHANNEL_LABELS = {
    BriefingChannel.NEWSLETTER: _l("Newsletter"),
    BriefingChannel.WEBINAR: _l("Webinar"),
    BriefingChannel.OTHER: _l("Other"),
}


class Briefing(db.Model):
    """One-way information to stakeholders (a newsletter, a webinar): an Inform activity by design."""

    __tablename__ = "briefings"

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    channel: Mapped[BriefingChannel] = mapped_column(
        sa.Enum(BriefingChannel, native_enum=False, length=20), default=BriefingChannel.OTHER
    )
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    working_group: Mapped[WorkingGroup] = relationship()
