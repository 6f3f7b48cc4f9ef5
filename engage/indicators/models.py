"""Indicators on roadmap actions and their measurements over time, overall or per region."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.roadmap.models import RoadmapAction
from engage.timeutil import UTCDateTime, utcnow


class Unit(enum.Enum):
    PERCENT = "percent"
    COUNT = "count"
    YES_NO = "yes_no"
    CURRENCY = "currency"

    @property
    def label(self) -> str:
        return str(_UNIT_LABELS[self])


class Direction(enum.Enum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"

    @property
    def label(self) -> str:
        return str(_DIRECTION_LABELS[self])


_UNIT_LABELS = {
    Unit.PERCENT: _l("percent"),
    Unit.COUNT: _l("count"),
    Unit.YES_NO: _l("yes/no (1 or 0)"),
    Unit.CURRENCY: _l("currency"),
}
_DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("higher is better"),
    Direction.LOWER_IS_BETTER: _l("lower is better"),
}


class Indicator(db.Model):
    """What shows whether a roadmap action is taken up: a baseline (a value or a low–high range), a target by a date."""

    __tablename__ = "indicators"
    __table_args__ = (
        sa.CheckConstraint("baseline_high IS NULL OR baseline_high >= baseline_low", name="baseline_range"),
        sa.CheckConstraint("target_on > baseline_on", name="target_after_baseline"),
        sa.CheckConstraint("tolerance >= 0 AND tolerance <= 1", name="tolerance_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roadmap_action_id: Mapped[int] = mapped_column(sa.ForeignKey("roadmap_actions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_zh: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    definition: Mapped[str] = mapped_column(sa.Text, default="")
    definition_zh: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    unit: Mapped[Unit] = mapped_column(sa.Enum(Unit, native_enum=False, length=20))
    currency_code: Mapped[str | None] = mapped_column(sa.String(3))
    direction: Mapped[Direction] = mapped_column(sa.Enum(Direction, native_enum=False, length=20))
    baseline_low: Mapped[float] = mapped_column(sa.Float)
    # Set when the baseline is a range (e.g. 20–30 %); the path to the target starts at its midpoint.
    baseline_high: Mapped[float | None] = mapped_column(sa.Float)
    baseline_on: Mapped[date] = mapped_column(sa.Date)
    target_value: Mapped[float] = mapped_column(sa.Float)
    target_on: Mapped[date] = mapped_column(sa.Date)
    # "overall", "EU", "China" or a region code (EU member state, Chinese province).
    scope: Mapped[str] = mapped_column(sa.String(16), default="overall")
    # Share of the baseline-to-target distance a value may fall short of the path and still be "at risk".
    tolerance: Mapped[float] = mapped_column(sa.Float, default=0.1)
    data_source: Mapped[str] = mapped_column(sa.String(500), default="")
    owner: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    roadmap_action: Mapped[RoadmapAction] = relationship()
    measurements: Mapped[list["Measurement"]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Measurement.measured_on, Measurement.id)",
    )

    @property
    def baseline_mid(self) -> float:
        return self.baseline_low if self.baseline_high is None else (self.baseline_low + self.baseline_high) / 2


class Measurement(db.Model):
    """One observed value of an indicator on a date, for a scope; one per indicator, scope and date."""

    __tablename__ = "indicator_measurements"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "scope", "measured_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(sa.Float)
    measured_on: Mapped[date] = mapped_column(sa.Date)
    scope: Mapped[str] = mapped_column(sa.String(16), default="overall")
    source: Mapped[str] = mapped_column(sa.String(500), default="")
    note: Mapped[str] = mapped_column(sa.String(2000), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")
