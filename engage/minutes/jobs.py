"""Scheduled work of the minutes feature."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.extensions import db
from engage.i18n import in_language, localized_text
from engage.minutes.exports import EXPORT_TTL, STALE_CLAIM, approved_minutes, export_key
from engage.minutes.models import ExportJob, ExportState
from engage.minutes.pdf import compiled_html
from engage.reports.pdf import render_pdf
from engage.storage import get_storage


def _claim(now: datetime) -> ExportJob | None:
    """Take the oldest due job with a conditional UPDATE, so two processes never make the same file."""
    candidate = db.session.scalar(
        sa.select(ExportJob.id)
        .where(
            sa.or_(
                ExportJob.state == ExportState.QUEUED,
                sa.and_(ExportJob.state == ExportState.RUNNING, ExportJob.claimed_at < now - STALE_CLAIM),
            )
        )
        .order_by(ExportJob.id)
        .limit(1)
    )
    if candidate is None:
        return None
    claimed = db.session.execute(
        sa.update(ExportJob)
        .where(
            ExportJob.id == candidate,
            sa.or_(
                ExportJob.state == ExportState.QUEUED,
                sa.and_(ExportJob.state == ExportState.RUNNING, ExportJob.claimed_at < now - STALE_CLAIM),
            ),
        )
        .values(state=ExportState.RUNNING, claimed_at=now, progress_done=0)
    ).rowcount
    db.session.commit()
    return db.session.get(ExportJob, candidate, populate_existing=True) if claimed == 1 else None


def _compile(job: ExportJob, now: datetime) -> None:
    entries = approved_minutes(job.working_group_id)
    job.progress_total = len(entries)
    prepared = []
    with in_language(job.locale):
        title = (
            _("Minutes of %(group)s", group=localized_text(job.working_group, "name"))
            if job.working_group
            else _("Minutes of all workshops")
        )
        for entry in entries:
            prepared.append(entry)
            job.progress_done = len(prepared)
            db.session.commit()  # progress is visible to the page and the API as it goes
        pdf = render_pdf(compiled_html(prepared, title=title))
    key = export_key(job)
    # The file and the job's "done" are committed together by the caller (database storage).
    get_storage().put(key, pdf, content_type="application/pdf")
    job.file_key, job.state, job.finished_at, job.expires_at = key, ExportState.DONE, now, now + EXPORT_TTL


def _remove_expired(now: datetime) -> None:
    expired = db.session.scalars(
        sa.select(ExportJob).where(ExportJob.expires_at <= now, ExportJob.file_key.is_not(None))
    ).all()
    for job in expired:
        # Deleted before the key is forgotten: a failure leaves a key to retry, never an orphaned file.
        get_storage().delete(job.file_key)
        job.file_key = None
    db.session.commit()


def run_due_exports(now: datetime) -> int:
    """Make every queued compiled-minutes PDF; delete files past their expiry. Returns the jobs finished."""
    _remove_expired(now)
    finished = 0
    while (job := _claim(now)) is not None:
        try:
            _compile(job, now)
        except Exception as exc:
            db.session.rollback()
            job = db.session.get(ExportJob, job.id, populate_existing=True)
            job.state, job.error, job.finished_at = ExportState.FAILED, str(exc)[:500], now
        db.session.commit()
        finished += 1
    return finished
