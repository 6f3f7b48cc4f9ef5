"""Scheduled work of the notifications feature: due reminders are queued, due messages e-mailed.

Both jobs are plain functions of `now`, own their transactions (they are top-level callers, like
views) and are safe to run twice or in two processes at once.
"""

import logging
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.extensions import commit_keeping_loaded, db
from engage.notifications.mail import CalendarCache, MailConnection, build_message, mail_configured
from engage.notifications.models import Notification, NotificationKind, NotificationState
from engage.notifications.reminders import REMINDER_WINDOW, due_reminders
from engage.notifications.services import enqueue, reminder_minutes_of, render, wants_reminders
from engage.participation.models import Registration, RegistrationStatus
from engage.timeutil import UTCDateTime, utcnow
from engage.workshops.models import Workshop, WorkshopStatus

log = logging.getLogger(__name__)

# A row claimed longer ago than this belongs to a process that died; another run takes it over.
CLAIM_LEASE = timedelta(minutes=10)
# Wait before attempt n+1 after n failures; after MAX_ATTEMPTS failures the row is FAILED.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=25),
    timedelta(minutes=125),
    timedelta(minutes=625),
)
MAX_ATTEMPTS = 6
# Rows claimed, rendered and built together; sent over one SMTP connection.
BATCH_SIZE = 200
_SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)


def run_due_reminders(now: datetime | None = None) -> int:
    """Queue the reminders that are due: once per (workshop, offset, person), only to seat holders.

    For each upcoming workshop only its latest passed reminder moment counts (a scheduler that was
    down does not send the 7-day reminder on the eve), and only to people who held their seat by then.
    People who muted reminders get none. Returns the number queued.
    """
    now = now or utcnow()
    workshops = db.session.scalars(
        sa.select(Workshop)
        .where(
            Workshop.status == WorkshopStatus.SCHEDULED,
            Workshop.starts_at > now,
            Workshop.starts_at <= now + REMINDER_WINDOW,
        )
        .order_by(Workshop.starts_at, Workshop.id)
    ).all()
    moments = reminder_minutes_of([w.id for w in workshops]) if workshops else {}
    due = due_reminders(workshops, lambda w: moments[w.id], lambda w: w.starts_at, now)
    queued = 0
    if due:
        by_id = {workshop.id: workshop for workshop, _minutes in due}
        for workshop_id, minutes, user in db.session.execute(_reminder_recipients(due)):
            queued += enqueue(
                user,
                NotificationKind.WORKSHOP_REMINDER,
                by_id[workshop_id],
                now=now,
                has_ics=True,
                dedupe_key=f"reminder:{workshop_id}:{minutes}:{user.id}",
            )
    db.session.commit()
    return queued


def _reminder_recipients(due: list[tuple[Workshop, int]]) -> sa.Select:
    """(workshop id, minutes, person) for every due reminder moment in one statement, whatever the number
    of workshops: the seat holders by the moment who want reminders and have none queued for it yet."""
    moments = (
        sa.values(
            sa.column("workshop_id", sa.Integer),
            sa.column("minutes", sa.Integer),
            sa.column("due_at", UTCDateTime),
            name="due_moments",
        )
        .data([(w.id, minutes, w.starts_at - timedelta(minutes=minutes)) for w, minutes in due])
        .cte()
    )
    key = (
        sa.literal("reminder:", sa.String)
        + sa.cast(moments.c.workshop_id, sa.String)
        + ":"
        + sa.cast(moments.c.minutes, sa.String)
        + ":"
        + sa.cast(User.id, sa.String)
    )
    return (
        sa.select(moments.c.workshop_id, moments.c.minutes, User)
        .join(Registration, Registration.user_id == User.id)
        .join(moments, moments.c.workshop_id == Registration.workshop_id)
        .where(
            Registration.status.in_(_SEATED),
            Registration.confirmed_at <= moments.c.due_at,
            wants_reminders(User.id),
            ~sa.exists().where(Notification.dedupe_key == key),
        )
        .order_by(moments.c.workshop_id, User.id)
    )


def _due(now: datetime):
    return sa.or_(
        sa.and_(Notification.state == NotificationState.PENDING, Notification.next_attempt_at <= now),
        sa.and_(Notification.state == NotificationState.SENDING, Notification.claimed_at <= now - CLAIM_LEASE),
    )


def _claim(now: datetime, batch_size: int) -> tuple[str, list[Notification]]:
    """Take up to batch_size due rows for this run, committed, so no other run takes them too.

    PostgreSQL: the selected rows are locked and rows locked by another run are skipped. SQLite:
    the job's transaction began with BEGIN IMMEDIATE, so runs take turns. In both, the conditional
    UPDATE re-checks that each row is still due.
    """
    token = secrets.token_hex(16)
    ids = sa.select(Notification.id).where(_due(now)).order_by(Notification.next_attempt_at, Notification.id)
    ids = ids.limit(batch_size)
    if db.engine.dialect.name == "postgresql":
        ids = ids.with_for_update(skip_locked=True)
    chosen = db.session.scalars(ids).all()
    if chosen:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.id.in_(chosen), _due(now))
            .values(state=NotificationState.SENDING, claim_token=token, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    if not chosen:
        return token, []
    return token, db.session.scalars(
        sa.select(Notification)
        .where(Notification.claim_token == token)
        .order_by(Notification.id)
        .options(selectinload(Notification.user), selectinload(Notification.workshop))
    ).all()


def _record(notification_id: int, token: str, **values) -> None:
    """Record an outcome; only the run holding the claim may."""
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id == notification_id, Notification.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )


