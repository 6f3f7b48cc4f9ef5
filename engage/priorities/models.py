"""Priorities: statements a Delphi panel agreed on, coded to codebook sub-topics.

A priority keeps the id of the Delphi item it came from and a snapshot of that item's final
statistics, so the chain item → consensus → priority stays traceable even if the survey changes.
The source is a plain foreign key (no relationship): Delphi builds on priorities, not the reverse.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import Pillar, SubTopic

priority_sub_topics = sa.Table(
    "priority_sub_topics",
    db.metadata,
    sa.Column("priority_id", sa.ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sub_topic_id", sa.ForeignKey("sub_topics.id", ondelete="CASCADE"), primary_key=True),
)


class Priority(db.Model):
    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    pillar_id: Mapped[int] = mapped_column(sa.ForeignKey("pillars.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(2000))
    text_zh: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    source_delphi_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delphi_items.id", ondelete="SET NULL"), unique=True
    )
    # The statistics of the round in which the item reached consensus, frozen at finalisation.
    final_statistics: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pillar: Mapped[Pillar] = relationship()
    sub_topics: Mapped[list[SubTopic]] = relationship(secondary=priority_sub_topics, order_by=SubTopic.id)
    edits: Mapped[list["PriorityEdit"]] = relationship(
        back_populates="priority", order_by="PriorityEdit.id", cascade="all, delete-orphan"
    )


class PriorityEdit(db.Model):
    """One audited change of a priority: who, when, why, and the text before and after."""

    __tablename__ = "priority_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("priorities.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(sa.String(20))
    old_value: Mapped[str] = mapped_column(sa.Text, default="")
    new_value: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    priority: Mapped[Priority] = relationship(back_populates="edits")
    actor: Mapped[User | None] = relationship()
