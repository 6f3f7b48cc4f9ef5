"""The workshop list, read in bulk and dumped without ORM objects.

The list is the busiest read of a public consultation. Building an ORM object and running the
marshmallow schema for every row cost ~30 ms per 100 rows; here the rows are plain tuples from two
queries (workshops with their group, then the agendas of that page), who may see the video links is
decided once per request, and URLs come from one URL-map build. The output is exactly what
`WorkshopSchema` dumps for the same workshops (the test suite compares the two).

The statements are built once per kind of filter (values are bound parameters) and their columns come
back as the database driver returns them: SQLAlchemy's per-value result processing (timestamps, the status
enum) was ~40 % of reading a page. `_utc` and `_STATUS_VALUES` convert those few columns where they are
used.
"""

from collections import defaultdict
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from engage.extensions import db
from engage.i18n import localized
from engage.links import external_url_maker, url_maker
from engage.timeutil import as_utc
from engage.workshops.models import AgendaItem, Pillar, WorkingGroup, Workshop, WorkshopStatus
from engage.workshops.permissions import ManagedGroups

# Table columns, not ORM attributes: the rows come back as plain tuples, without the ORM's loading layer.
_workshops, _groups, _pillars, _agenda = (m.__table__ for m in (Workshop, WorkingGroup, Pillar, AgendaItem))


def _as_driver_returns(column: sa.Column) -> sa.ColumnElement:
    """The column with no result processing (no CAST in the SQL: type_coerce only changes the Python side)."""
    return sa.type_coerce(column, sa.String).label(column.key)


_COLUMNS = (
    *(_workshops.c[name] for name in ("id", "uid", "working_group_id")),
    _groups.c.name.label("working_group_name"),
    _groups.c.name_zh.label("working_group_name_zh"),
    _pillars.c.number.label("pillar_number"),
    *(_workshops.c[name] for name in ("title", "title_zh", "description", "description_zh", "round")),
    *(_as_driver_returns(_workshops.c[name]) for name in ("starts_at", "ends_at")),
    *(_workshops.c[name] for name in ("timezone", "venue", "video_url", "capacity", "confirmed_count")),
    *(_as_driver_returns(_workshops.c[name]) for name in ("registration_opens_at", "registration_closes_at")),
    _as_driver_returns(_workshops.c.status),
    _workshops.c.sequence,
)
_STATUS_VALUES = {status.name: status.value for status in WorkshopStatus}


