"""Recording and reading the audit log."""

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.audit.models import AuditAction, AuditEvent
from engage.auth.models import User
from engage.csvutil import csv_text
from engage.errors import PermissionDenied
from engage.extensions import db
from engage.timeutil import utcnow


def _client_address() -> str:
    # The one piece of request metadata a service may read: where an audited action came from. Outside a
    # request (CLI, scheduler) there is no address.
    return (request.remote_addr or "") if has_request_context() else ""


def record(
    action: AuditAction,
    *,
    actor: User | None,
    target_type: str = "",
    target_id: int | None = None,
    details: dict | None = None,
    with_address: bool = True,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction. `details` must hold ids and values, never a name or
    an e-mail address, so that an erasure leaves nothing identifying behind in the log."""
    event = AuditEvent(
        occurred_at=now or utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        ip_address=_client_address() if with_address else "",
        details=details or {},
    )
    db.session.add(event)
    db.session.flush()
    return event


def require_coordinator(viewer: User) -> None:
    if not viewer.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can read the audit log."))


def events_query(
    *,
    action: AuditAction | None = None,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> sa.Select:
    stmt = sa.select(AuditEvent).options(selectinload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action is not None:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if target_id is not None:
        stmt = stmt.where(AuditEvent.target_id == target_id)
    if since is not None:
        stmt = stmt.where(AuditEvent.occurred_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.occurred_at < until)
    return stmt


CSV_COLUMNS = ("id", "occurred_at_utc", "actor_id", "actor", "action", "target_type", "target_id", "ip_address")


def events_csv(events) -> str:
    return csv_text(
        (*CSV_COLUMNS, "details"),
        (
            (
                e.id,
                e.occurred_at.isoformat(),
                e.actor_id or "",
                e.actor.display_name if e.actor else "",
                e.action.value,
                e.target_type,
                e.target_id if e.target_id is not None else "",
                e.ip_address,
                ";".join(f"{k}={v}" for k, v in sorted(e.details.items())),
            )
            for e in events
        ),
    )
