"""Scheduled work of the Delphi feature: reminders to panellists who have not yet submitted."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from engage.auth.models import User
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, ResponseStatus
from engage.extensions import db
from engage.links import external_url
from engage.notifications.models import NotificationKind, NotificationPreference
from engage.notifications.services import enqueue
from engage.timeutil import utcnow

# Before a round closes: 3 days and 1 day.
ROUND_REMINDER_MINUTES = (3 * 24 * 60, 24 * 60)


def run_due_round_reminders(now: datetime | None = None) -> int:
    """Queue reminders for open rounds: only to panellists who have not submitted, once per offset.

    As for workshops, only the latest passed reminder moment of a round counts, and people who muted
    reminders get none. Returns the number queued. Safe to run twice or in two processes at once
    (the outbox's unique key decides).
    """
    now = now or utcnow()
    rounds = db.session.scalars(
        sa.select(DelphiRound).where(
            DelphiRound.opens_at <= now, DelphiRound.closes_at > now,
            DelphiRound.closes_at <= now + timedelta(minutes=max(ROUND_REMINDER_MINUTES)),
        ).order_by(DelphiRound.closes_at, DelphiRound.id)
    ).all()
    queued = 0
    for round_ in rounds:
        due = [m for m in ROUND_REMINDER_MINUTES if round_.closes_at - timedelta(minutes=m) <= now]
        minutes = min(due)
        submitted = sa.select(DelphiResponse.panellist_id).where(
            DelphiResponse.round_id == round_.id, DelphiResponse.status == ResponseStatus.SUBMITTED
        )
        recipients = db.session.scalars(
            sa.select(User)
            .join(DelphiPanelMember, DelphiPanelMember.user_id == User.id)
            .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
            .where(
                DelphiPanelMember.survey_id == round_.survey_id, DelphiPanelMember.removed_at.is_(None),
                User.id.not_in(submitted), User.is_active_account.is_(True),
                sa.or_(NotificationPreference.has_reminders.is_(None), NotificationPreference.has_reminders.is_(True)),
            )
            .order_by(User.id)
        ).all()
        for user in recipients:
            queued += enqueue(
                user, NotificationKind.DELPHI_ROUND_REMINDER, None, now=now,
                dedupe_key=f"delphi-reminder:{round_.id}:{minutes}:{user.id}",
                survey_title=round_.survey.title, round_number=round_.number, closes_at=round_.closes_at,
                round_url=external_url("delphi.rate", round_id=round_.id),
            )
    db.session.commit()
    return queued
