"""Scheduled Delphi work: reminders to panellists who have not yet submitted (with the per-round schedule),
and the results snapshot of every round that closed on its schedule."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, DelphiRoundSnapshot, ResponseStatus
from engage.delphi.permissions import can_manage_survey
from engage.delphi.services.snapshot import write_round_snapshot
from engage.extensions import db
from engage.i18n import localized
from engage.links import external_url
from engage.notifications.models import NotificationKind
from engage.notifications.reminders import REMINDER_WINDOW, ReminderSetting, due_reminders, not_yet_reminded
from engage.notifications.services import enqueue, stored_reminder_minutes, wants_reminders
from engage.timeutil import utcnow

# Before a round closes: 3 days and 1 day, unless the lead chose otherwise for the round.
DEFAULT_ROUND_REMINDER_MINUTES = (3 * 24 * 60, 24 * 60)


def round_reminder_minutes(round_: DelphiRound) -> list[int]:
    """Minutes before the round closes at which non-submitters are reminded, largest first."""
    return stored_reminder_minutes(round_.reminder_minutes, DEFAULT_ROUND_REMINDER_MINUTES)


def round_reminders(round_: DelphiRound) -> ReminderSetting:
    """A round's reminders: its survey's lead (or a coordinator) chooses them until the round closes."""

    def store(minutes: list[int]) -> None:
        round_.reminder_minutes = ",".join(str(m) for m in minutes)

    return ReminderSetting(
        may_change=lambda actor: can_manage_survey(actor, round_.survey),
        denied=_("Only the working group's lead or a coordinator can do this."),
        before=_("the round closes"),
        store=store,
        is_closed=round_.is_closed,
        closed_message=_("This round is closed; its reminders can no longer change."),
        closed_code="round_closed",
    )


def run_due_round_reminders(now: datetime | None = None) -> int:
    """Queue reminders for open rounds: only to panellists who have not submitted, once per offset.

    As for workshops, only the latest passed reminder moment of a round counts, and people who muted
    reminders get none. Returns the number queued. Safe to run twice or in two processes at once
    (the outbox's unique key decides).
    """
    now = now or utcnow()
    rounds = db.session.scalars(
        sa.select(DelphiRound)
        .where(DelphiRound.opens_at <= now, DelphiRound.closes_at > now, DelphiRound.closes_at <= now + REMINDER_WINDOW)
        .order_by(DelphiRound.closes_at, DelphiRound.id)
    ).all()
    queued = 0
    for round_, minutes in due_reminders(rounds, round_reminder_minutes, lambda r: r.closes_at, now):
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
                not_yet_reminded(f"delphi-reminder:{round_.id}:{minutes}:", User.id),
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
                # The title in the recipient's language (else the other one).
                survey_title=str(localized(round_.survey, "title", user.locale)),
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
