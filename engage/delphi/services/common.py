"""Helpers shared by the Delphi services: permission checks, field errors, the audit trail."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import AuditAction, DelphiAuditEntry, DelphiRound, DelphiSurvey
from engage.delphi.permissions import can_manage_survey
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.workshops.models import SubTopic, Theme


def require_manager(survey: DelphiSurvey, actor: User) -> None:
    if not can_manage_survey(actor, survey):
        raise PermissionDenied(_("Only the working group's lead or a coordinator can manage this survey."))


def lock_survey(survey: DelphiSurvey) -> None:
    """Serialise changes to one survey's structure (row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE
    already does), then re-read it: two leads scheduling a round or finalising at once act one after
    the other, and the second sees what the first did."""
    db.session.execute(sa.select(DelphiSurvey.id).where(DelphiSurvey.id == survey.id).with_for_update())
    db.session.refresh(survey)


def require_not_finalised(survey: DelphiSurvey) -> None:
    if survey.is_finalised:
        raise DomainError(_("This survey has been finalised; it can no longer change."), code="survey_finalised")


def invalid(field: str, message: str) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors={field: [message]})


def audit(
    survey: DelphiSurvey,
    action: AuditAction,
    *,
    actor: User | None,
    now: datetime,
    round_id: int | None = None,
    item_id: int | None = None,
    reason: str = "",
    details: dict | None = None,
) -> DelphiAuditEntry:
    entry = DelphiAuditEntry(
        survey_id=survey.id,
        round_id=round_id,
        item_id=item_id,
        actor_id=actor.id if actor else None,
        action=action,
        reason=reason or "",
        details=details or {},
        created_at=now,
    )
    db.session.add(entry)
    return entry


def reject_nul(**values: str | list | None) -> None:
    """Refuse text with NUL characters (PostgreSQL cannot store them; no real text contains them)."""

    def has_nul(value) -> bool:
        texts = value if isinstance(value, list) else [value]
        return any(isinstance(text, str) and "\x00" in text for text in texts)

    errors = {
        name: [_("This text contains a character that is not allowed (NUL).")]
        for name, value in values.items()
        if value and has_nul(value)
    }
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)


def require_reason(reason: str | None) -> str:
    reject_nul(reason=reason)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("Say why: every change between rounds is audited with its reason."))
    if len(reason) > 1000:
        raise invalid("reason", _("Keep the reason under 1,000 characters."))
    return reason


def sub_topics_of(survey: DelphiSurvey, ids: list[int] | None) -> list[SubTopic]:
    """The codebook sub-topics with these ids, all of the survey's own working group."""
    ids = list(dict.fromkeys(ids or []))
    if not ids:
        return []
    found = db.session.scalars(
        sa.select(SubTopic).join(Theme).where(SubTopic.id.in_(ids), Theme.working_group_id == survey.working_group_id)
    ).all()
    if len(found) != len(ids):
        raise invalid("sub_topic_ids", _("Choose sub-topics from this working group's codebook."))
    return list(found)


def latest_round(survey: DelphiSurvey) -> DelphiRound | None:
    return db.session.scalar(
        sa.select(DelphiRound).where(DelphiRound.survey_id == survey.id).order_by(DelphiRound.number.desc()).limit(1)
    )


def round_by_number(survey: DelphiSurvey, number: int) -> DelphiRound | None:
    return db.session.scalar(
        sa.select(DelphiRound).where(DelphiRound.survey_id == survey.id, DelphiRound.number == number)
    )
