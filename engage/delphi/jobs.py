"""Scheduled Delphi work: reminders to panellists who have not yet submitted (with the per-round schedule),
and the results snapshot of every round that closed on its schedule."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, DelphiRoundSnapshot, ResponseStatus
from engage.delphi.permissions import can_manage_survey
from engage.delphi.services.snapshot import write_round_snapshot
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.links import external_url
from engage.notifications.models import NotificationKind
from engage.notifications.services import (
    MAX_REMINDER_MINUTES,
    checked_reminder_minutes,
    enqueue,
    latest_due_reminder,
    stored_reminder_minutes,
    wants_reminders,
)
from engage.timeutil import utcnow

# Before a round closes: 3 days and 1 day, unless the lead chose otherwise for the round.
DEFAULT_ROUND_REMINDER_MINUTES = (3 * 24 * 60, 24 * 60)


def round_reminder_minutes(round_: DelphiRound) -> list[int]:
    """Minutes before the round closes at which non-submitters are reminded, largest first."""
    return stored_reminder_minutes(round_.reminder_minutes, DEFAULT_ROUND_REMINDER_MINUTES)


def set_round_reminder_minutes(
    round_: DelphiRound, *, actor: User, minutes: list[int], now: datetime | None = None
) -> list[int]:
    """The lead chooses when a round's non-submitters are reminded; an empty list means none."""
    if not can_manage_survey(actor, round_.survey):
        raise PermissionDenied(_("Only the working group's lead or a coordinator can do this."))
    if round_.is_closed(now or utcnow()):
        raise DomainError(_("This round is closed; its reminders can no longer change."), code="round_closed")
    wanted = checked_reminder_minutes(minutes, before=_("the round closes"))
    round_.reminder_minutes = ",".join(str(m) for m in wanted)
    db.session.flush()
    return wanted


def run_due_round_reminders(now: datetime | None = None) -> int:
    """Queue reminders for open rounds: only to panellists who have not submitted, once per offset.

    As for workshops, only the latest passed reminder moment of a round counts, and people who muted
    reminders get none. Returns the number queued. Safe to run twice or in two processes at once
    (the outbox's unique key decides).
    """
    now = now or utcnow()
    rounds = db.session.scalars(
        sa.select(DelphiRound)
        .where(
            DelphiRound.opens_at <= now,
            DelphiRound.closes_at > now,
            DelphiRound.closes_at <= now + timedelta(minutes=MAX_REMINDER_MINUTES),
        )
        .order_by(DelphiRound.closes_at, DelphiRound.id)
    ).all()
    queued = 0
    for round_ in rounds:
        minutes = latest_due_reminder(round_reminder_minutes(round_), round_.closes_at, now)
        if minutes is None:
            continue
        submitted = sa.select(DelphiResponse.panellist_id).where(
            DelphiResponse.round_id == round_.id, DelphiResponse.status == ResponseStatus.SUBMITTED
        )
        recipients = db.session.scalars(
            sa.select(User)
            .join(DelphiPanelMember, DelphiPanelMember.user_id == User.id)
            .where(
                DelphiPanelMember.survey_id == round_.survey_id,
                DelphiPanelMember.removed_at.is_(None),
                User.id.not_in(submitted),
                User.is_active_account.is_(True),
                wants_reminders(User.id),
            )
            .order_by(User.id)
        ).all()
        for user in recipients:
            queued += enqueue(
                user,
                NotificationKind.DELPHI_ROUND_REMINDER,
                None,
                now=now,
                dedupe_key=f"delphi-reminder:{round_.id}:{minutes}:{user.id}",
                survey_title=round_.survey.title,
                round_number=round_.number,
                closes_at=round_.closes_at,
                round_url=external_url("delphi.rate", round_id=round_.id),
            )
    db.session.commit()
    return queued


def run_due_round_snapshots(now: datetime | None = None) -> int:
    """Write the results snapshot of each round that has closed and has none yet, one commit per round.
    Returns how many were written. Safe twice or in two processes at once: the writer locks the round
    and a second finds the first's snapshot."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(DelphiRound.id)
        .where(DelphiRound.closes_at <= now)
        .where(~sa.exists().where(DelphiRoundSnapshot.round_id == DelphiRound.id))
        .order_by(DelphiRound.closes_at, DelphiRound.id)
    ).all()
    db.session.commit()
    for round_id in due:
        write_round_snapshot(db.session.get(DelphiRound, round_id), now=now)
        db.session.commit()
    return len(due)
