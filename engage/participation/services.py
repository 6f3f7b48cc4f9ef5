"""Registrations with a waiting list, and workshop comments."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from engage.auth.models import User
from engage.errors import DomainError, NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import current_language, language_code
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.participation.signals import (
    registration_cancelled,
    registration_confirmed,
    registration_promoted,
    registration_waitlisted,
)
from engage.text import render_markdown
from engage.timeutil import utcnow
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import lock_workshop, require_started
from engage.workshops.signals import workshop_capacity_raised

_ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.ATTENDED)


def _take_seat(workshop: Workshop) -> bool:
    """Take one seat if one is free. The database decides, so two requests never get the last seat."""
    taken = db.session.execute(
        sa.update(Workshop)
        .where(Workshop.id == workshop.id, Workshop.confirmed_count < Workshop.capacity)
        .values(confirmed_count=Workshop.confirmed_count + 1)
        .returning(Workshop.confirmed_count)
        .execution_options(synchronize_session=False)
    ).scalar()
    if taken is None:
        return False
    # The new count as the database has it, without reloading the workshop.
    set_committed_value(workshop, "confirmed_count", taken)
    return True


def _free_seat(workshop_id: int) -> None:
    db.session.execute(
        sa.update(Workshop)
        .where(Workshop.id == workshop_id, Workshop.confirmed_count > 0)
        .values(confirmed_count=Workshop.confirmed_count - 1)
        .execution_options(synchronize_session=False)
    )


def register(workshop: Workshop, *, actor: User, now: datetime | None = None) -> Registration:
    """Register the actor: confirmed while seats remain, otherwise on the waiting list.

    The workshop's row lock is held from the seat decision to the caller's commit, so the work
    under it is only that: the seat, the registration row, its place in line (one indexed count)
    and an outbox row (rendered at delivery, not here). A waitlisted registration carries its
    1-based `waitlist_position`.
    A caller on its own clock (`now`, e.g. the demo seed) queues at that time; otherwise the queue time is
    taken under the workshop lock.
    """
    clock = now
    now = now or utcnow()
    # Decide on the workshop as it is under the lock: a cancellation may have committed meanwhile.
    lock_workshop(workshop)
    if workshop.is_cancelled:
        raise DomainError(_("This workshop has been cancelled; registration is closed."), code="workshop_cancelled")
    if not workshop.registration_is_open(now):
        if workshop.registration_opens_at and now < workshop.registration_opens_at:
            raise DomainError(_("Registration for this workshop has not opened yet."), code="registration_not_open")
        raise DomainError(_("Registration for this workshop is closed."), code="registration_closed")
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == actor.id)
    )
    if registration is not None and registration.status in _ACTIVE:
        raise DomainError(_("You are already registered for this workshop."), code="already_registered")
    seated = _take_seat(workshop)
    # Taken under the workshop lock, so the waiting list follows the order requests were served.
    queued_at = clock or utcnow()
    status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED
    if registration is None:
        registration = Registration(workshop_id=workshop.id, user_id=actor.id, created_at=queued_at)
        db.session.add(registration)
    registration.status = status
    registration.queued_at = queued_at
    registration.confirmed_at = queued_at if seated else None
    registration.cancelled_at = None
    registration.promoted_at = None
    db.session.flush()
    registration.waitlist_position = None if seated else waitlist_position(registration)
    (registration_confirmed if seated else registration_waitlisted).send(registration, now=now)
    return registration


def promote_from_waitlist(workshop: Workshop, *, now: datetime | None = None) -> list[Registration]:
    """Give free seats to the waiting list, first come first served. Caller holds the workshop lock."""
    promoted = []
    while True:
        first = db.session.scalar(
            sa.select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
            .limit(1)
        )
        if first is None or not _take_seat(workshop):
            break
        first.status = RegistrationStatus.CONFIRMED
        first.confirmed_at = first.promoted_at = now or utcnow()
        db.session.flush()
        registration_promoted.send(first, now=first.promoted_at)
        promoted.append(first)
    db.session.refresh(workshop)
    return promoted


@workshop_capacity_raised.connect
def _on_capacity_raised(workshop: Workshop, **_kwargs) -> None:
    lock_workshop(workshop)
    promote_from_waitlist(workshop)


def cancel_registration(registration: Registration, *, actor: User, now: datetime | None = None) -> list[Registration]:
    """Cancel a registration; a freed seat goes to the first person on the waiting list.

    Returns the registrations promoted as a result.
    """
    now = now or utcnow()
    workshop = registration.workshop
    if registration.user_id != actor.id and not can_manage_working_group(actor, workshop.working_group_id):
        raise NotFound(_("Registration not found."))
    if registration.status is RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is already cancelled."), code="already_cancelled")
    if registration.status is RegistrationStatus.ATTENDED:
        raise DomainError(_("Attendance has been recorded; this registration can no longer be cancelled."))
    lock_workshop(workshop)
    db.session.refresh(registration)
    held_seat = registration.holds_seat
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    registration_cancelled.send(registration, now=now)
    if not held_seat:
        return []
    _free_seat(workshop.id)
    if workshop.is_cancelled or now >= workshop.starts_at:
        db.session.refresh(workshop)
        return []
    return promote_from_waitlist(workshop, now=now)


def mark_attended(
    registration: Registration, *, actor: User, attended: bool = True, now: datetime | None = None
) -> Registration:
    """Record (or undo) that a seat holder attended; only once the workshop has started."""
    if not can_manage_working_group(actor, registration.workshop.working_group_id):
        raise PermissionDenied(_("Only the working group's lead records attendance."))
    require_started(registration.workshop, now or utcnow(), _("Attendance is recorded once the workshop has started."))
    if not registration.holds_seat:
        raise DomainError(_("Only confirmed registrations can be marked as attended."))
    registration.status = RegistrationStatus.ATTENDED if attended else RegistrationStatus.CONFIRMED
    db.session.flush()
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """The registration's 1-based place on its waiting list (None if not waiting), by one indexed count."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.workshop_id == registration.workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.tuple_(Registration.queued_at, Registration.id) < sa.tuple_(registration.queued_at, registration.id),
        )
    )
    return ahead + 1


