"""Delphi surveys: a pre-registered consensus rule, a panel, items, rounds and ratings.

An item lives across rounds; `DelphiRoundItem` says which items a round asks about and with
which wording, so a reworded item keeps both wordings. Ratings reference a round item, so the
database itself refuses a rating for an item that is not in the round.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import Invitation, StakeholderCategory, User
from engage.auth.regions import RegionGroup
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import SubTopic, WorkingGroup

DEFAULT_SCALE_LABELS = [
    "Not relevant",
    "Slightly relevant",
    "Moderately relevant",
    "Very relevant",
    "Extremely relevant",
]
# The default labels as the interface's catalogue translates them, for a rule whose labels are the default
# ones and that has no Chinese labels of its own.
_DEFAULT_LABEL_TRANSLATIONS = {
    "Not relevant": _l("Not relevant"),
    "Slightly relevant": _l("Slightly relevant"),
    "Moderately relevant": _l("Moderately relevant"),
    "Very relevant": _l("Very relevant"),
    "Extremely relevant": _l("Extremely relevant"),
}


class ItemOrigin(enum.Enum):
    LITERATURE = "literature"
    WORKSHOP = "workshop"
    PANELLIST = "panellist"

    @property
    def label(self) -> str:
        return str(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    ItemOrigin.LITERATURE: _l("Literature mapping"),
    ItemOrigin.WORKSHOP: _l("Workshop"),
    ItemOrigin.PANELLIST: _l("Panellist suggestion"),
}


class RoundItemChange(enum.Enum):
    """How an item came into a round."""

    NEW = "new"
    CARRIED = "carried"
    REWORDED = "reworded"
    MERGED = "merged"

    @property
    def label(self) -> str:
        return str(_CHANGE_LABELS[self])


_CHANGE_LABELS = {
    RoundItemChange.NEW: _l("New in this round"),
    RoundItemChange.CARRIED: _l("Carried forward"),
    RoundItemChange.REWORDED: _l("Carried forward, reworded"),
    RoundItemChange.MERGED: _l("Merged from earlier items"),
}


class ResponseStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class DisclosureMode(enum.Enum):
    """What a survey publishes beyond the figures of the whole panel; fixed before anyone is on its panel
    (the panel is told at invitation). See engage.delphi.disclosure."""

    GROUP_RESULTS = "group_results"  # figures per region group and category, disclosure-controlled; no rows
    RESPONSE_MATRIX = "response_matrix"  # each respondent's ratings as a row under a per-round code; no groups


class AuditAction(enum.Enum):
    RULE_SET = "rule_set"
    ITEM_ADDED = "item_added"
    ITEM_EDITED = "item_edited"
    ITEM_CARRIED = "item_carried"
    ITEM_REWORDED = "item_reworded"
    ITEM_MERGED = "item_merged"
    ITEM_DROPPED = "item_dropped"
    ITEM_SETTLED = "item_settled"
    PANEL_ADDED = "panel_added"
    PANEL_REMOVED = "panel_removed"
    PANEL_INVITED = "panel_invited"
    ROUND_SCHEDULED = "round_scheduled"
    ROUND_CLOSED = "round_closed"
    SURVEY_FINALISED = "survey_finalised"
    DISCLOSURE_SET = "disclosure_set"
    MATRIX_DOWNLOADED = "matrix_downloaded"


delphi_item_sub_topics = sa.Table(
    "delphi_item_sub_topics",
    db.metadata,
    sa.Column("item_id", sa.ForeignKey("delphi_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sub_topic_id", sa.ForeignKey("sub_topics.id", ondelete="CASCADE"), primary_key=True),
)


class DelphiSurvey(db.Model):
    __tablename__ = "delphi_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    working_group_id: Mapped[int] = mapped_column(sa.ForeignKey("working_groups.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    title_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disclosure_mode: Mapped[DisclosureMode] = mapped_column(
        sa.Enum(DisclosureMode, native_enum=False, length=20), default=DisclosureMode.GROUP_RESULTS
    )

    working_group: Mapped[WorkingGroup] = relationship()
    rule: Mapped["ConsensusRule"] = relationship(back_populates="survey", cascade="all, delete-orphan")
    rounds: Mapped[list["DelphiRound"]] = relationship(back_populates="survey", order_by="DelphiRound.number")
    items: Mapped[list["DelphiItem"]] = relationship(back_populates="survey", order_by="DelphiItem.id")

    @property
    def is_finalised(self) -> bool:
        return self.finalised_at is not None


class ConsensusRule(db.Model):
    """The consensus definition, fixed in advance (CREDES/ACCORD) and frozen when round 1 opens.

    `frozen_at` is the opening time of round 1 once that round is scheduled; from that moment on
    the rule can no longer change.
    """

    __tablename__ = "delphi_consensus_rules"
    __table_args__ = (
        sa.CheckConstraint("scale_min < scale_max", name="scale_ordered"),
        sa.CheckConstraint("threshold_percent >= 1 AND threshold_percent <= 100", name="threshold_range"),
        sa.CheckConstraint(
            "veto_max_percent IS NULL OR (veto_max_percent >= 0 AND veto_max_percent <= 100)", name="veto_range"
        ),
        sa.CheckConstraint("min_valid_ratings >= 1", name="min_valid_positive"),
        sa.CheckConstraint("rounds_planned >= 1 AND rounds_planned <= 10", name="rounds_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"), unique=True)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    scale_labels: Mapped[list] = mapped_column(sa.JSON, default=lambda: list(DEFAULT_SCALE_LABELS))
    # The labels in Chinese; None while they are the default labels (translated by the catalogue).
    scale_labels_zh: Mapped[list | None] = mapped_column(sa.JSON)
    agreeing_values: Mapped[list] = mapped_column(sa.JSON, default=lambda: [4, 5])
    threshold_percent: Mapped[int] = mapped_column(default=70)
    disagreeing_values: Mapped[list] = mapped_column(sa.JSON, default=lambda: [1, 2])
    veto_max_percent: Mapped[int | None]
    min_valid_ratings: Mapped[int] = mapped_column(default=1)
    rounds_planned: Mapped[int] = mapped_column(default=2)
    allows_cannot_rate: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[DelphiSurvey] = relationship(back_populates="rule")

    def is_frozen(self, now: datetime) -> bool:
        return self.frozen_at is not None and self.frozen_at <= now

    @property
    def scale(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    def labels_in(self, language: str | None = None) -> list:
        """The scale labels in `language` (default: the viewer's), each a `Localized` text.

        Chinese: the rule's own Chinese labels; else, while the labels are the default ones, the catalogue's
        translation; else the English labels, marked "English original". Labels that are just the points'
        numbers read the same in any language.
        """
        from flask_babel import force_locale

        from engage.i18n import Localized, babel_locale, current_language

        language = language or current_language()
        english = list(self.scale_labels or [])
        if language == "en":
            return [Localized(label, "en", False) for label in english]
        if self.scale_labels_zh and len(self.scale_labels_zh) == len(english):
            return [
                Localized(zh, "zh", False) if zh.strip() else Localized(en, "en", True)
                for en, zh in zip(english, self.scale_labels_zh, strict=True)
            ]
        if english == DEFAULT_SCALE_LABELS:
            with force_locale(babel_locale(language)):
                return [Localized(str(_DEFAULT_LABEL_TRANSLATIONS[label]), language, False) for label in english]
        return [
            Localized(label, language, False) if label.isdigit() else Localized(label, "en", True) for label in english
        ]


class DelphiPanelMember(db.Model):
    __tablename__ = "delphi_panel_members"
    __table_args__ = (sa.UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class DelphiPanelInvitation(db.Model):
    """An e-mail invitation to join the panel; the person joins once they have signed up."""

    __tablename__ = "delphi_panel_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()


class DelphiItem(db.Model):
    __tablename__ = "delphi_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(2000))
    text_zh: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    explanation_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    origin: Mapped[ItemOrigin] = mapped_column(sa.Enum(ItemOrigin, native_enum=False, length=20))
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delphi_items.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[DelphiSurvey] = relationship(back_populates="items")
    sub_topics: Mapped[list[SubTopic]] = relationship(secondary=delphi_item_sub_topics, order_by=SubTopic.id)


class DelphiRound(db.Model):
    __tablename__ = "delphi_rounds"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"))
    number: Mapped[int]
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Indexed: the reminder job looks for rounds closing within its window on every tick.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Minutes before close at which non-submitters are reminded, e.g. "4320,1440"; NULL = the defaults.
    reminder_minutes: Mapped[str | None] = mapped_column(sa.String(100))

    survey: Mapped[DelphiSurvey] = relationship(back_populates="rounds")
    round_items: Mapped[list["DelphiRoundItem"]] = relationship(
        back_populates="round", order_by="DelphiRoundItem.position", cascade="all, delete-orphan"
    )

    def has_opened(self, now: datetime) -> bool:
        return now >= self.opens_at

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime) -> bool:
        return now >= self.closes_at

    def state(self, now: datetime) -> str:
        return "closed" if self.is_closed(now) else "open" if self.is_open(now) else "scheduled"


class DelphiRoundItem(db.Model):
    """An item as asked in one round: its wording then, its place, and how it got there."""

    __tablename__ = "delphi_round_items"
    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_rounds.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_items.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(2000))
    text_zh: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    explanation_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    change: Mapped[RoundItemChange] = mapped_column(sa.Enum(RoundItemChange, native_enum=False, length=20))

    round: Mapped[DelphiRound] = relationship(back_populates="round_items")
    item: Mapped[DelphiItem] = relationship()


class DelphiResponse(db.Model):
    """One panellist's answers to one round: a draft until submitted; editable until the round closes.

    The panellist's region group and category are copied onto the response when it is first submitted:
    results count everyone in the group they belonged to then, whatever their profile says later (or
    after their account is erased).
    """

    __tablename__ = "delphi_responses"
    __table_args__ = (sa.UniqueConstraint("round_id", "panellist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_rounds.id", ondelete="CASCADE"))
    panellist_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        sa.Enum(ResponseStatus, native_enum=False, length=20), default=ResponseStatus.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    region_group: Mapped[RegionGroup | None] = mapped_column(sa.Enum(RegionGroup, native_enum=False, length=10))
    category: Mapped[StakeholderCategory | None] = mapped_column(
        sa.Enum(StakeholderCategory, native_enum=False, length=40)
    )
    # The language the panellist read and answered the round in (en, zh); None for earlier responses.
    language: Mapped[str | None] = mapped_column(sa.String(8))

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED


class DelphiRating(db.Model):
    """A rating of one item in one round by one panellist. NULL value with `is_cannot_rate` = "cannot rate".

    The value's range depends on the survey's rule, so the service checks it; the database checks
    that a rating is either a value or "cannot rate", never both.
    """

    __tablename__ = "delphi_ratings"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["round_id", "item_id"],
            ["delphi_round_items.round_id", "delphi_round_items.item_id"],
            name="fk_delphi_ratings_round_item",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("NOT (is_cannot_rate AND value IS NOT NULL)", name="value_or_cannot_rate"),
        # Results read only these columns: the GROUP BY is answered from the index alone.
        sa.Index("ix_delphi_ratings_results", "round_id", "item_id", "panellist_id", "value"),
    )

    round_id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    panellist_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_responses.id", ondelete="CASCADE"), index=True)
    value: Mapped[int | None]
    is_cannot_rate: Mapped[bool] = mapped_column(default=False)
    rationale: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DelphiRoundSnapshot(db.Model):
    """A closed round's published figures, written once when it closes and read by every page, export and
    report afterwards, so they never move (engage.delphi.services.snapshot).

    `feedback` is what the next round shows its panellists, per item (id as text): the wording, the whole
    panel's figures and the anonymous rationales — kept apart so the rating page reads only that.
    `results` is what the leads see (disclosure-controlled); `consensus_item_ids` the rule's decisions on
    all valid ratings (never shown as numbers); `stability` the comparison with the round before;
    `participation` the response and attrition figures; `matrix` the pseudonymous rows, only in the
    response-matrix mode. The large columns load only when read.
    """

    __tablename__ = "delphi_round_snapshots"

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_rounds.id", ondelete="CASCADE"), primary_key=True)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    consensus_item_ids: Mapped[list] = mapped_column(sa.JSON)
    feedback: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    results: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    stability: Mapped[list | None] = mapped_column(sa.JSON, deferred=True)
    participation: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    matrix: Mapped[list | None] = mapped_column(sa.JSON, deferred=True)


class DelphiAuditEntry(db.Model):
    """Who changed what in a survey, when and why."""

    __tablename__ = "delphi_audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("delphi_surveys.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delphi_rounds.id", ondelete="SET NULL"))
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delphi_items.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[AuditAction] = mapped_column(sa.Enum(AuditAction, native_enum=False, length=30))
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
