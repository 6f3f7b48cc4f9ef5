"""Reminders of every kind of activity (workshops, Delphi rounds, consultations) through one path.

- `set_reminders` is the one setter: permission, "is it closed?", the checked list, then the store,
  each kind saying how through a `ReminderSetting`.
- `due_reminders` gives a job, of the activities in its window, those with a passed reminder moment
  (only the latest counts), and `not_yet_reminded` keeps out of its recipients those already queued
  for that moment — in SQL, by the outbox's unique key — so an idle tick loads and inserts nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.notifications.models import Notification, WorkshopReminder, WorkshopReminderSchedule
from engage.notifications.services import MAX_REMINDER_MINUTES, checked_reminder_minutes, latest_due_reminder
from engage.timeutil import utcnow
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group

# How far ahead a job looks for activities with a reminder moment: the longest reminder allowed.
REMINDER_WINDOW = timedelta(minutes=MAX_REMINDER_MINUTES)


@dataclass(frozen=True)
class ReminderSetting:
    """How one activity keeps its reminder moments.

    `may_change(actor)` says who may change them (else PermissionDenied with `denied`); `closed_message`
    is the 409 once `is_closed(now)`; `before` names the moment the minutes count back from ("the start");
    `store(minutes)` keeps the checked list (largest first; [] for none).
    """

    may_change: Callable[[User], bool]
    denied: str
    before: str
    store: Callable[[list[int]], None]
    is_closed: Callable[[datetime], bool] = lambda _now: False
    closed_message: str = ""
    closed_code: str = "closed"


def set_reminders(
    setting: ReminderSetting, *, actor: User, minutes: list[int], now: datetime | None = None
) -> list[int]:
    """Change an activity's reminder moments: who may, whether it is too late, which values are valid."""
    if not setting.may_change(actor):
        raise PermissionDenied(setting.denied)
    if setting.is_closed(now or utcnow()):
        raise DomainError(setting.closed_message, code=setting.closed_code)
    wanted = checked_reminder_minutes(minutes, before=setting.before)
    setting.store(wanted)
    db.session.flush()
    return wanted


def due_reminders(activities: Iterable, moments: Callable, at: Callable, now: datetime) -> list[tuple]:
    """(activity, minutes) for each activity with a passed reminder moment: the latest one only.

    `moments(activity)` are its reminder minutes, `at(activity)` the time they count back from. A
    scheduler that was down does not send the 3-day reminder on the eve.
    """
    due = []
    for activity in activities:
        minutes = latest_due_reminder(moments(activity), at(activity), now)
        if minutes is not None:
            due.append((activity, minutes))
    return due


def not_yet_reminded(dedupe_prefix: str, user_id) -> sa.ColumnElement[bool]:
    """SQL condition: no message keyed `<dedupe_prefix><user id>` is in the outbox yet (one index probe)."""
    key = sa.literal(dedupe_prefix, sa.String) + sa.cast(user_id, sa.String)
    return ~sa.exists().where(Notification.dedupe_key == key)


def workshop_reminders(workshop: Workshop) -> ReminderSetting:
    """A workshop's reminders: its working group's lead (or a coordinator) chooses them."""

    def store(minutes: list[int]) -> None:
        if db.session.get(WorkshopReminderSchedule, workshop.id) is None:
            db.session.add(WorkshopReminderSchedule(workshop_id=workshop.id))
        db.session.execute(sa.delete(WorkshopReminder).where(WorkshopReminder.workshop_id == workshop.id))
        db.session.add_all(WorkshopReminder(workshop_id=workshop.id, minutes_before=m) for m in minutes)

    return ReminderSetting(
        may_change=lambda actor: can_manage_working_group(actor, workshop.working_group_id),
        denied=_("Only the working group's lead can change its workshops' reminders."),
        before=_("the start"),
        store=store,
    )
