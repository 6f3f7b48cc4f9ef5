"""Who a meeting is for, and the slot search over them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import Role, User, working_group_leads
from engage.errors import NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.participation.models import Registration, RegistrationStatus
from engage.scheduling.slots import MAX_RANGE_DAYS, Person, Slot, day_range, rank_slots
from engage.timeutil import is_valid_zone
from engage.workshops.models import WorkingGroup, Workshop
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import EARLIEST_YEAR, LATEST_YEAR

MAX_PEOPLE = 500


@dataclass(frozen=True)
class SlotSearch:
    participants: list[Person]
    range_start: datetime
    range_end: datetime
    slots: list[Slot]


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors={field: [message]})


def _people(rows) -> list[Person]:
    return [Person(u.id, u.display_name, u.timezone if is_valid_zone(u.timezone) else "UTC") for u in rows]


def working_group_people(working_group_id: int) -> list[Person]:
    """The group's leads and everyone holding or waiting for a seat at one of its workshops."""
    registered = (
        sa.select(Registration.user_id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Workshop.working_group_id == working_group_id, Registration.status != RegistrationStatus.CANCELLED)
    )
    leads = sa.select(working_group_leads.c.user_id).where(working_group_leads.c.working_group_id == working_group_id)
    users = db.session.scalars(
        sa.select(User)
        .where(sa.or_(User.id.in_(registered), User.id.in_(leads)), User.is_active_account.is_(True))
        .order_by(User.id)
        .limit(MAX_PEOPLE)
    )
    return _people(users)


def listed_people(user_ids: list[int]) -> list[Person]:
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids)).order_by(User.id)).all()
    unknown = sorted(set(user_ids) - {u.id for u in users})
    if unknown:
        raise _invalid("user_ids", _("Unknown user ids: %(ids)s.", ids=", ".join(map(str, unknown))))
    return _people(users)


def find_slots(*, actor: User, data: dict) -> SlotSearch:
    """Rank meeting slots for a working group or a list of people (leads and coordinators)."""
    if actor.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators use the slot finder."))
    working_group_id, user_ids = data.get("working_group_id"), data.get("user_ids")
    if working_group_id is not None and user_ids is not None:
        raise _invalid("user_ids", _("Give a working group or user ids, not both."))
    if working_group_id is None and user_ids is None:
        raise _invalid("working_group_id", _("Choose a working group or list the people to meet."))
    first, last = data["starts_on"], data["ends_on"]
    for field, day in (("starts_on", first), ("ends_on", last)):
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise _invalid(field, _("Enter a date between the years %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR))
    if last < first:
        raise _invalid("ends_on", _("The end date must not be before the start date."))
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise _invalid("ends_on", _("Search at most %(n)d days at a time.", n=MAX_RANGE_DAYS))
    zone = data.get("timezone") or "UTC"
    if not is_valid_zone(zone):
        raise _invalid("timezone", _("Choose a valid IANA time zone."))
    duration = timedelta(minutes=data["duration_minutes"])
    if not timedelta(0) < duration <= timedelta(hours=8):
        raise _invalid("duration_minutes", _("The meeting lasts more than 0 minutes and at most 8 hours."))
    if working_group_id is not None:
        if db.session.get(WorkingGroup, working_group_id) is None:
            raise NotFound(_("Working group not found."))
        if not can_manage_working_group(actor, working_group_id):
            raise PermissionDenied(_("You can only plan meetings for a working group you lead."))
        people = working_group_people(working_group_id)
    else:
        people = listed_people(user_ids)
    if not people:
        raise _invalid("working_group_id" if user_ids is None else "user_ids", _("Nobody to meet: the list is empty."))
    range_start, range_end = day_range(first, last, zone)
    slots = rank_slots(people, range_start, range_end, duration, limit=data.get("limit", 20))
    return SlotSearch(people, range_start, range_end, slots)
