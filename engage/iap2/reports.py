"""Involvement reports: people per highest IAP2 level reached, by category, region group, working group.

Every count is a SQL GROUP BY over the participation facts joined to the activities' design
profiles; the number of queries does not grow with the number of people or activities.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import CATEGORY_LABELS, StakeholderCategory, User
from engage.auth.regions import RegionGroup, region_group
from engage.extensions import db
from engage.iap2.activities import ActivityInfo, load_activities
from engage.iap2.involvement import joined_to_designs, level_rank
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityDesign
from engage.workshops.models import Pillar, WorkingGroup

LEVELS = list(IAP2Level)


@dataclass
class MatrixRow:
    key: str
    label: str
    counts: dict[IAP2Level, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class FlaggedDesign:
    design: ActivityDesign
    activity: ActivityInfo | None


@dataclass
class InvolvementReport:
    by_category: list[MatrixRow]
    by_region_group: list[MatrixRow]
    by_working_group: list[MatrixRow]
    flagged: list[FlaggedDesign]

    @property
    def people(self) -> int:
        return sum(row.total for row in self.by_category)

    @property
    def largest_category_count(self) -> int:
        return max((count for row in self.by_category for count in row.counts.values()), default=0)


def _highest_per_person() -> sa.Subquery:
    facts, on = joined_to_designs()
    return (
        sa.select(facts.c.user_id, sa.func.max(level_rank(ActivityDesign.derived_level)).label("highest"))
        .select_from(facts)
        .join(ActivityDesign, on)
        .group_by(facts.c.user_id)
        .subquery("highest_per_person")
    )


def _highest_per_group_and_person() -> sa.Subquery:
    facts, on = joined_to_designs()
    return (
        sa.select(
            ActivityDesign.working_group_id,
            facts.c.user_id,
            sa.func.max(level_rank(ActivityDesign.derived_level)).label("highest"),
        )
        .select_from(facts)
        .join(ActivityDesign, on)
        .group_by(ActivityDesign.working_group_id, facts.c.user_id)
        .subquery("highest_per_group")
    )


def _by_user_column(column) -> list[tuple]:
    people = _highest_per_person()
    stmt = (
        sa.select(column, people.c.highest, sa.func.count().label("n"))
        .select_from(people)
        .join(User, User.id == people.c.user_id)
        .group_by(column, people.c.highest)
    )
    return db.session.execute(stmt).all()


def by_category() -> list[MatrixRow]:
    rows = {c: MatrixRow(c.value, str(CATEGORY_LABELS[c])) for c in StakeholderCategory}
    for category, highest, n in _by_user_column(User.category):
        rows[category].counts[IAP2Level.from_rank(highest)] += n
    return list(rows.values())


def by_region_group() -> list[MatrixRow]:
    labels = {RegionGroup.EU: _("EU"), RegionGroup.CHINA: _("China"), RegionGroup.OTHER: _("Other regions")}
    rows = {g: MatrixRow(g.value, labels[g]) for g in RegionGroup}
    # Regions are grouped in SQL; the few region rows are rolled up to EU / China / other here.
    for region, highest, n in _by_user_column(User.region):
        rows[region_group(region)].counts[IAP2Level.from_rank(highest)] += n
    return list(rows.values())


def by_working_group() -> list[MatrixRow]:
    groups = db.session.execute(
        sa.select(WorkingGroup.id, WorkingGroup.name).join(WorkingGroup.pillar).order_by(Pillar.number)
    ).all()
    rows = {wg_id: MatrixRow(str(wg_id), name) for wg_id, name in groups}
    per_group = _highest_per_group_and_person()
    stmt = sa.select(per_group.c.working_group_id, per_group.c.highest, sa.func.count().label("n")).group_by(
        per_group.c.working_group_id, per_group.c.highest
    )
    for wg_id, highest, n in db.session.execute(stmt):
        if wg_id not in rows:
            rows[wg_id] = MatrixRow("none", _("No working group"))
        rows[wg_id].counts[IAP2Level.from_rank(highest)] += n
    return list(rows.values())


def flagged_designs() -> list[FlaggedDesign]:
    """Activities whose declared level is above what their design supports."""
    candidates = db.session.scalars(
        sa.select(ActivityDesign).where(ActivityDesign.declared_level.is_not(None)).order_by(ActivityDesign.id)
    ).all()
    flagged = [d for d in candidates if d.is_declared_above_derived]
    infos = load_activities((d.activity_kind, d.activity_id) for d in flagged)
    return [FlaggedDesign(d, infos.get((d.activity_kind, d.activity_id))) for d in flagged]


def involvement_report() -> InvolvementReport:
    return InvolvementReport(by_category(), by_region_group(), by_working_group(), flagged_designs())


def involvement_profile(user_id: int) -> dict[IAP2Level, int]:
    """How many activities of each level (as designed) the person took part in."""
    facts, on = joined_to_designs()
    stmt = (
        sa.select(ActivityDesign.derived_level, sa.func.count())
        .select_from(facts)
        .join(ActivityDesign, on)
        .where(facts.c.user_id == user_id)
        .group_by(ActivityDesign.derived_level)
    )
    profile = dict.fromkeys(LEVELS, 0)
    for level, n in db.session.execute(stmt):
        profile[level] = n
    return profile


def highest_level(profile: dict[IAP2Level, int]) -> IAP2Level | None:
    reached = [level for level, n in profile.items() if n]
    return max(reached, key=lambda level: level.rank) if reached else None


def report_as_dict(report: InvolvementReport) -> dict:
    def matrix(rows: list[MatrixRow]) -> list[dict]:
        return [
            {"key": r.key, "label": r.label, "counts": {lvl.value: r.counts[lvl] for lvl in LEVELS}, "total": r.total}
            for r in rows
        ]

    return {
        "levels": [lvl.value for lvl in LEVELS],
        "people": report.people,
        "by_category": matrix(report.by_category),
        "by_region_group": matrix(report.by_region_group),
        "by_working_group": matrix(report.by_working_group),
        "flagged_designs": [
            {
                "activity_kind": f.design.activity_kind.value,
                "activity_id": f.design.activity_id,
                "title": f.activity.title if f.activity else None,
                "declared_level": f.design.declared_level.value,
                "derived_level": f.design.derived_level.value,
            }
            for f in report.flagged
        ],
    }


def report_csv_rows(report: InvolvementReport) -> list[list]:
    rows = [[_("Breakdown"), _("Group"), *[lvl.label for lvl in LEVELS], _("Total")]]
    for name, matrix in (
        (_("Stakeholder category"), report.by_category),
        (_("Region group"), report.by_region_group),
        (_("Working group"), report.by_working_group),
    ):
        rows.extend([name, row.label, *[row.counts[lvl] for lvl in LEVELS], row.total] for row in matrix)
    return rows
