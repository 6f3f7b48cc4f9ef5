"""'My data': everything held about one person, as a ZIP of JSON and CSV files with a README.

Requested on My account or the API, made in the background by `run_due_data_exports`."""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import ApiToken, ConsentRecord, Invitation, User, UserSession
from engage.consultations.models import Consultation
from engage.csvutil import csv_text
from engage.delphi.models import DelphiRating, DelphiResponse, DelphiRound, DelphiRoundItem, DelphiSurvey
from engage.errors import DomainError, NotFound
from engage.extensions import db
from engage.i18n import localized_text
from engage.messages import N_
from engage.minutes.models import ExportState, MinutesComment
from engage.notifications.models import Notification
from engage.participation.models import Comment, Registration
from engage.privacy.models import DataExport
from engage.timeutil import utcnow
from engage.workshops.models import Workshop


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _profile(user: User) -> list[dict]:
    return [
        {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "organisation": user.organisation,
            "region": user.region,
            "category": user.category.value,
            "locale": user.locale,
            "timezone": user.timezone,
            "created_at_utc": _iso(user.created_at),
            "last_login_at_utc": _iso(user.last_login_at),
            "has_calendar_feed": user.calendar_token_hash is not None,
            "led_working_group_ids": ";".join(str(wg.id) for wg in user.led_working_groups),
        }
    ]


def _consents(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.given_at)
    )
    return [
        {
            "purpose": r.purpose.value,
            "text_version": r.text_version,
            "given_at_utc": _iso(r.given_at),
            "withdrawn_at_utc": _iso(r.withdrawn_at),
        }
        for r in rows
    ]


def _registrations(user: User) -> list[dict]:
    rows = db.session.execute(
        sa.select(Registration, Workshop)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.user_id == user.id)
        .order_by(Registration.created_at)
    )
    return [
        {
            "workshop_id": r.workshop_id,
            "workshop": localized_text(workshop, "title"),
            "status": r.status.value,
            "attended": r.status.value == "attended",
            "registered_at_utc": _iso(r.created_at),
            "confirmed_at_utc": _iso(r.confirmed_at),
            "cancelled_at_utc": _iso(r.cancelled_at),
        }
        for r, workshop in rows
    ]


def _comments(user: User) -> list[dict]:
    rows = db.session.scalars(sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.created_at))
    titles = {
        row.id: localized_text(row, "title")
        for row in db.session.execute(sa.select(Consultation.id, Consultation.title, Consultation.title_zh))
    }
    return [
        {
            "id": c.id,
            "on": "workshop" if c.workshop_id else "consultation",
            "workshop_id": c.workshop_id,
            "consultation_id": c.consultation_id,
            "subject": localized_text(c.workshop, "title") if c.workshop else titles.get(c.consultation_id, ""),
            "body": c.body,
            "language": c.language or "",
            "created_at_utc": _iso(c.created_at),
            "edited_at_utc": _iso(c.edited_at),
            "deleted_at_utc": _iso(c.deleted_at),
            "hidden_reason": c.hidden_reason or "",
        }
        for c in rows
    ]


def _minutes_comments(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(MinutesComment).where(MinutesComment.author_id == user.id).order_by(MinutesComment.created_at)
    )
    return [
        {
            "id": c.id,
            "minutes_id": c.minutes_id,
            "body": c.body,
            "language": c.language or "",
            "created_at_utc": _iso(c.created_at),
        }
        for c in rows
    ]


def _delphi_ratings(user: User) -> list[dict]:
    rows = db.session.execute(
        sa.select(DelphiRating, DelphiRound.number, DelphiSurvey.title, DelphiRoundItem.text, DelphiResponse.status)
        .join(DelphiResponse, DelphiResponse.id == DelphiRating.response_id)
        .join(DelphiRound, DelphiRound.id == DelphiRating.round_id)
        .join(DelphiSurvey, DelphiSurvey.id == DelphiRound.survey_id)
        .join(
            DelphiRoundItem,
            sa.and_(DelphiRoundItem.round_id == DelphiRating.round_id, DelphiRoundItem.item_id == DelphiRating.item_id),
        )
        .where(DelphiRating.panellist_id == user.id)
        .order_by(DelphiSurvey.id, DelphiRound.number, DelphiRoundItem.position)
    )
    return [
        {
            "survey": survey,
            "round": number,
            "item_id": r.item_id,
            "item": text,
            "rating": r.value,
            "cannot_rate": r.is_cannot_rate,
            "rationale": r.rationale,
            "response_status": status.value,
            "updated_at_utc": _iso(r.updated_at),
        }
        for r, number, survey, text, status in rows
    ]


def _notifications(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.created_at)
    )
    return [
        {
            "kind": n.kind.value,
            "subject": n.subject,
            "body": n.body_text,
            "state": n.state.value,
            "created_at_utc": _iso(n.created_at),
            "sent_at_utc": _iso(n.sent_at),
            "read_at_utc": _iso(n.read_at),
        }
        for n in rows
    ]