def waitlist_positions(workshop_id: int) -> dict[int, int]:
    """Registration id → 1-based place on the waiting list, in one query."""
    position = sa.func.row_number().over(order_by=(Registration.queued_at, Registration.id))
    rows = db.session.execute(
        sa.select(Registration.id, position).where(
            Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.WAITLISTED
        )
    )
    return dict(rows.all())


def registrations_query(workshop: Workshop) -> sa.Select:
    return (
        sa.select(Registration)
        .where(Registration.workshop_id == workshop.id)
        .order_by(Registration.queued_at, Registration.id)
        .options(selectinload(Registration.user))
    )


def registration_of(workshop: Workshop, user: User | None) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user.id)
    )


def user_registrations_query(user: User) -> sa.Select:
    return (
        sa.select(Registration)
        .where(Registration.user_id == user.id)
        .join(Registration.workshop)
        .order_by(Workshop.starts_at)
        .options(selectinload(Registration.workshop))
    )


# --- comments -------------------------------------------------------------------------------------


def check_comment_body(body: str) -> str:
    """A comment's text, stripped, or a field error: not empty, within ENGAGE_COMMENT_MAX_LENGTH."""
    body = (body or "").strip()
    limit = current_app.config["ENGAGE_COMMENT_MAX_LENGTH"]
    if not body:
        raise ValidationError(_("Some fields are not valid."), errors={"body": [_("Write a comment first.")]})
    if len(body) > limit:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"body": [_("Comments are limited to %(n)d characters.", n=limit)]},
        )
    return body


def post_comment(
    *,
    actor: User,
    body: str,
    workshop_id: int | None = None,
    consultation_id: int | None = None,
    language: str | None = None,
    now=None,
) -> Comment:
    """A new comment on a workshop or a consultation; the caller checked that the actor may comment there.

    It keeps the language it was written in: `language`, else the interface language it was written under.
    """
    body = check_comment_body(body)
    comment = Comment(
        workshop_id=workshop_id,
        consultation_id=consultation_id,
        author_id=actor.id,
        body=body,
        body_html=render_markdown(body),
        language=language_code(language) if language else current_language(),
        created_at=now or utcnow(),
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def add_comment(workshop: Workshop, *, actor: User, body: str, now: datetime | None = None) -> Comment:
    if workshop.is_cancelled:
        raise DomainError(_("This workshop has been cancelled; comments are closed."), code="workshop_cancelled")
    return post_comment(actor=actor, body=body, workshop_id=workshop.id, now=now)


def check_author_window(comment: Comment, actor: User, now: datetime) -> None:
    """Only the author changes a visible comment, and only within ENGAGE_COMMENT_EDIT_WINDOW_MINUTES."""
    if comment.author_id != actor.id:
        raise PermissionDenied(_("You can only change your own comments."))
    if not comment.is_visible:
        raise NotFound(_("Comment not found."))
    window = comment_edit_window()
    if now > comment.created_at + window:
        raise DomainError(
            _("Comments can be changed for %(n)d minutes after posting.", n=int(window.total_seconds() // 60)),
            code="edit_window_closed",
        )


def edit_comment(comment: Comment, *, actor: User, body: str, now: datetime | None = None) -> Comment:
    now = now or utcnow()
    check_author_window(comment, actor, now)
    comment.body = check_comment_body(body)
    comment.body_html = render_markdown(comment.body)
    comment.edited_at = now
    db.session.flush()
    return comment


def delete_comment(comment: Comment, *, actor: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    check_author_window(comment, actor, now)
    comment.deleted_at = now
    db.session.flush()


def hide_comment(comment: Comment, *, actor: User, reason: str, now: datetime | None = None) -> Comment:
    """A lead hides a workshop comment; the text and the reason stay for audit."""
    if comment.workshop is None or not can_manage_working_group(actor, comment.workshop.working_group_id):
        raise PermissionDenied(_("Only the working group's lead can hide comments."))
    if comment.hidden_at is not None:
        # The first decision and its reason stay on record.
        raise DomainError(_("This comment is already hidden."), code="already_hidden")
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationError(
            _("Some fields are not valid."), errors={"reason": [_("Give a reason of at most 500 characters.")]}
        )
    comment.hidden_at = now or utcnow()
    comment.hidden_by_id = actor.id
    comment.hidden_reason = reason
    db.session.flush()
    return comment


def visible_comments_query(*, workshop_id: int | None = None, consultation_id: int | None = None) -> sa.Select:
    """The visible comments on one workshop or one consultation, oldest first."""
    if workshop_id is not None:
        subject = Comment.workshop_id == workshop_id
    else:
        subject = Comment.consultation_id == consultation_id
    return (
        sa.select(Comment)
        .where(subject, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .options(selectinload(Comment.author))
    )


def comment_edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["ENGAGE_COMMENT_EDIT_WINDOW_MINUTES"])
