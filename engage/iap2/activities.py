"""What the IAP2 package knows about activities it does not own: a registry of loaders by kind.

A feature with engagement activities registers a loader for its kind, e.g. in its package
``__init__``: ``register_activity_source(ActivityKind.DELPHI_ROUND, load_rounds)``. A loader takes
activity ids and returns ``{id: ActivityInfo}`` in one query. Workshops and briefings sit below
(or inside) this package, so they are registered here.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from engage.extensions import db
from engage.i18n import localized
from engage.iap2.models import ActivityKind, Briefing
from engage.workshops.models import Workshop


@dataclass(frozen=True)
class ActivityInfo:
    kind: ActivityKind
    id: int
    title: str
    working_group_id: int | None
    ends_at: datetime | None
    is_cancelled: bool = False
    # The page of the activity, as url_for arguments (services have no request to build URLs with).
    endpoint: str | None = None
    endpoint_values: dict = field(default_factory=dict)


ActivityLoader = Callable[[Collection[int]], dict[int, ActivityInfo]]
# Whether a person may know an activity exists (e.g. a consultation's invited audience); absent = public.
ActivityViewer = Callable[[object, int], bool]
_loaders: dict[ActivityKind, ActivityLoader] = {}
_viewers: dict[ActivityKind, ActivityViewer] = {}


def register_activity_source(
    kind: ActivityKind, loader: ActivityLoader, *, can_view: ActivityViewer | None = None
) -> None:
    _loaders[kind] = loader
    if can_view is not None:
        _viewers[kind] = can_view


def can_view_activity(user, info: ActivityInfo) -> bool:
    viewer = _viewers.get(info.kind)
    return viewer is None or viewer(user, info.id)


def load_activities(refs: Iterable[tuple[ActivityKind, int]]) -> dict[tuple[ActivityKind, int], ActivityInfo]:
    """Activities by (kind, id): one query per kind; unknown kinds and ids are left out."""
    by_kind: dict[ActivityKind, set[int]] = defaultdict(set)
    for kind, activity_id in refs:
        by_kind[kind].add(activity_id)
    found = {}
    for kind, ids in by_kind.items():
        loader = _loaders.get(kind)
        if loader is None or not ids:
            continue
        for activity_id, info in loader(ids).items():
            found[(kind, activity_id)] = info
    return found


def load_activity(kind: ActivityKind, activity_id: int) -> ActivityInfo | None:
    return load_activities([(kind, activity_id)]).get((kind, activity_id))


def _load_workshops(ids: Collection[int]) -> dict[int, ActivityInfo]:
    rows = db.session.execute(
        sa.select(
            Workshop.id, Workshop.title, Workshop.title_zh, Workshop.working_group_id, Workshop.ends_at, Workshop.status
        ).where(Workshop.id.in_(ids))
    )
    return {
        row.id: ActivityInfo(
            ActivityKind.WORKSHOP,
            row.id,
            localized(row, "title"),
            row.working_group_id,
            row.ends_at,
            is_cancelled=row.status.value == "cancelled",
            endpoint="participation.detail",
            endpoint_values={"workshop_id": row.id},
        )
        for row in rows
    }


def _load_briefings(ids: Collection[int]) -> dict[int, ActivityInfo]:
    rows = db.session.execute(
        sa.select(Briefing.id, Briefing.title, Briefing.working_group_id, Briefing.held_at).where(Briefing.id.in_(ids))
    )
    return {
        # A briefing has no page of its own: its IAP2 page is where it is shown.
        row.id: ActivityInfo(ActivityKind.BRIEFING, row.id, row.title, row.working_group_id, row.held_at)
        for row in rows
    }


register_activity_source(ActivityKind.WORKSHOP, _load_workshops)
register_activity_source(ActivityKind.BRIEFING, _load_briefings)
