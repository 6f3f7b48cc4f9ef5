"""Roadmap actions: coordinators create, edit and merge them; the roadmap is Table 1 built from them."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.apiutil import one_language_required
from engage.auth.models import User
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import localized_text
from engage.priorities.models import Priority
from engage.roadmap.models import RoadmapAction, roadmap_action_priorities
from engage.text import render_markdown
from engage.timeutil import utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup

MAX_PRIORITIES = 100


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change roadmap actions."))


def _invalid(errors: dict) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors=errors)


def _priorities(ids: list[int], errors: dict) -> list[Priority]:
    ids = list(dict.fromkeys(ids or []))
    if len(ids) > MAX_PRIORITIES:
        errors["priority_ids"] = [_("At most %(n)d priorities.", n=MAX_PRIORITIES)]
        return []
    found = db.session.scalars(sa.select(Priority).where(Priority.id.in_(ids)).order_by(Priority.id)).all()
    if len(found) != len(ids):
        missing = sorted(set(ids) - {p.id for p in found})
        errors["priority_ids"] = [_("No such priority: %(refs)s.", refs=", ".join(f"P-{n}" for n in missing))]
    return list(found)


def _apply(action: RoadmapAction, data: dict, errors: dict) -> None:
    if "sub_topic_id" in data:
        sub_topic = db.session.get(SubTopic, data["sub_topic_id"])
        if sub_topic is None:
            errors["sub_topic_id"] = [_("Choose a sub-topic of the codebook.")]
        else:
            action.sub_topic = sub_topic
    for field in ("title", "title_zh"):
        if field in data:
            setattr(action, field, (data[field] or "").strip())
    if "title" in data or "title_zh" in data:
        one_language_required(
            {"title": action.title, "title_zh": action.title_zh},
            "title",
            _("Write a title in English or in Chinese (or both)."),
            errors,
        )
    if "description" in data:
        action.description = (data["description"] or "").strip()
        action.description_html = render_markdown(action.description)
    if "description_zh" in data:
        action.description_zh = (data["description_zh"] or "").strip()
        action.description_html_zh = render_markdown(action.description_zh)
    if "priority_ids" in data:
        action.priorities = _priorities(data["priority_ids"], errors)


def create_action(*, actor: User, data: dict, now: datetime | None = None) -> RoadmapAction:
    now = now or utcnow()
    _require_coordinator(actor)
    action = RoadmapAction(
        created_by_id=actor.id, created_at=now, updated_at=now, title="", title_zh="", description="", description_zh=""
    )
    errors: dict = {}
    _apply(action, {"priority_ids": [], "title": "", **data}, errors)
    if errors:
        raise _invalid(errors)
    db.session.add(action)
    db.session.flush()
    return action


def update_action(action: RoadmapAction, *, actor: User, data: dict, now: datetime | None = None) -> RoadmapAction:
    _require_coordinator(actor)
    if action.is_merged:
        raise DomainError(_("This action was merged into another one and can no longer change."), code="merged")
    errors: dict = {}
    _apply(action, data, errors)
    if errors:
        raise _invalid(errors)
    action.updated_at = now or utcnow()
    db.session.flush()
    return action


def merge_actions(
    target: RoadmapAction, *, actor: User, source_ids: list[int], now: datetime | None = None
) -> RoadmapAction:
    """Merge other actions into ``target``: it takes over their priorities; they stay, marked as merged."""
    now = now or utcnow()
    _require_coordinator(actor)
    ids = [i for i in dict.fromkeys(source_ids) if i != target.id]
    sources = db.session.scalars(sa.select(RoadmapAction).where(RoadmapAction.id.in_(ids))).all() if ids else []
    if not ids or len(sources) != len(ids) or any(s.is_merged for s in sources) or target.is_merged:
        raise _invalid({"source_ids": [_("Choose other actions that are not merged yet.")]})
    for source in sources:
        target.priorities.extend(p for p in source.priorities if p not in target.priorities)
        source.merged_into_id = target.id
        source.updated_at = now
    target.priorities.sort(key=lambda p: p.id)
    target.updated_at = now
    db.session.flush()
    return target


def actions_query(*, include_merged: bool = False) -> sa.Select:
    stmt = (
        sa.select(RoadmapAction)
        .join(RoadmapAction.sub_topic)
        .join(SubTopic.theme)
        .join(WorkingGroup, Theme.working_group_id == WorkingGroup.id)
        .join(Pillar, WorkingGroup.pillar_id == Pillar.id)
        .order_by(Pillar.number, Theme.position, SubTopic.letter, RoadmapAction.id)
        .options(
            selectinload(RoadmapAction.priorities).selectinload(Priority.pillar),
            selectinload(RoadmapAction.sub_topic)
            .selectinload(SubTopic.theme)
            .selectinload(Theme.working_group)
            .selectinload(WorkingGroup.pillar),
        )
    )
    return stmt if include_merged else stmt.where(RoadmapAction.merged_into_id.is_(None))


def roadmap_table() -> list[dict]:
    """Table 1: pillars › themes › sub-topics, each with its (unmerged) actions."""
    actions: dict[int, list[RoadmapAction]] = {}
    for action in db.session.scalars(actions_query()).all():
        actions.setdefault(action.sub_topic_id, []).append(action)
    pillars = db.session.scalars(
        sa.select(Pillar)
        .order_by(Pillar.number)
        .options(selectinload(Pillar.working_group).selectinload(WorkingGroup.themes).selectinload(Theme.sub_topics))
    ).all()
    return [
        {
            "pillar": pillar,
            "themes": [
                {
                    "theme": theme,
                    "sub_topics": [{"sub_topic": s, "actions": actions.get(s.id, [])} for s in theme.sub_topics],
                }
                for theme in (pillar.working_group.themes if pillar.working_group else [])
            ],
        }
        for pillar in pillars
    ]


def action_titles_by_priority(priority_ids: list[int]) -> dict[int, list[str]]:
    """The roadmap actions each priority fed, as "code title" strings (the title in the reader's language)."""
    if not priority_ids:
        return {}
    rows = db.session.execute(
        sa.select(roadmap_action_priorities.c.priority_id, RoadmapAction)
        .join(RoadmapAction, RoadmapAction.id == roadmap_action_priorities.c.roadmap_action_id)
        .where(roadmap_action_priorities.c.priority_id.in_(priority_ids), RoadmapAction.merged_into_id.is_(None))
        .order_by(RoadmapAction.id)
    ).all()
    result: dict[int, list[str]] = {}
    for priority_id, action in rows:
        result.setdefault(priority_id, []).append(f"{action.code} {localized_text(action, 'title')}")
    return result


def actions_for_priority(priority: Priority) -> list[RoadmapAction]:
    return list(
        db.session.scalars(actions_query().where(RoadmapAction.priorities.any(Priority.id == priority.id))).all()
    )
