"""The one time helper: UTC storage, zone-aware display."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from flask import current_app, has_app_context


def utcnow() -> datetime:
    """Now, in UTC.

    Tests can move the clock of a running app (the live server of browser tests): when the app is
    TESTING and its config ``ENGAGE_TEST_NOW`` is a callable, its return value is now. The setting
    is never read from the environment, so a deployed app always uses the real clock.
    """
    if has_app_context() and current_app.config.get("TESTING"):
        clock = current_app.config.get("ENGAGE_TEST_NOW")
        if callable(clock):
            return clock()
    return datetime.now(UTC)


# In the zone database but not real places: their meaning depends on the server.
_NOT_ZONES = {"localtime", "Factory", "posixrules", "posix/Factory", "right/Factory"}


def is_valid_zone(name: str | None) -> bool:
    if not name or name in _NOT_ZONES or name not in _zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones() - _NOT_ZONES)
    return _ZONES


def all_zones() -> list[str]:
    return sorted(_zones())


def to_zone(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def localize(naive: datetime, zone: str) -> datetime:
    """Interpret a wall-clock time in an IANA zone and return it in UTC."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes stored as UTC on every database (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