def _utc(value) -> datetime | None:
    """A timestamp as the driver returns it (SQLite: naive UTC text; PostgreSQL: an aware datetime) in UTC."""
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def workshop_filter(
    *, working_group_id=None, upcoming_after=None, include_cancelled: bool = True
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of a workshop list: of the ORM query (services.workshops_query) with the values, of
    the statements below with named bound parameters in their place."""
    conditions = []
    if working_group_id is not None:
        conditions.append(_workshops.c.working_group_id == working_group_id)
    if upcoming_after is not None:
        conditions.append(_workshops.c.ends_at > upcoming_after)
    if not include_cancelled:
        conditions.append(_workshops.c.status == WorkshopStatus.SCHEDULED)
    return conditions


def _bound_filter(by_group: bool, upcoming: bool) -> list[sa.ColumnElement[bool]]:
    """The same conditions, their values given at execution (`working_group_id`, `after`)."""
    return workshop_filter(
        working_group_id=sa.bindparam("working_group_id") if by_group else None,
        upcoming_after=sa.bindparam("after") if upcoming else None,
    )


@lru_cache(maxsize=8)
def _rows_statement(by_group: bool, upcoming: bool, paged: bool) -> sa.Select:
    stmt = (
        sa.select(*_COLUMNS)
        .select_from(_workshops)
        .join(_groups, _groups.c.id == _workshops.c.working_group_id)
        .join(_pillars, _pillars.c.id == _groups.c.pillar_id)
        .where(*_bound_filter(by_group, upcoming))
        .order_by(_workshops.c.starts_at, _workshops.c.id)
    )
    if paged:
        stmt = stmt.limit(sa.bindparam("limit", type_=sa.Integer)).offset(sa.bindparam("offset", type_=sa.Integer))
    return stmt


@lru_cache(maxsize=4)
def _count_statement(by_group: bool, upcoming: bool) -> sa.Select:
    return sa.select(sa.func.count()).select_from(_workshops).where(*_bound_filter(by_group, upcoming))


def _filter_values(working_group_id: int | None, upcoming_after: datetime | None) -> dict:
    values = {}
    if working_group_id is not None:
        values["working_group_id"] = working_group_id
    if upcoming_after is not None:
        values["after"] = upcoming_after
    return values


def workshop_rows(
    *,
    working_group_id: int | None = None,
    upcoming_after: datetime | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[sa.Row]:
    """Workshops with their group's name and pillar number, earliest first, as plain rows (timestamps and
    status as the driver returns them)."""
    values = _filter_values(working_group_id, upcoming_after)
    stmt = _rows_statement(working_group_id is not None, upcoming_after is not None, limit is not None)
    if limit is not None:
        values.update(limit=limit, offset=offset)
    return db.session.connection().execute(stmt, values).all()


def count_workshops(*, working_group_id: int | None = None, upcoming_after: datetime | None = None) -> int:
    stmt = _count_statement(working_group_id is not None, upcoming_after is not None)
    return db.session.connection().execute(stmt, _filter_values(working_group_id, upcoming_after)).scalar_one()


_AGENDA_KEYS = ("position", "title", "title_zh", "description", "description_zh", "duration_minutes")


@lru_cache(maxsize=1)
def _agenda_statement() -> sa.Select:
    return (
        sa.select(_agenda.c.workshop_id, *(_agenda.c[key] for key in _AGENDA_KEYS))
        .where(_agenda.c.workshop_id.in_(sa.bindparam("ids", expanding=True)))
        .order_by(_agenda.c.workshop_id, _agenda.c.position)
    )


def _agendas(workshop_ids: list[int]) -> dict[int, list[dict]]:
    agendas: dict[int, list[dict]] = defaultdict(list)
    if not workshop_ids:
        return agendas
    # .all(): iterating the result itself would fetch row by row.
    rows = db.session.connection().execute(_agenda_statement(), {"ids": workshop_ids}).all()
    for workshop_id, position, title, title_zh, description, description_zh, minutes in rows:
        agendas[workshop_id].append(
            {
                "position": position,
                "title": title,
                "title_zh": title_zh,
                "description": description,
                "description_zh": description_zh,
                "duration_minutes": minutes,
            }
        )
    return agendas


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def dump_workshop_rows(rows: list[sa.Row], viewer) -> list[dict]:
    """The rows as `WorkshopSchema` would dump them for this viewer."""
    managed = ManagedGroups(viewer)
    agendas = _agendas([row.id for row in rows])
    ics_url = external_url_maker("calendars.workshop_ics", "workshop_id")
    items = []
    for (
        workshop_id,
        uid,
        group_id,
        group_name,
        group_name_zh,
        pillar_number,
        title,
        title_zh,
        description,
        description_zh,
        round_,
        starts_at,
        ends_at,
        zone_name,
        venue,
        video_url,
        capacity,
        confirmed,
        opens_at,
        closes_at,
        status,
        sequence,
    ) in rows:
        zone, starts_at, ends_at = _zone(zone_name), _utc(starts_at), _utc(ends_at)
        items.append(
            {
                "id": workshop_id,
                "uid": uid,
                "working_group_id": group_id,
                "working_group_name": group_name,
                "working_group_name_zh": group_name_zh,
                "pillar_number": pillar_number,
                "title": title,
                "title_zh": title_zh,
                "description": description,
                "description_zh": description_zh,
                "round": round_,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "timezone": zone_name,
                "starts_at_local": starts_at.astimezone(zone).isoformat(),
                "ends_at_local": ends_at.astimezone(zone).isoformat(),
                "venue": venue,
                "has_video_link": bool(video_url),
                "video_url": video_url if group_id in managed else None,
                "capacity": capacity,
                "confirmed_count": confirmed,
                "seats_left": max(capacity - confirmed, 0),
                "is_full": confirmed >= capacity,
                "registration_opens_at": _iso(_utc(opens_at)),
                "registration_closes_at": _iso(_utc(closes_at)),
                "status": _STATUS_VALUES[status],
                "sequence": sequence,
                "agenda_items": agendas.get(workshop_id, []),
                "ics_url": ics_url(workshop_id),
            }
        )
    return items


def page_rows(rows: list[sa.Row]) -> list[dict]:
    """The rows as the list page shows them (the template reads them like workshops)."""
    detail_url = url_maker("participation.detail", "workshop_id")
    return [
        {
            "id": row.id,
            "url": detail_url(row.id),
            "title": localized(row, "title"),
            "is_cancelled": row.status == WorkshopStatus.CANCELLED.name,
            "working_group": {"name": localized(row, "working_group_name")},
            "round": row.round,
            "starts_at": _utc(row.starts_at),
            "timezone": row.timezone,
            "capacity": row.capacity,
            "seats_left": max(row.capacity - row.confirmed_count, 0),
            "is_full": row.confirmed_count >= row.capacity,
        }
        for row in rows
    ]
