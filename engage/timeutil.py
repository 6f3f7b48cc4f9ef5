"""The one time helper: UTC storage, zone-aware display."""

from datetime import UTC, datetime
from functools import lru_cache
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
        return as_utc(value)


def as_utc(value: datetime | None) -> datetime | None:
    """A stored timestamp in UTC: a naive one (SQLite keeps no zone) is UTC already, an aware one is converted."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# CLDR skeletons: each language orders and spells the parts its own way ("Thu, Dec 24, 2026, 09:30";
# "2026年12月24日周四 09:30"). A skeleton names the parts, the locale's data gives the pattern.
DATE_SKELETON = "yMMMEd"
SHORT_DATE_SKELETON = "yMMMd"
TIME_SKELETON = "Hm"


@lru_cache(maxsize=64)
def _moment_patterns(locale: str, date_skeleton: str):
    """The locale, its day and clock patterns for a skeleton and how it joins them, parsed once.

    (Babel's format_skeleton parses the locale and the pattern on every call: a quarter of a list page's time.)
    """
    from babel import Locale
    from babel.dates import match_skeleton, parse_pattern

    parsed = Locale.parse(locale)

    def pattern(skeleton: str):
        if skeleton not in parsed.datetime_skeletons:
            skeleton = match_skeleton(skeleton, parsed.datetime_skeletons)
        return parse_pattern(parsed.datetime_skeletons[skeleton])

    return parsed, pattern(date_skeleton), pattern(TIME_SKELETON), parsed.datetime_formats["medium"]


def format_moment(
    moment: datetime,
    zone: str,
    *,
    locale: str,
    date_skeleton: str = DATE_SKELETON,
    with_zone: bool = True,
) -> str:
    """The one way a time is written for people: in `zone`, in `locale`'s CLDR format, the zone named."""
    parsed, day, clock, joined = _moment_patterns(locale, date_skeleton)
    local = moment.astimezone(ZoneInfo(zone))
    text = joined.format(clock.apply(local, parsed), day.apply(local, parsed))
    return f"{text} ({zone})" if with_zone else text


def format_day(day, *, locale: str, skeleton: str = SHORT_DATE_SKELETON) -> str:
    """A calendar date (no zone: it is a date, not a moment) in `locale`'s CLDR format."""
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, day, locale=locale)
