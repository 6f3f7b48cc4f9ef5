"""Helpers shared by the minutes services."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.minutes.models import (
    Minutes,
    MinutesEvent,
    MinutesEventKind,
    MinutesStatus,
)
from engage.minutes.permissions import can_manage
from engage.workshops.models import Workshop

MAX_SECTIONS = 60
MAX_DISCUSSION = 50_000
MAX_ITEMS_PER_SECTION = 50
MAX_ITEM_TEXT = 2000
MAX_COMMENT = 5000
MAX_CIRCULATION_DAYS = 90


def invalid(errors: dict) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors=errors)


def minutes_of(workshop: Workshop) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.workshop_id == workshop.id))


def record_event(
    minutes: Minutes,
    kind: MinutesEventKind,
    actor: User,
    now: datetime,
    *,
    before: MinutesStatus | None = None,
    version: int | None = None,
    details: str = "",
) -> None:
    """The audit trail: who did what to the minutes, when, from which status to which."""
    minutes.events.append(
        MinutesEvent(
            kind=kind,
            actor_id=actor.id,
            from_status=before.value if before else "",
            to_status=minutes.status.value,
            version_number=version,
            details=details[:500],
            created_at=now,
        )
    )


def require_manager(minutes_or_workshop, actor: User, message: str) -> None:
    workshop = minutes_or_workshop if isinstance(minutes_or_workshop, Workshop) else minutes_or_workshop.workshop
    if not can_manage(actor, workshop):
        raise PermissionDenied(message)


def require_status(minutes: Minutes, *allowed: MinutesStatus) -> None:
    if minutes.status not in allowed:
        raise DomainError(
            _("The minutes are %(status)s; this is not possible now.", status=minutes.status.label),
            code="wrong_status",
        )


def lock_minutes(minutes: Minutes) -> Minutes:
    """Serialise lifecycle changes of one minutes (row lock on PostgreSQL; SQLite holds the write lock)."""
    db.session.execute(
        sa.select(Minutes).where(Minutes.id == minutes.id).with_for_update().execution_options(populate_existing=True)
    )
    return minutes
