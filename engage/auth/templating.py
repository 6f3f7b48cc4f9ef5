"""Helpers available in every template."""

from datetime import datetime

from babel.dates import format_datetime
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


def fmt_dt(moment: datetime | None, fallback_zone: str = "UTC") -> str:
    """A time in the viewer's zone, with the zone named."""
    if moment is None:
        return ""
    zone = viewer_zone(fallback_zone)
    local = to_zone(moment, zone)
    return f"{format_datetime(local, 'EEE d MMM y, HH:mm', locale=str(get_locale()))} ({zone})"


def input_dt(moment: datetime | None, zone: str) -> str:
    """Value for a datetime-local input: wall-clock time in the given zone."""
    return "" if moment is None else to_zone(moment, zone).strftime("%Y-%m-%dT%H:%M")


def helpers() -> dict:
    from engage.auth.services import consortium_name

    return {
        "consortium_name": consortium_name(),
        "get_locale": get_locale,
        "fmt_dt": fmt_dt,
        "input_dt": input_dt,
        "viewer_zone": viewer_zone,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "REGIONS": REGIONS,
        "all_zones": all_zones,
        "Role": Role,
    }
