"""Helpers available in every template."""

from datetime import datetime

from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

from engage.auth.models import CATEGORY_LABELS, Role
from engage.auth.regions import REGIONS
from engage.charts import bar_list
from engage.forms import error_entries, field_label, field_messages
from engage.labels import group_label, label, region_group_label, region_label
from engage.navigation import navigation
from engage.timeutil import all_zones, format_day, format_moment, to_zone


def viewer_zone(fallback: str = "UTC") -> str:
    """The viewer's zone: their preference, else the browser's (cookie), else the fallback."""
    zone = get_timezone()
    name = getattr(zone, "key", None) or str(zone)
    if current_user.is_authenticated or name != "UTC":
        return name
    return fallback


def zone_is_known() -> bool:
    """Whether the viewer's zone is theirs (profile or browser cookie) rather than a fallback."""
    zone = get_timezone()
    return current_user.is_authenticated or (getattr(zone, "key", None) or str(zone)) != "UTC"


def fmt_dt(moment: datetime | None, fallback_zone: str = "UTC", date_skeleton: str | None = None) -> str:
    """A time in the viewer's zone (else `fallback_zone`, e.g. the workshop's), CLDR-formatted, zone named."""
    if moment is None:
        return ""
    extra = {"date_skeleton": date_skeleton} if date_skeleton else {}
    return format_moment(moment, viewer_zone(fallback_zone), locale=str(get_locale()), **extra)


def fmt_in(moment: datetime | None, zone: str, with_zone: bool = True) -> str:
    """A time in a given zone (a slot in each participant's zone), CLDR-formatted."""
    return "" if moment is None else format_moment(moment, zone, locale=str(get_locale()), with_zone=with_zone)


def fmt_day(day) -> str:
    return "" if day is None else format_day(day, locale=str(get_locale()))


def input_dt(moment: datetime | None, zone: str) -> str:
    """Value for a datetime-local input: wall-clock time in the given zone."""
    return "" if moment is None else to_zone(moment, zone).strftime("%Y-%m-%dT%H:%M")


def filters() -> dict:
    return {"label": label}


def macro_globals() -> dict:
    """Helpers the shared macros of _macros.html use: globals, since imported macros see no page context."""
    return {
        "error_entries": error_entries,
        "field_messages": field_messages,
        "field_label": field_label,
        "bar_chart": lambda rows, **kw: Markup(bar_list(rows, **kw)),
    }


def helpers() -> dict:
    from engage.auth.services import consortium_name

    return {
        "consortium_name": consortium_name(),
        "get_locale": get_locale,
        "fmt_dt": fmt_dt,
        "input_dt": input_dt,
        "viewer_zone": viewer_zone,
        "zone_is_known": zone_is_known,
        "fmt_day": fmt_day,
        "fmt_in": fmt_in,
        "group_label": group_label,
        "region_label": region_label,
        "region_group_label": region_group_label,
        "nav": navigation,
        "CATEGORY_LABELS": CATEGORY_LABELS,
        "REGIONS": REGIONS,
        "all_zones": all_zones,
        "Role": Role,
    }
