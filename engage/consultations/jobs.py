"""Scheduled work of consultations: "it is open" to the audience once, reminders before it closes."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.consultations.models import Consultation, ConsultationState
from engage.consultations.services import audience_ids, can_manage
from engage.extensions import db
from engage.links import external_url
from engage.notifications.models import NotificationKind
from engage.notifications.reminders import REMINDER_WINDOW, ReminderSetting, due_reminders, not_yet_reminded
from engage.notifications.services import enqueue, stored_reminder_minutes, wants_reminders
from engage.participation.models import Comment
from engage.timeutil import utcnow

# Before a consultation closes: 3 days and 1 day, unless its organiser chose otherwise.
DEFAULT_CONSULTATION_REMINDER_MINUTES = (3 * 24 * 60, 24 * 60)


def consultation_reminder_minutes(consultation: Consultation) -> list[int]:
    """Minutes before close at which those who have not commented are reminded, largest first."""
    return stored_reminder_minutes(consultation.reminder_minutes, DEFAULT_CONSULTATION_REMINDER_MINUTES)


def consultation_reminders(consultation: Consultation) -> ReminderSetting:
    """A consultation's reminders: its organisers choose them until it closes."""

    def store(minutes: list[int]) -> None:
        consultation.reminder_minutes = ",".join(str(m) for m in minutes)

    return ReminderSetting(
        may_change=lambda actor: can_manage(actor, consultation),
        denied=_("Only the consultation's organisers can change it."),
        before=_("the consultation closes"),
        store=store,
        is_closed=lambda now: consultation.state(now) is ConsultationState.CLOSED,
        closed_message=_("This consultation is closed; its reminders can no longer change."),
        closed_code="consultation_closed",
    )


def _context(consultation: Consultation) -> dict:
    return {
        "consultation_title": consultation.title,
        "consultation_title_zh": consultation.title_zh,
        "closes_at": consultation.closes_at,
        "consultation_url": external_url("consultations.detail", consultation_id=consultation.id),
    }


def run_due_consultation_notices(now: datetime | None = None) -> int:
    """Queue "consultation opened" to the audience once, and reminders to those who have not commented.

    The opening notice is claimed per consultation with a conditional UPDATE and each message has a
    dedupe key, so running twice or in two processes at once queues nothing twice. As for Delphi
    rounds, only the latest passed reminder moment counts, and people who muted reminders get none.
    Returns the number queued.
    """
    now = now or utcnow()
    queued = 0
    opening = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.opens_at <= now, Consultation.closes_at > now, Consultation.opened_notice_at.is_(None))
        .order_by(Consultation.opens_at, Consultation.id)
    ).all()
    for consultation in opening:
        claimed = db.session.execute(
            sa.update(Consultation)
            .where(Consultation.id == consultation.id, Consultation.opened_notice_at.is_(None))
            .values(opened_notice_at=now)
        ).rowcount
        if not claimed:
            continue
        people = db.session.scalars(sa.select(User).where(User.id.in_(audience_ids(consultation))).order_by(User.id))
        for user in people:
            queued += enqueue(
                user,
                NotificationKind.CONSULTATION_OPENED,
                None,
                now=now,
                dedupe_key=f"consultation-opened:{consultation.id}:{user.id}",
                **_context(consultation),
            )

    closing = db.session.scalars(
        sa.select(Consultation)
        .where(
            Consultation.opens_at <= now,
            Consultation.closes_at > now,
            Consultation.closes_at <= now + REMINDER_WINDOW,
        )
        .order_by(Consultation.closes_at, Consultation.id)
    ).all()
    for consultation, minutes in due_reminders(closing, consultation_reminder_minutes, lambda c: c.closes_at, now):
        commented = sa.select(Comment.author_id).where(
            Comment.consultation_id == consultation.id,
            Comment.deleted_at.is_(None),
            Comment.author_id.is_not(None),
        )
        recipients = db.session.scalars(
            sa.select(User)
            .where(
                User.id.in_(audience_ids(consultation)),
                User.id.not_in(commented),
                wants_reminders(User.id),
                not_yet_reminded(f"consultation-reminder:{consultation.id}:{minutes}:", User.id),
            )
            .order_by(User.id)
        ).all()
        for user in recipients:
            queued += enqueue(
                user,
                NotificationKind.CONSULTATION_REMINDER,
                None,
                now=now,
                dedupe_key=f"consultation-reminder:{consultation.id}:{minutes}:{user.id}",
                **_context(consultation),
            )
    db.session.commit()
    return queued
