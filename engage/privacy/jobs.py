"""Scheduled work of the privacy feature: "My data" exports, and the retention periods.

Both are plain functions of `now`, own their transactions and are safe to run twice or in two
processes at once (exports are claimed with a conditional UPDATE; purges are idempotent deletes).
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from engage.auth.models import AccountToken, ApiToken, Invitation, UserSession
from engage.extensions import db
from engage.i18n import in_language
from engage.minutes.models import ExportState
from engage.notifications.models import Notification, NotificationState
from engage.privacy.exports import build_zip, export_ttl
from engage.privacy.models import DataExport
from engage.storage import get_storage

# A job claimed longer ago than this was abandoned by a killed worker and is taken up again.
STALE_CLAIM = timedelta(minutes=30)


def _claimable(now: datetime):
    return sa.or_(
        DataExport.state == ExportState.QUEUED,
        sa.and_(DataExport.state == ExportState.RUNNING, DataExport.claimed_at < now - STALE_CLAIM),
    )


def _claim(now: datetime) -> DataExport | None:
    candidate = db.session.scalar(sa.select(DataExport.id).where(_claimable(now)).order_by(DataExport.id).limit(1))
    if candidate is None:
        return None
    claimed = db.session.execute(
        sa.update(DataExport)
        .where(DataExport.id == candidate, _claimable(now))
        .values(state=ExportState.RUNNING, claimed_at=now, progress_done=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(DataExport, candidate, populate_existing=True) if claimed == 1 else None


def _make(job: DataExport, now: datetime) -> None:
    def progress(done: int) -> None:
        job.progress_done = done
        db.session.commit()  # the page and the API show "x of y" as it goes

    with in_language(job.locale):
        data = build_zip(job.user, now=now, progress=progress)
    key = f"my-data/{job.id}-{now.strftime('%Y%m%d%H%M%S')}.zip"
    get_storage().put(key, data, content_type="application/zip")
    job.storage_key, job.state, job.finished_at, job.expires_at = key, ExportState.DONE, now, now + export_ttl()


def run_due_data_exports(now: datetime) -> int:
    """Make every queued "My data" ZIP. Returns the jobs finished."""
    finished = 0
    while (job := _claim(now)) is not None:
        try:
            _make(job, now)
        except Exception as exc:
            db.session.rollback()
            job = db.session.get(DataExport, job.id, populate_existing=True)
            job.state, job.error, job.finished_at = ExportState.FAILED, str(exc)[:500], now
        db.session.commit()
        finished += 1
    return finished


def _days(name: str) -> timedelta:
    return timedelta(days=current_app.config[name])


def run_retention(now: datetime) -> dict[str, int]:
    """Purge what is kept no longer than its retention period (README, "Privacy"). Returns counts per kind."""
    counts: dict[str, int] = {}
    body_cutoff = now - _days("ENGAGE_RETAIN_NOTIFICATION_BODIES_DAYS")
    counts["notification_bodies"] = db.session.execute(
        sa.update(Notification)
        .where(
            # Done with (sent, in-app only, failed). Written as "not waiting", which no index serves, so the
            # partial index of kept bodies is the one used (ix_notifications_bodies_kept).
            Notification.state.not_in((NotificationState.PENDING, NotificationState.SENDING)),
            Notification.created_at < body_cutoff,
            Notification.body_text != "",
        )
        .values(body_text="", body_html="")
        .execution_options(synchronize_session=False)
    ).rowcount
    invitation_cutoff = now - _days("ENGAGE_RETAIN_EXPIRED_INVITATIONS_DAYS")
    # Accepted invitations stay (they record how someone joined, and Delphi panels read them).
    counts["invitations"] = db.session.execute(
        sa.delete(Invitation)
        .where(
            Invitation.accepted_at.is_(None),
            sa.or_(Invitation.expires_at < invitation_cutoff, Invitation.revoked_at < invitation_cutoff),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    token_cutoff = now - _days("ENGAGE_RETAIN_EXPIRED_TOKENS_DAYS")
    counts["api_tokens"] = db.session.execute(
        sa.delete(ApiToken)
        .where(sa.or_(ApiToken.expires_at < token_cutoff, ApiToken.revoked_at < token_cutoff))
        .execution_options(synchronize_session=False)
    ).rowcount
    counts["account_tokens"] = db.session.execute(
        sa.delete(AccountToken)
        .where(sa.or_(AccountToken.expires_at < token_cutoff, AccountToken.used_at < token_cutoff))
        .execution_options(synchronize_session=False)
    ).rowcount
    session_cutoff = now - _days("ENGAGE_RETAIN_SESSIONS_DAYS")
    counts["sessions"] = db.session.execute(
        sa.delete(UserSession)
        .where(sa.or_(UserSession.expires_at < session_cutoff, UserSession.revoked_at < session_cutoff))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    counts["export_files"] = _remove_expired_exports(now)
    return counts


def _remove_expired_exports(now: datetime) -> int:
    """Finished "My data" files past their download period go; the rows stay as the history."""
    expired = db.session.scalars(
        sa.select(DataExport).where(DataExport.expires_at <= now, DataExport.storage_key.is_not(None))
    ).all()
    for job in expired:
        get_storage().delete(job.storage_key)
        job.storage_key = None
    db.session.commit()
    return len(expired)
