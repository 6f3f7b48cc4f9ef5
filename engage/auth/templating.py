"""Helpers available in every template."""

from datetime import datetime
from functools import lru_cache

from babel import Locale
from babel.dates import parse_pattern
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from engage.auth.models import CATEGORY_LABELS, Role
from engage.auth.regions import REGIONS
from engage.timeutil import all_zones, to_zone


def viewer_zone(fallback: str = "UTC") -> str:
    """The viewer's zone: their preference, else the browser's (cookie), else the fallback."""
    zone = get_timezone()
    name = getattr(zone, "key", None) or str(zone)
    if current_user.is_authenticated or name != "UTC":
        return name
    return fallback


# Babel's format_datetime parses the locale and the pattern on every call (a quarter of a list page's
# time); both are parsed once here and the same pattern is applied.
_DATETIME_PATTERN = parse_pattern("EEE d MMM y, HH:mm")


@lru_cache(maxsize=16)
def _babel_locale(name: str) -> Locale:
    return Locale.parse(name)


def format_local(moment: datetime, zone: str, locale: str) -> str:
    """`moment` as wall-clock time in `zone`, in the words of `locale`, with the zone named."""
    return f"{_DATETIME_PATTERN.apply(to_zone(moment, zone), _babel_locale(locale))} ({zone})"


def fmt_dt(moment: datetime | None, fallback_zone: str = "UTC") -> str:
    """A time in the viewer's zone, with the zone named."""
    if moment is None:
        return ""
    return format_local(moment, viewer_zone(fallback_zone), str(get_locale()))


def input_dt(moment: datetime | None, zone: str) -> str:
    """Value for a datetime-local input: wall-clock time in the given zone."""
    return "" if moment is None else to_zone(moment, zone).strftime("%Y-%m-%dT%H:%M")


def helpers() -> dict:
    return {
        "get_locale": get_locale,
        "fmt_dt": fmt_dt,
        "input_dt": input_dt,
        "viewer_zone": viewer_zone,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "REGIONS": REGIONS,
        "all_zones": all_zones,
        "Role": Role,
    }
