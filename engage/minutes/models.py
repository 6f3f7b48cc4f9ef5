import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.priorities.models import Priority
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import AgendaItem, SubTopic, WorkingGroup, Workshop


class MinutesStatus(enum.Enum):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    MinutesStatus.DRAFT: _l("draft"),
    MinutesStatus.CIRCULATED: _l("circulated for comment"),
    MinutesStatus.APPROVED: _l("approved"),
    MinutesStatus.PUBLISHED: _l("published"),
}


class ActionStatus(enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return str(_ACTION_LABELS[self])


_ACTION_LABELS = {
    ActionStatus.OPEN: _l("open"),
    ActionStatus.IN_PROGRESS: _l("in progress"),
    ActionStatus.DONE: _l("done"),
}


minutes_editors = sa.Table(
    "minutes_editors",
    db.metadata,
    sa.Column("minutes_id", sa.ForeignKey("minutes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Minutes(db.Model):
    """The minutes of one workshop. The editable text is the sections; approved text lives in versions."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"), unique=True)
    status: Mapped[MinutesStatus] = mapped_column(
        sa.Enum(MinutesStatus, native_enum=False, length=20), default=MinutesStatus.DRAFT
    )
    comment_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_version_number: Mapped[int | None]
    # Bumped by every save, so two editors cannot overwrite each other's text unknowingly.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    editors: Mapped[list[User]] = relationship(secondary=minutes_editors, order_by=User.display_name)
    sections: Mapped[list["MinutesSection"]] = relationship(
        back_populates="minutes", order_by="MinutesSection.position", cascade="all, delete-orphan"
    )
    versions: Mapped[list["MinutesVersion"]] = relationship(
        back_populates="minutes", order_by="MinutesVersion.number", cascade="all, delete-orphan"
    )
    events: Mapped[list["MinutesEvent"]] = relationship(order_by="MinutesEvent.id", cascade="all, delete-orphan")

    @property
    def latest_version(self) -> "MinutesVersion | None":
        return self.versions[-1] if self.versions else None

    @property
    def published_version(self) -> "MinutesVersion | None":
        return next((v for v in self.versions if v.number == self.published_version_number), None)

    @property
    def is_editable(self) -> bool:
        return self.status is MinutesStatus.DRAFT


class MinutesSection(db.Model):
    """One agenda item's part of the minutes: the discussion, then decisions and action items."""

    __tablename__ = "minutes_sections"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    discussion: Mapped[str] = mapped_column(sa.Text, default="")
    discussion_html: Mapped[str] = mapped_column(sa.Text, default="")

    minutes: Mapped[Minutes] = relationship(back_populates="sections")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    decisions: Mapped[list["MinutesDecision"]] = relationship(
        back_populates="section", order_by="MinutesDecision.position", cascade="all, delete-orphan"
    )
    actions: Mapped[list["MinutesActionItem"]] = relationship(
        back_populates="section", order_by="MinutesActionItem.position", cascade="all, delete-orphan"
    )


class MinutesDecision(db.Model):
    __tablename__ = "minutes_decisions"
    __table_args__ = (sa.UniqueConstraint("section_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes_sections.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(2000))
    text_html: Mapped[str] = mapped_column(sa.Text, default="")

    section: Mapped[MinutesSection] = relationship(back_populates="decisions")


class MinutesActionItem(db.Model):
    __tablename__ = "minutes_action_items"
    __table_args__ = (sa.UniqueConstraint("section_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes_sections.id", ondelete="CASCADE"))
    position: Mapped[int]
    description: Mapped[str] = mapped_column(sa.String(2000))
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ActionStatus] = mapped_column(
        sa.Enum(ActionStatus, native_enum=False, length=20), default=ActionStatus.OPEN
    )

    section: Mapped[MinutesSection] = relationship(back_populates="actions")


class MinutesLink(db.Model):
    """A `[[P-n]]` or `[[C-2.2.b]]` reference: a discussion, decision or action item of the minutes → a
    priority or a codebook sub-topic.

    Rows (not text search) so a priority's page lists everything linked to it.
    """

    __tablename__ = "minutes_links"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN decision_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN action_item_id IS NULL THEN 0 ELSE 1 END)"
            " <= 1",
            name="one_target",
        ),
        sa.CheckConstraint("(priority_id IS NULL) <> (sub_topic_id IS NULL)", name="one_reference"),
        sa.Index("ix_minutes_links_priority", "priority_id", "minutes_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priorities.id", ondelete="CASCADE"))
    sub_topic_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sub_topics.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes_sections.id", ondelete="CASCADE"))
    decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("minutes_decisions.id", ondelete="CASCADE"))
    action_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("minutes_action_items.id", ondelete="CASCADE"))

    minutes: Mapped[Minutes] = relationship()
    priority: Mapped[Priority | None] = relationship()
    sub_topic: Mapped[SubTopic | None] = relationship()
    section: Mapped[MinutesSection] = relationship()
    decision: Mapped[MinutesDecision | None] = relationship()
    action_item: Mapped[MinutesActionItem | None] = relationship()

    @property
    def kind(self) -> str:
        return "decision" if self.decision_id else "action" if self.action_item_id else "discussion"