def _finish(notification_id: int, token: str, **values) -> None:
    """Record the outcome in its own committed transaction.

    The batch is plain data by now: expiring every object of the session at each message's commit was
    a third of a delivery's cost (the job's final rollback expires them)."""
    _record(notification_id, token, **values)
    commit_keeping_loaded()


def _failure(attempts: int, error: Exception, now: datetime) -> dict:
    attempts += 1
    values = {"attempts": attempts, "last_error": f"{type(error).__name__}: {error}"[:500]}
    if attempts >= MAX_ATTEMPTS:
        return {**values, "state": NotificationState.FAILED}
    return {**values, "state": NotificationState.PENDING, "next_attempt_at": now + BACKOFF[attempts - 1]}


def _prepare(
    batch: list[Notification], token: str, now: datetime, counts: dict[str, int], calendars: CalendarCache
) -> list[tuple]:
    """Render and build the batch's messages in one transaction, before any is sent.

    Renderings are stored (the in-app text then matches the e-mail); a switched-off account's message
    becomes in-app only; a message that cannot be built is recorded as a failed attempt.
    """
    calendars.load(batch)
    ready, outcomes = [], []
    for notification in batch:
        if notification.user is not None and not notification.user.is_active_account:
            # A switched-off account is not written to; the message stays visible in-app if it returns.
            outcomes.append((notification.id, {"state": NotificationState.IN_APP_ONLY}))
            counts["in_app_only"] += 1
            continue
        try:
            message = build_message(render(notification), calendars)
        except Exception as exc:  # noqa: BLE001 — a message that cannot be built is retried like a failed send
            log.warning("notification %s not built: %s", notification.id, exc)
            values = _failure(notification.attempts, exc, now)
            outcomes.append((notification.id, values))
            counts["failed" if values["state"] is NotificationState.FAILED else "retry"] += 1
            continue
        ready.append((notification.id, notification.attempts, notification.user_id is None, message))
    for notification_id, values in outcomes:
        _record(notification_id, token, **values)
    # No transaction stays open (nor, on SQLite, the write lock held) while the SMTP server answers.
    db.session.commit()
    return ready


def run_due_notifications(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """E-mail the due notifications: claim a batch, render and build it, send each over one SMTP
    connection and mark it sent at once, repeat.

    A message is marked sent in its own commit right after the SMTP server accepted it, so a run
    killed mid-batch re-sends at most the one message in flight (same Message-ID); rows it had
    claimed but not sent are taken over by a later run once the claim lease has expired.
    Failures are retried with back-off. Without a mail server the due rows become IN_APP_ONLY.
    Returns counts by outcome.
    """
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "failed": 0, "in_app_only": 0}
    if not mail_configured():
        counts["in_app_only"] = _keep_in_app(now, batch_size)
        return counts
    if not _anything_due(now):
        return counts
    connection, calendars = MailConnection(), CalendarCache()
    try:
        while True:
            token, batch = _claim(now, batch_size)
            if not batch:
                break
            for notification_id, attempts, to_address_only, message in _prepare(batch, token, now, counts, calendars):
                _send(notification_id, attempts, to_address_only, message, token, connection, now, counts)
    finally:
        connection.close()
        db.session.rollback()
    return counts


def _anything_due(now: datetime) -> bool:
    """One indexed look-up, so that an idle tick opens no SMTP connection and claims nothing."""
    return db.session.scalar(sa.select(Notification.id).where(_due(now)).limit(1)) is not None


def _keep_in_app(now: datetime, batch_size: int) -> int:
    """Without a mail server: due rows are rendered (for reading in-app) and become IN_APP_ONLY."""
    done = 0
    while True:
        token, batch = _claim(now, batch_size)
        if not batch:
            return done
        for notification in batch:
            try:
                render(notification)
            except Exception:  # noqa: BLE001 — kept unrendered; reading it in-app renders it again
                log.exception("notification %s not rendered", notification.id)
            notification.state, notification.claim_token = NotificationState.IN_APP_ONLY, None
        db.session.commit()
        done += len(batch)


def _send(
    notification_id: int,
    attempts: int,
    to_address_only: bool,
    message,
    token: str,
    connection: MailConnection,
    now: datetime,
    counts: dict[str, int],
) -> None:
    try:
        connection.send(message)
    except Exception as exc:  # noqa: BLE001 — any failure of one message is recorded on it and retried
        log.warning("notification %s not sent: %s", notification_id, exc)
        values = _failure(attempts, exc, now)
        _finish(notification_id, token, **values)
        counts["failed" if values["state"] is NotificationState.FAILED else "retry"] += 1
        return
    db.session.execute(_MARK_SENT[to_address_only], {"sent_id": notification_id, "sent_token": token, "sent_at": now})
    commit_keeping_loaded()
    counts["sent"] += 1


def _mark_sent(*, forget_body: bool) -> sa.Update:
    """The UPDATE recording one accepted message, built once: statement building was a sixth of a send."""
    table = Notification.__table__
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("sent_id"), table.c.claim_token == sa.bindparam("sent_token"))
        .values(state=NotificationState.SENT, sent_at=sa.bindparam("sent_at"), last_error=None, claim_token=None)
    )
    # An invitation's body holds its secret sign-up link, whose hash alone the database keeps: once
    # delivered, the copy goes.
    return statement.values(body_text="", body_html="") if forget_body else statement


# By "sent to an address only" (an invitation, a password reset): whether the body is forgotten.
_MARK_SENT = {False: _mark_sent(forget_body=False), True: _mark_sent(forget_body=True)}
