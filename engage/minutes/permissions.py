"""Who may do what with minutes. Facts about people and minutes; the services enforce them."""

import sqlalchemy as sa

from engage.auth.models import User
from engage.extensions import db
from engage.minutes.models import Minutes, MinutesStatus
from engage.participation.models import Registration, RegistrationStatus
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_manage(user: User | None, workshop: Workshop) -> bool:
    """The working group's lead or a coordinator: transitions, note-takers, approval."""
    return can_manage_working_group(user, workshop.working_group_id)


def can_edit(user: User | None, minutes: Minutes) -> bool:
    """The lead, a coordinator, or a note-taker delegated for these minutes."""
    if not _signed_in(user):
        return False
    return can_manage(user, minutes.workshop) or any(editor.id == user.id for editor in minutes.editors)


def is_participant(user: User | None, workshop: Workshop) -> bool:
    """Registered with a seat (confirmed) or recorded as attended."""
    if not _signed_in(user):
        return False
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(
                Registration.workshop_id == workshop.id,
                Registration.user_id == user.id,
                Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED]),
            )
        )
        > 0
    )


def can_read_current(user: User | None, minutes: Minutes) -> bool:
    """The current text: editors always; the workshop's participants once it has been circulated."""
    if can_edit(user, minutes):
        return True
    return minutes.status is not MinutesStatus.DRAFT and is_participant(user, minutes.workshop)


def can_read_version(user: User | None, minutes: Minutes, number: int) -> bool:
    """Published versions (and the earlier ones they replaced) are public; later approved ones are for
    editors and participants until published. A version withdrawn by a privacy correction is served to no one."""
    version = next((v for v in minutes.versions if v.number == number), None)
    if version is not None and version.withdrawn_at is not None:
        return False
    if number <= (minutes.published_version_number or 0):
        return True
    return can_edit(user, minutes) or is_participant(user, minutes.workshop)


def can_comment(user: User | None, minutes: Minutes) -> bool:
    return can_edit(user, minutes) or is_participant(user, minutes.workshop)
