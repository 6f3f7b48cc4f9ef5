"""iCalendar (RFC 5545) output for workshops: one event per workshop, with a reminder."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, vText

from engage.i18n import localized_text
from engage.timeutil import to_zone, utcnow
from engage.workshops.models import Workshop

PRODID = "-//Engage//Stakeholder engagement//EN"
REMINDER_BEFORE = timedelta(hours=1)
# icalendar's default span for VTIMEZONE rules; events outside it need a wider one.
_ZONE_RULES_FROM, _ZONE_RULES_UNTIL = date(1970, 1, 1), date(2038, 1, 1)


def _event(workshop: Workshop, *, now: datetime, with_video_link: bool) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.uid}@{current_app.config['ENGAGE_ICAL_DOMAIN']}")
    event.add("dtstamp", now)
    event.add("sequence", workshop.sequence)
    # In the language the calendar is built in (the reader's: a feed is rendered in its owner's language).
    title = localized_text(workshop, "title")
    event.add("summary", title)
    event.add("dtstart", to_zone(workshop.starts_at, workshop.timezone))
    event.add("dtend", to_zone(workshop.ends_at, workshop.timezone))
    event.add("last-modified", workshop.updated_at)
    description = localized_text(workshop, "description")
    video_url = workshop.video_url if with_video_link else ""
    if video_url:
        description = f"{description}\n\n{_('Video link')}: {video_url}".strip()
    if description:
        event.add("description", description)
    location = workshop.venue or video_url or (_("Online") if workshop.video_url else "")
    if location:
        event.add("location", vText(location))
    if video_url:
        event.add("url", video_url)
    event.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
    if not workshop.is_cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Reminder: %(title)s", title=title))
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    return event


def build_calendar(
    workshops: Iterable[Workshop],
    *,
    name: str,
    video_link_for: frozenset[int] = frozenset(),
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per workshop and the VTIMEZONEs the events use.

    The video link is a seat holder's: it is written only for the workshop ids in `video_link_for`.
    """
    now = now or utcnow()
    workshops = list(workshops)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for workshop in workshops:
        calendar.add_component(_event(workshop, now=now, with_video_link=workshop.id in video_link_for))
    # A VTIMEZONE only describes the offsets between its first and last date: they must cover every event.
    first = min([_ZONE_RULES_FROM, *(w.starts_at.date() - timedelta(days=1) for w in workshops)])
    last = max([_ZONE_RULES_UNTIL, *(w.ends_at.date() + timedelta(days=1) for w in workshops)])
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
