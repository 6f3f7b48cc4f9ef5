"""Priorities: created from Delphi consensus, reworded (audited) and coded by the working group's leads."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.apiutil import one_language_required
from engage.auth.models import User
from engage.errors import PermissionDenied, ValidationError
from engage.extensions import db
from engage.priorities.models import Priority, PriorityEdit
from engage.timeutil import utcnow
from engage.workshops.models import SubTopic, Theme, WorkingGroup
from engage.workshops.permissions import can_manage_working_group


def _sub_topics(pillar_id: int, ids: list[int]) -> list[SubTopic]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    found = db.session.scalars(
        sa.select(SubTopic)
        .join(Theme)
        .join(WorkingGroup, Theme.working_group_id == WorkingGroup.id)
        .where(SubTopic.id.in_(ids), WorkingGroup.pillar_id == pillar_id)
    ).all()
    if len(found) != len(ids):
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"sub_topic_ids": [_("Choose sub-topics of this priority's pillar.")]},
        )
    return list(found)


def create_priority(
    *,
    pillar_id: int,
    text: str,
    sub_topic_ids: list[int],
    source_delphi_item_id: int | None = None,
    final_statistics: dict | None = None,
    now: datetime | None = None,
) -> Priority:
    """A priority (called when a Delphi survey is finalised; the caller has checked permissions)."""
    now = now or utcnow()
    priority = Priority(
        pillar_id=pillar_id,
        text=text,
        source_delphi_item_id=source_delphi_item_id,
        final_statistics=final_statistics,
        created_at=now,
        updated_at=now,
        sub_topics=_sub_topics(pillar_id, sub_topic_ids),
    )
    db.session.add(priority)
    db.session.flush()
    return priority


def _require_manager(priority: Priority, actor: User) -> None:
    group = priority.pillar.working_group
    if group is None or not can_manage_working_group(actor, group.id):
        raise PermissionDenied(_("Only the pillar's working-group lead or a coordinator can change this priority."))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > 1000 or "\x00" in reason:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"reason": [_("Say why, in at most 1,000 characters: changes are audited.")]},
        )
    return reason


def edit_priority(
    priority: Priority,
    *,
    actor: User,
    text: str | None = None,
    text_zh: str | None = None,
    add_sub_topic_ids: list[int] | None = None,
    reason: str,
    now: datetime | None = None,
) -> Priority:
    """Reword a priority (in either language) and/or add codebook codes; each change is recorded with who, when
    and why. A priority keeps a wording in at least one language."""
    now = now or utcnow()
    _require_manager(priority, actor)
    reason = _reason(reason)
    wordings = {"text": priority.text or "", "text_zh": priority.text_zh or ""}
    changed = {}
    for field, value in (("text", text), ("text_zh", text_zh)):
        if value is not None and value.strip() != wordings[field]:
            if "\x00" in value:
                raise ValidationError(_("Some fields are not valid."), errors={field: [_("Write the priority.")]})
            changed[field] = value.strip()
    errors: dict[str, list[str]] = {}
    one_language_required(
        wordings | changed, "text", _("Write the priority in English or in Chinese (or both)."), errors
    )
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    for field, value in changed.items():
        priority.edits.append(
            PriorityEdit(
                actor_id=actor.id,
                field=field,
                old_value=wordings[field],
                new_value=value,
                reason=reason,
                created_at=now,
            )
        )
        setattr(priority, field, value)
    new_codes = [s for s in _sub_topics(priority.pillar_id, add_sub_topic_ids or []) if s not in priority.sub_topics]
    if new_codes:
        before = ", ".join(str(s.id) for s in priority.sub_topics)
        priority.sub_topics.extend(new_codes)
        priority.edits.append(
            PriorityEdit(
                actor_id=actor.id,
                field="codes",
                old_value=before,
                new_value=", ".join(str(s.id) for s in priority.sub_topics),
                reason=reason,
                created_at=now,
            )
        )
    priority.updated_at = now
    db.session.flush()
    return priority


def priorities_query(pillar_id: int | None = None) -> sa.Select:
    stmt = (
        sa.select(Priority)
        .order_by(Priority.pillar_id, Priority.id)
        .options(
            selectinload(Priority.sub_topics)
            .selectinload(SubTopic.theme)
            .selectinload(Theme.working_group)
            .selectinload(WorkingGroup.pillar),
            selectinload(Priority.pillar),
        )
    )
    return stmt if pillar_id is None else stmt.where(Priority.pillar_id == pillar_id)
