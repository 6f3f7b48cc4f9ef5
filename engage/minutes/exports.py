"""Compiled minutes PDFs as export jobs: requested on a page or the API, made by `run_due_exports`."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import User
from engage.errors import DomainError, NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.minutes.models import ExportJob, Minutes, MinutesVersion
from engage.storage import get_storage
from engage.timeutil import utcnow
from engage.workshops.models import WorkingGroup, Workshop
from engage.workshops.permissions import can_manage_working_group

EXPORT_TTL = timedelta(days=7)
# A job claimed longer ago than this was abandoned by a killed worker and is taken up again.
STALE_CLAIM = timedelta(minutes=30)


def approved_minutes(working_group_id: int | None) -> list[tuple[Minutes, MinutesVersion]]:
    """Each workshop's latest approved version, in workshop order (one WG, or all)."""
    stmt = (
        sa.select(Minutes)
        .join(Workshop, Workshop.id == Minutes.workshop_id)
        .where(Minutes.versions.any())
        .order_by(Workshop.starts_at, Workshop.id)
        .options(selectinload(Minutes.versions), selectinload(Minutes.workshop))
    )
    if working_group_id is not None:
        stmt = stmt.where(Workshop.working_group_id == working_group_id)
    return [(m, m.latest_version) for m in db.session.scalars(stmt).all()]


def can_export(user: User | None, working_group_id: int | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator if working_group_id is None else can_manage_working_group(user, working_group_id)


def request_export(*, actor: User, working_group_id: int | None, locale: str, now: datetime | None = None) -> ExportJob:
    """Queue a compilation of one working group's approved minutes (its lead) or of all (coordinators)."""
    now = now or utcnow()
    if working_group_id is not None and db.session.get(WorkingGroup, working_group_id) is None:
        raise ValidationError(
            _("Some fields are not valid."), errors={"working_group_id": [_("No such working group.")]}
        )
    if not can_export(actor, working_group_id):
        raise PermissionDenied(_("Coordinators compile all minutes; a lead compiles their working group's."))
    total = len(approved_minutes(working_group_id))
    if total == 0:
        raise DomainError(_("There are no approved minutes to compile yet."), code="nothing_to_export")
    job = ExportJob(
        requested_by_id=actor.id, working_group_id=working_group_id, locale=locale, progress_total=total, created_at=now
    )
    db.session.add(job)
    db.session.flush()
    audit(
        AuditAction.MINUTES_EXPORT_REQUESTED,
        actor=actor,
        target_type="minutes_export",
        target_id=job.id,
        details={"working_group_id": working_group_id},
        now=now,
    )
    return job


def export_for(job_id: int, viewer: User) -> ExportJob:
    """The job, for the person who asked for it or a coordinator (404 for anyone else)."""
    job = db.session.get(ExportJob, job_id)
    if job is None or not (viewer.is_coordinator or job.requested_by_id == viewer.id):
        raise NotFound(_("Export not found."))
    return job


def export_file(job: ExportJob, now: datetime | None = None) -> str:
    """The storage key of the finished PDF (any web host serves it), or 409 when not ready or expired."""
    now = now or utcnow()
    if not job.is_downloadable(now) or not job.file_key or not get_storage().exists(job.file_key):
        raise DomainError(_("This export is not ready or has expired."), code="export_unavailable", status=409)
    return job.file_key


def export_key(job: ExportJob) -> str:
    return f"exports/minutes-export-{job.id}.pdf"


def exports_query(viewer: User) -> sa.Select:
    stmt = sa.select(ExportJob).order_by(ExportJob.id.desc()).limit(20)
    return stmt if viewer.is_coordinator else stmt.where(ExportJob.requested_by_id == viewer.id)