class MinutesVersion(db.Model):
    """Approved minutes, frozen: the complete content as JSON and its SHA-256."""

    __tablename__ = "minutes_versions"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "number"), sa.CheckConstraint("number >= 1", name="number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"))
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(sa.JSON)
    content_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    change_note: Mapped[str] = mapped_column(sa.String(1000), default="")
    # Set when a later correction removed a person who erased their account: this version is no longer
    # served, and its content keeps nothing of that person.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    minutes: Mapped[Minutes] = relationship(back_populates="versions")
    approved_by: Mapped[User | None] = relationship()

    @property
    def approver_label(self) -> str:
        """Who approved: their name only with their consent to be named in minutes, else their role."""
        from engage.auth.models import ConsentPurpose
        from engage.auth.services import has_consent

        if self.approved_by is None:
            return ""
        if has_consent(self.approved_by, ConsentPurpose.NAMED_IN_MINUTES):
            return self.approved_by.display_name
        return str(_l("Working-group lead"))


class MinutesEventKind(enum.Enum):
    CREATED = "created"
    CIRCULATED = "circulated"
    APPROVED = "approved"
    PUBLISHED = "published"
    CORRECTION_STARTED = "correction_started"
    EDITOR_ADDED = "editor_added"
    EDITOR_REMOVED = "editor_removed"


class MinutesEvent(db.Model):
    """The audit trail of the minutes' lifecycle: who did what, when."""

    __tablename__ = "minutes_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MinutesEventKind] = mapped_column(sa.Enum(MinutesEventKind, native_enum=False, length=30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(sa.String(20), default="")
    to_status: Mapped[str] = mapped_column(sa.String(20), default="")
    version_number: Mapped[int | None]
    details: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class MinutesComment(db.Model):
    """A participant's comment on circulated draft minutes."""

    __tablename__ = "minutes_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("minutes_sections.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    # The language it was written in ("en", "zh": the author's interface language); None for older comments.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The author erased their account and asked for their comments to go too: the text is gone.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    section: Mapped[MinutesSection | None] = relationship()

    @property
    def author_label(self) -> str:
        if self.author is None or self.author.is_erased:
            return str(_l("a former participant"))
        return self.author.display_name

    @property
    def shown_html(self) -> str:
        if self.removed_at is not None:
            return str(escape(_l("[removed at the author's request]")))
        return self.body_html


class ExportState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(_EXPORT_LABELS[self])


_EXPORT_LABELS = {
    ExportState.QUEUED: _l("queued"),
    ExportState.RUNNING: _l("running"),
    ExportState.DONE: _l("done"),
    ExportState.FAILED: _l("failed"),
}


class ExportJob(db.Model):
    """A compiled-minutes PDF made in the background: progress x of y, the file until it expires."""

    __tablename__ = "export_jobs"
    __table_args__ = (sa.CheckConstraint("progress_done <= progress_total", name="progress_within_total"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    working_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    state: Mapped[ExportState] = mapped_column(
        sa.Enum(ExportState, native_enum=False, length=20), default=ExportState.QUEUED, index=True
    )
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    # The compiled PDF in the shared storage (engage.storage), until it expires.
    file_key: Mapped[str | None] = mapped_column(sa.String(200))
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requested_by: Mapped[User | None] = relationship()
    working_group: Mapped[WorkingGroup | None] = relationship()

    def is_downloadable(self, now: datetime) -> bool:
        return self.state is ExportState.DONE and self.expires_at is not None and now < self.expires_at
