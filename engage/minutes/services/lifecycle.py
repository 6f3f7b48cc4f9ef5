"""The lifecycle: draft → circulated → approved (versioned, hashed) → published; comments."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import User
from engage.errors import DomainError, NotFound, PermissionDenied
from engage.extensions import db
from engage.i18n import current_language
from engage.minutes.models import (
    Minutes,
    MinutesComment,
    MinutesEventKind,
    MinutesStatus,
    MinutesVersion,
)
from engage.minutes.permissions import can_comment, can_edit
from engage.minutes.services.common import (
    MAX_CIRCULATION_DAYS,
    MAX_COMMENT,
    invalid,
    lock_minutes,
    record_event,
    require_manager,
    require_status,
)
from engage.minutes.services.content import content_hash, snapshot
from engage.text import render_markdown
from engage.timeutil import utcnow
from engage.workshops.services import require_started

# --- lifecycle ------------------------------------------------------------------------------------


def circulate(minutes: Minutes, *, actor: User, deadline: datetime, now: datetime | None = None) -> Minutes:
    """Open the draft to the workshop's participants for comments until the deadline."""
    now = now or utcnow()
    if not can_edit(actor, minutes):
        raise PermissionDenied(_("Only the lead and the delegated note-takers can circulate these minutes."))
    lock_minutes(minutes)
    require_status(minutes, MinutesStatus.DRAFT)
    if deadline.tzinfo is None or deadline <= now or deadline > now + timedelta(days=MAX_CIRCULATION_DAYS):
        raise invalid(
            {
                "comment_deadline_at": [
                    _("Choose a deadline in the future, at most %(n)d days ahead.", n=MAX_CIRCULATION_DAYS)
                ]
            }
        )
    minutes.status, minutes.comment_deadline_at, minutes.updated_at = MinutesStatus.CIRCULATED, deadline, now
    record_event(minutes, MinutesEventKind.CIRCULATED, actor, now, before=MinutesStatus.DRAFT)
    db.session.flush()
    return minutes


def approve(minutes: Minutes, *, actor: User, change_note: str = "", now: datetime | None = None) -> MinutesVersion:
    """Freeze the text as the next numbered version with its SHA-256.

    First approval follows circulation; a correction (a draft after an earlier version) may be approved directly.
    """
    now = now or utcnow()
    require_manager(minutes, actor, _("Only the working group's lead can approve minutes."))
    require_started(minutes.workshop, now, _("Minutes are approved once the workshop has taken place."))
    lock_minutes(minutes)
    allowed = [MinutesStatus.CIRCULATED] + ([MinutesStatus.DRAFT] if minutes.versions else [])
    require_status(minutes, *allowed)
    change_note = (change_note or "").strip()
    if len(change_note) > 1000:
        raise invalid({"change_note": [_("At most %(n)d characters.", n=1000)]})
    content = snapshot(minutes)
    digest = content_hash(content)
    latest = minutes.latest_version
    if latest is not None and latest.content_hash == digest:
        raise DomainError(_("Nothing changed since version %(n)d.", n=latest.number), code="unchanged")
    before = minutes.status
    version = MinutesVersion(
        number=(latest.number + 1) if latest else 1,
        content=content,
        content_hash=digest,
        approved_at=now,
        approved_by_id=actor.id,
        change_note=change_note,
    )
    minutes.versions.append(version)
    minutes.status, minutes.updated_at = MinutesStatus.APPROVED, now
    record_event(minutes, MinutesEventKind.APPROVED, actor, now, before=before, version=version.number)
    db.session.flush()
    return version


def publish(minutes: Minutes, *, actor: User, now: datetime | None = None) -> Minutes:
    now = now or utcnow()
    require_manager(minutes, actor, _("Only the working group's lead can publish minutes."))
    require_started(minutes.workshop, now, _("Minutes are published once the workshop has taken place."))
    lock_minutes(minutes)
    require_status(minutes, MinutesStatus.APPROVED)
    minutes.status, minutes.updated_at = MinutesStatus.PUBLISHED, now
    minutes.published_version_number = minutes.latest_version.number
    audit(
        AuditAction.MINUTES_PUBLISHED,
        actor=actor,
        target_type="minutes",
        target_id=minutes.id,
        details={"version": minutes.published_version_number},
        now=now,
    )
    record_event(
        minutes,
        MinutesEventKind.PUBLISHED,
        actor,
        now,
        before=MinutesStatus.APPROVED,
        version=minutes.published_version_number,
    )
    db.session.flush()
    return minutes


def start_correction(minutes: Minutes, *, actor: User, now: datetime | None = None) -> Minutes:
    """Reopen approved minutes as a draft; approved versions stay as they are, the published one stays public."""
    now = now or utcnow()
    require_manager(minutes, actor, _("Only the working group's lead can correct approved minutes."))
    lock_minutes(minutes)
    before = minutes.status
    require_status(minutes, MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)
    minutes.status, minutes.updated_at, minutes.comment_deadline_at = MinutesStatus.DRAFT, now, None
    record_event(minutes, MinutesEventKind.CORRECTION_STARTED, actor, now, before=before)
    db.session.flush()
    return minutes


def add_comment(
    minutes: Minutes, *, actor: User, body: str, section_id: int | None = None, now: datetime | None = None
) -> MinutesComment:
    now = now or utcnow()
    if not can_comment(actor, minutes):
        raise PermissionDenied(_("Only the workshop's participants can comment on its draft minutes."))
    deadline = minutes.comment_deadline_at
    if minutes.status is not MinutesStatus.CIRCULATED or (deadline and now >= deadline):
        raise DomainError(_("Comments on these minutes are closed."), code="comments_closed")
    body = (body or "").strip()
    if not body or len(body) > MAX_COMMENT:
        raise invalid({"body": [_("Write a comment of at most %(n)d characters.", n=MAX_COMMENT)]})
    if section_id is not None and section_id not in {s.id for s in minutes.sections}:
        raise invalid({"section_id": [_("Not a section of these minutes.")]})
    comment = MinutesComment(
        minutes_id=minutes.id,
        author_id=actor.id,
        section_id=section_id,
        body=body,
        body_html=render_markdown(body),
        language=current_language(),  # participants' own text keeps the language it was written in
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def comments_query(minutes: Minutes) -> sa.Select:
    return (
        sa.select(MinutesComment)
        .where(MinutesComment.minutes_id == minutes.id)
        .order_by(MinutesComment.created_at, MinutesComment.id)
        .options(selectinload(MinutesComment.author))
    )


def version_of(minutes: Minutes, number: int) -> MinutesVersion:
    version = next((v for v in minutes.versions if v.number == number), None)
    if version is None or version.withdrawn_at is not None:
        raise NotFound(_("Version not found."))
    return version
