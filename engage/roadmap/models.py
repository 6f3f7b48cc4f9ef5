from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.priorities.models import Priority
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import SubTopic

roadmap_action_priorities = sa.Table(
    "roadmap_action_priorities",
    db.metadata,
    sa.Column("roadmap_action_id", sa.ForeignKey("roadmap_actions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("priority_id", sa.ForeignKey("priorities.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RoadmapAction(db.Model):
    """A cell of the roadmap: a sub-topic (hence theme and pillar) with the action and its source priorities."""

    __tablename__ = "roadmap_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sub_topic_id: Mapped[int] = mapped_column(sa.ForeignKey("sub_topics.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    description_html_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Set when the action was merged into another one; merged actions stay for the record.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roadmap_actions.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sub_topic: Mapped[SubTopic] = relationship()
    priorities: Mapped[list[Priority]] = relationship(secondary=roadmap_action_priorities, order_by=Priority.id)

    @property
    def theme(self):
        return self.sub_topic.theme

    @property
    def pillar(self):
        return self.sub_topic.theme.working_group.pillar

    @property
    def code(self) -> str:
        return f"{self.pillar.number}.{self.theme.position}.{self.sub_topic.letter}"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None
