"""Stakeholder involvement from what people actually did: "participation facts".

A participation fact is a row (user_id, activity_kind, activity_id) meaning the person took part
— attended, submitted, commented — not merely registered or invited. Each feature contributes a
SELECT producing such rows (``register_participation_source``); the involvement queries union
them and join the activities' design profiles, so every count is one SQL GROUP BY and always
agrees with the source data (an attendance undone is no longer counted).

For now, workshop attendance is the only source.
"""

from collections.abc import Callable

import sqlalchemy as sa

from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityDesign, ActivityKind
from engage.participation.models import Registration, RegistrationStatus

ParticipationSource = Callable[[], sa.Select]
_sources: dict[str, ParticipationSource] = {}


def register_participation_source(name: str, source: ParticipationSource) -> None:
    """Add a source of participation facts; build its SELECT with ``fact_columns``."""
    _sources[name] = source


def fact_columns(user_id, kind: ActivityKind, activity_id) -> list:
    """The three columns of a participation fact, typed alike in every source (UNION needs it)."""
    kind_value = sa.cast(sa.literal(kind.name), sa.String(20))
    return [user_id.label("user_id"), kind_value.label("activity_kind"), activity_id.label("activity_id")]


def _workshop_attendance() -> sa.Select:
    return sa.select(*fact_columns(Registration.user_id, ActivityKind.WORKSHOP, Registration.workshop_id)).where(
        Registration.status == RegistrationStatus.ATTENDED
    )


register_participation_source("workshop_attendance", _workshop_attendance)


def facts_subquery() -> sa.Subquery:
    """Distinct facts: taking part twice in one activity (two comments) is one fact."""
    selects = [source() for source in _sources.values()]
    union = selects[0].distinct() if len(selects) == 1 else sa.union(*selects)
    return union.subquery("participation_facts")


def level_rank(column) -> sa.Case:
    """1 (Inform) … 5 (Empower) for a level column, so SQL can take the highest."""
    return sa.case(*[(column == level, sa.literal_column(str(level.rank))) for level in IAP2Level])


def joined_to_designs() -> tuple[sa.Subquery, sa.ColumnElement[bool]]:
    """The facts, and the join condition to their activity's design (activities without one do not count)."""
    facts = facts_subquery()
    on = sa.and_(
        ActivityDesign.activity_kind == facts.c.activity_kind, ActivityDesign.activity_id == facts.c.activity_id
    )
    return facts, on