def _invitations_sent(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Invitation).where(Invitation.created_by_id == user.id).order_by(Invitation.created_at)
    )
    return [
        {
            "id": i.id,
            "email": i.email,
            "role": i.role.value,
            "working_group_id": i.working_group_id,
            "created_at_utc": _iso(i.created_at),
            "expires_at_utc": _iso(i.expires_at),
            "accepted_at_utc": _iso(i.accepted_at),
            "revoked_at_utc": _iso(i.revoked_at),
        }
        for i in rows
    ]


def _access(user: User) -> list[dict]:
    sessions = db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id))
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    return [
        {
            "kind": "browser session",
            "name": s.user_agent,
            "ip_address": s.ip_address,
            "created_at_utc": _iso(s.created_at),
            "last_seen_at_utc": _iso(s.last_seen_at),
            "ended_at_utc": _iso(s.revoked_at),
        }
        for s in sessions
    ] + [
        {
            "kind": "API token",
            "name": t.name,
            "ip_address": "",
            "created_at_utc": _iso(t.created_at),
            "last_seen_at_utc": None,
            "ended_at_utc": _iso(t.revoked_at or t.expires_at),
        }
        for t in tokens
    ]


# (file name without extension, what it holds, how to read it): the README names each file from this list.
PARTS: list[tuple[str, Callable[[User], list[dict]], str]] = [
    ("profile", _profile, N_("Your account: name, e-mail, role, organisation, region, category, language, time zone.")),
    ("consents", _consents, N_("Every consent you gave or withdrew, with the version of the text you saw.")),
    ("registrations", _registrations, N_("Your workshop registrations and whether you attended.")),
    ("comments", _comments, N_("Your comments on workshops and consultations (including deleted or hidden ones).")),
    ("minutes_comments", _minutes_comments, N_("Your comments on draft workshop minutes.")),
    ("delphi_ratings", _delphi_ratings, N_("Your own Delphi ratings and rationales, per survey, round and item.")),
    ("notifications", _notifications, N_("The messages Engage sent you.")),
    ("invitations_sent", _invitations_sent, N_("The invitations you sent to other people.")),
    ("sign_ins", _access, N_("Your browser sessions and API tokens (never their secrets).")),
]


def _readme(user: User, now: datetime) -> str:
    lines = [
        _("Your data from Engage"),
        "",
        _("Made on %(when)s (UTC) for account %(id)d.", when=now.strftime("%Y-%m-%d %H:%M"), id=user.id),
        _("Each part is given twice: as JSON (exact types) and as CSV (for spreadsheets). Times are in UTC."),
        "",
    ]
    for name, _fn, description in PARTS:
        lines.append(f"{name}.json, {name}.csv: {_(description)}")
    lines += [
        "",
        _(
            "Group results of Delphi surveys and workshop minutes are not personal data and are not included; "
            "your own ratings are."
        ),
    ]
    return "\n".join(lines) + "\n"


def build_zip(user: User, *, now: datetime, progress: Callable[[int], None] | None = None) -> bytes:
    """The ZIP of every part; `progress(n)` is told after each part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (name, collect, _description) in enumerate(PARTS, start=1):
            rows = collect(user)
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            header = list(rows[0]) if rows else ["(no rows)"]
            archive.writestr(f"{name}.csv", csv_text(header, ([row[k] for k in header] for row in rows)))
            if progress:
                progress(done)
        archive.writestr("README.txt", _readme(user, now))
    return buffer.getvalue()


def export_ttl() -> timedelta:
    return timedelta(days=current_app.config["ENGAGE_DATA_EXPORT_TTL_DAYS"])


def request_data_export(*, actor: User, locale: str, now: datetime | None = None) -> DataExport:
    """Queue an export of the actor's own data (one at a time: a queued or running one is returned)."""
    now = now or utcnow()
    pending = db.session.scalar(
        sa.select(DataExport).where(
            DataExport.user_id == actor.id, DataExport.state.in_((ExportState.QUEUED, ExportState.RUNNING))
        )
    )
    if pending is not None:
        return pending
    job = DataExport(user_id=actor.id, locale=locale, progress_total=len(PARTS), created_at=now)
    db.session.add(job)
    db.session.flush()
    audit(AuditAction.DATA_EXPORT_REQUESTED, actor=actor, target_type="data_export", target_id=job.id, now=now)
    return job


def data_export_for(job_id: int, viewer: User) -> DataExport:
    """The export, for the person it is about alone (404 for anyone else, coordinators included)."""
    job = db.session.get(DataExport, job_id)
    if job is None or job.user_id != viewer.id:
        raise NotFound(_("Export not found."))
    return job


def downloadable_key(job: DataExport, *, actor: User, now: datetime | None = None) -> str:
    now = now or utcnow()
    if not job.is_downloadable(now):
        raise DomainError(_("This export is not ready or has expired."), code="export_unavailable", status=409)
    audit(AuditAction.DATA_EXPORT_DOWNLOADED, actor=actor, target_type="data_export", target_id=job.id, now=now)
    return job.storage_key


def data_exports_query(viewer: User) -> sa.Select:
    return sa.select(DataExport).where(DataExport.user_id == viewer.id).order_by(DataExport.id.desc()).limit(10)
