"""Working groups, codebook and workshops."""

from datetime import datetime
from urllib.parse import urlparse

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.apiutil import one_language_required
from engage.auth.models import User
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.timeutil import format_moment, is_valid_zone, localize, utcnow
from engage.workshops.listing import workshop_filter
from engage.workshops.models import AgendaItem, Pillar, Theme, WorkingGroup, Workshop, WorkshopStatus
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.signals import workshop_cancelled, workshop_capacity_raised, workshop_rescheduled

MAX_CAPACITY = 10000
MAX_AGENDA_ITEMS = 50
# Times outside these years are typing mistakes, and could not be converted between zones at all.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
# Changes to these fields are a reschedule: calendars get a higher SEQUENCE.
_SCHEDULE_FIELDS = ("starts_at", "ends_at", "timezone", "venue", "video_url")
_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
_PLAIN_FIELDS = (
    "title",
    "title_zh",
    "description",
    "description_zh",
    "round",
    "venue",
    "video_url",
    "capacity",
    "timezone",
)


def lock_workshop(workshop: Workshop) -> Workshop:
    """Serialise changes to one workshop and reload it as committed.

    A row lock on PostgreSQL; on SQLite, write transactions already hold the database's write lock.
    """
    db.session.execute(
        sa.select(Workshop)
        .where(Workshop.id == workshop.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return workshop


def require_started(workshop: Workshop, now: datetime, refusal: str) -> None:
    """Refuse what only makes sense once a workshop has begun (attendance, approving its minutes)."""
    if now < workshop.starts_at:
        raise DomainError(
            _(
                "%(refusal)s The workshop starts on %(when)s.",
                refusal=refusal,
                when=format_moment(workshop.starts_at, workshop.timezone, locale=str(get_locale())),
            ),
            code="workshop_not_started",
        )


def codebook_query() -> sa.Select:
    return (
        sa.select(Pillar)
        .order_by(Pillar.number)
        .options(selectinload(Pillar.working_group).selectinload(WorkingGroup.themes).selectinload(Theme.sub_topics))
    )


def working_groups_query() -> sa.Select:
    return (
        sa.select(WorkingGroup)
        .join(WorkingGroup.pillar)
        .order_by(Pillar.number)
        .options(selectinload(WorkingGroup.pillar), selectinload(WorkingGroup.leads))
    )


def workshops_query(
    *, working_group_id: int | None = None, upcoming_after: datetime | None = None, include_cancelled: bool = True
) -> sa.Select:
    conditions = workshop_filter(
        working_group_id=working_group_id, upcoming_after=upcoming_after, include_cancelled=include_cancelled
    )
    return (
        sa.select(Workshop)
        .where(*conditions)
        .order_by(Workshop.starts_at, Workshop.id)
        .options(
            selectinload(Workshop.working_group).selectinload(WorkingGroup.pillar),
            selectinload(Workshop.agenda_items),
        )
    )


def _as_utc(value: datetime | None, zone: str) -> datetime | None:
    return None if value is None else localize(value, zone)


def _validate(values: dict, errors: dict[str, list[str]]) -> None:
    """Every rule whose inputs are there (a missing one is already reported as required), so that one
    submission gets all its messages at once."""
    one_language_required(values, "title", _("Enter a title in English or in Chinese (or both)."), errors)
    if values.get("round") is not None and values["round"] < 1:
        errors["round"] = [_("The round is a number from 1.")]
    if values.get("capacity") is not None and not 1 <= values["capacity"] <= MAX_CAPACITY:
        errors["capacity"] = [_("Capacity must be between 1 and %(n)d.", n=MAX_CAPACITY)]
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = [_("The end must be after the start.")]
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = [_("Registration must close after it opens.")]
    if closes and starts and closes > starts:
        errors["registration_closes_at"] = [_("Registration must close by the start of the workshop.")]
    url = values.get("video_url") or ""
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        errors["video_url"] = [_("Enter a full http:// or https:// link.")]
    if not values.get("venue") and not url:
        errors["venue"] = [_("Give a venue, a video link, or both.")]


def _agenda(items: list[dict], errors: dict) -> list[AgendaItem]:
    if len(items) > MAX_AGENDA_ITEMS:
        errors["agenda_items"] = [_("At most %(n)d agenda items.", n=MAX_AGENDA_ITEMS)]
        return []
    result = []
    for position, item in enumerate(items, start=1):
        if not (item.get("title") or "").strip() and not (item.get("title_zh") or "").strip():
            errors.setdefault("agenda_items", []).append(_("Agenda item %(n)d needs a title.", n=position))
            continue
        result.append(
            AgendaItem(
                position=position,
                title=(item.get("title") or "").strip(),
                title_zh=(item.get("title_zh") or "").strip(),
                description=item.get("description") or "",
                description_zh=item.get("description_zh") or "",
                duration_minutes=item.get("duration_minutes"),
            )
        )
    return result


def _resolve_times(data: dict, zone: str, current: Workshop | None) -> dict:
    """Naive times in the input are wall-clock times in the workshop's zone."""
    values, errors = {}, {}
    for field in _TIME_FIELDS:
        if field in data:
            if data[field] is not None and not EARLIEST_YEAR <= data[field].year <= LATEST_YEAR:
                errors[field] = [_("Enter a date between the years %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR)]
                continue
            values[field] = _as_utc(data[field], zone)
        elif current is not None:
            values[field] = getattr(current, field)
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    return values


def create_workshop(*, actor: User, data: dict, now: datetime | None = None) -> Workshop:
    """A new workshop of a working group the actor leads (or any, for a coordinator)."""
    working_group_id = data.get("working_group_id")
    if working_group_id is None or db.session.get(WorkingGroup, working_group_id) is None:
        raise ValidationError(
            _("Some fields are not valid."), errors={"working_group_id": [_("Choose a working group.")]}
        )
    if not can_manage_working_group(actor, working_group_id):
        raise PermissionDenied(_("You can only create workshops for a working group you lead."))
    zone = data.get("timezone") or ""
    if not is_valid_zone(zone):
        raise ValidationError(
            _("Some fields are not valid."), errors={"timezone": [_("Choose a valid IANA time zone.")]}
        )
    values = {
        "title": "",
        "title_zh": "",
        "description": "",
        "description_zh": "",
        "venue": "",
        "video_url": "",
        "round": 1,
        **data,
    }
    values.update(_resolve_times(data, zone, None))
    errors: dict[str, list[str]] = {}
    for required in ("starts_at", "ends_at", "capacity"):
        if values.get(required) in (None, ""):
            errors[required] = [_("This field is required.")]
    _validate({k: v for k, v in values.items() if k not in errors}, errors)
    agenda = _agenda(data.get("agenda_items") or [], errors)
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    workshop = Workshop(working_group_id=working_group_id, agenda_items=agenda, created_at=now or utcnow())
    for field in (*_PLAIN_FIELDS, *_TIME_FIELDS):
        setattr(workshop, field, values.get(field))
    db.session.add(workshop)
    db.session.flush()
    return workshop


def update_workshop(workshop: Workshop, *, actor: User, data: dict) -> Workshop:
    """Edit or reschedule; a change of time or place bumps the calendar SEQUENCE."""
    if not can_manage_working_group(actor, workshop.working_group_id):
        raise PermissionDenied(_("You can only edit workshops of a working group you lead."))
    lock_workshop(workshop)
    if workshop.is_cancelled:
        raise ValidationError(_("This workshop is cancelled and can no longer be edited."), status=409, code="conflict")
    zone = data.get("timezone", workshop.timezone)
    if not is_valid_zone(zone):
        raise ValidationError(
            _("Some fields are not valid."), errors={"timezone": [_("Choose a valid IANA time zone.")]}
        )
    values = {field: data.get(field, getattr(workshop, field)) for field in _PLAIN_FIELDS}
    values.update(_resolve_times(data, zone, workshop))
    errors: dict[str, list[str]] = {}
    _validate(values, errors)
    if values["capacity"] < workshop.confirmed_count and "capacity" not in errors:
        errors["capacity"] = [
            _("%(n)d people already hold a seat; capacity cannot go below that.", n=workshop.confirmed_count)
        ]
    agenda = _agenda(data["agenda_items"], errors) if "agenda_items" in data else None
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    rescheduled = any(values[f] != getattr(workshop, f) for f in _SCHEDULE_FIELDS)
    raised = values["capacity"] > workshop.capacity
    for field, value in values.items():
        setattr(workshop, field, value)
    if agenda is not None:
        workshop.agenda_items.clear()
        db.session.flush()
        workshop.agenda_items.extend(agenda)
    if rescheduled:
        workshop.sequence += 1
    db.session.flush()
    if raised:
        workshop_capacity_raised.send(workshop)
    if rescheduled:
        workshop_rescheduled.send(workshop)
    return workshop


def cancel_workshop(workshop: Workshop, *, actor: User, now: datetime | None = None) -> Workshop:
    """Cancel: registrations stay for the record, calendars show STATUS:CANCELLED."""
    if not can_manage_working_group(actor, workshop.working_group_id):
        raise PermissionDenied(_("You can only cancel workshops of a working group you lead."))
    lock_workshop(workshop)
    if not workshop.is_cancelled:
        workshop.status = WorkshopStatus.CANCELLED
        workshop.cancelled_at = now or utcnow()
        workshop.sequence += 1
        db.session.flush()
        workshop_cancelled.send(workshop)
    return workshop
