"""The frozen content of approved minutes, its hash, and the links to priorities."""

import hashlib
import json
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engage.auth.models import ConsentPurpose, User
from engage.auth.services import has_consent
from engage.extensions import db
from engage.minutes.models import (
    Minutes,
    MinutesLink,
    MinutesStatus,
)
from engage.participation.models import Registration, RegistrationStatus
from engage.priorities.models import Priority
from engage.workshops.models import Workshop

# --- the frozen content ---------------------------------------------------------------------------


def attendees(workshop: Workshop) -> dict:
    """Who attended: names of those who consented to be named; the others only counted, by
    stakeholder category and region group (codes, translated when shown)."""
    users = db.session.scalars(
        sa.select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.ATTENDED)
        .options(selectinload(User.consents))
        .order_by(User.display_name)
    ).all()
    named = [u for u in users if has_consent(u, ConsentPurpose.NAMED_IN_MINUTES)]
    return {
        "total": len(users),
        "named": [{"name": u.display_name, "organisation": u.organisation} for u in named],
        "by_category": dict(sorted(Counter(u.category.value for u in users).items())),
        "by_region": dict(sorted(Counter(u.region_group.value for u in users).items())),
    }


def _priority_entry(priority: Priority) -> dict:
    stats = (priority.final_statistics or {}).get("statistics") or {}
    return {
        "id": priority.id,
        "code": f"P-{priority.id}",
        "text": priority.text,
        "text_zh": priority.text_zh,
        "pillar_number": priority.pillar.number,
        "round": (priority.final_statistics or {}).get("round"),
        "statistics": {
            k: stats.get(k) for k in ("n_valid", "agreement_percent", "median", "iqr") if stats.get(k) is not None
        },
    }


def _code(sub_topic) -> str:
    return f"{sub_topic.theme.working_group.pillar.number}.{sub_topic.theme.position}.{sub_topic.letter}"


def snapshot(minutes: Minutes) -> dict:
    """The complete, language-neutral content of the minutes as approved."""
    workshop = minutes.workshop
    links = db.session.scalars(sa.select(MinutesLink).where(MinutesLink.minutes_id == minutes.id)).all()
    priority_ids = sorted({link.priority_id for link in links if link.priority_id is not None})
    sub_topics = sorted({_code(link.sub_topic): link.sub_topic for link in links if link.sub_topic}.items())
    priorities = db.session.scalars(
        sa.select(Priority).where(Priority.id.in_(priority_ids)).order_by(Priority.id)
    ).all()
    return {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "title_zh": workshop.title_zh,
            "round": workshop.round,
            "working_group": workshop.working_group.name,
            "working_group_zh": workshop.working_group.name_zh,
            "pillar_number": workshop.working_group.pillar.number,
            "pillar_name": workshop.working_group.pillar.name,
            "pillar_name_zh": workshop.working_group.pillar.name_zh,
            "timezone": workshop.timezone,
            "starts_at": workshop.starts_at.isoformat(),
            "ends_at": workshop.ends_at.isoformat(),
            "venue": workshop.venue,
            "is_online": bool(workshop.video_url),
        },
        "attendees": attendees(workshop),
        "sections": [
            {
                "title": s.title,
                "discussion": s.discussion,
                "discussion_html": s.discussion_html,
                "decisions": [{"text": d.text, "html": d.text_html} for d in s.decisions],
                "actions": [
                    {
                        "description": a.description,
                        "html": a.description_html,
                        "owner": a.owner,
                        "due_on": a.due_on.isoformat() if a.due_on else None,
                        "status": a.status.value,
                    }
                    for a in s.actions
                ],
            }
            for s in minutes.sections
        ],
        "priorities": [_priority_entry(p) for p in priorities],
        "sub_topics": [{"code": code, "name": s.name, "name_zh": s.name_zh} for code, s in sub_topics],
    }


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


# --- traceability ---------------------------------------------------------------------------------


def links_to_priority(priority: Priority, viewer: User | None) -> list[MinutesLink]:
    """Every discussion, decision and action linked to a priority, in minutes the viewer may read."""
    from engage.minutes.permissions import can_read_current

    links = db.session.scalars(
        sa.select(MinutesLink)
        .where(MinutesLink.priority_id == priority.id)
        .join(Minutes, Minutes.id == MinutesLink.minutes_id)
        .join(Workshop, Workshop.id == Minutes.workshop_id)
        .order_by(Workshop.starts_at, MinutesLink.id)
        .options(
            selectinload(MinutesLink.minutes).selectinload(Minutes.workshop),
            selectinload(MinutesLink.section),
            selectinload(MinutesLink.decision),
            selectinload(MinutesLink.action_item),
        )
    ).all()
    return [
        link
        for link in links
        if link.minutes.status is MinutesStatus.PUBLISHED or can_read_current(viewer, link.minutes)
    ]


def linked_priority_ids(minutes: Minutes) -> list[int]:
    ids = db.session.scalars(
        sa.select(MinutesLink.priority_id).where(
            MinutesLink.minutes_id == minutes.id, MinutesLink.priority_id.is_not(None)
        )
    )
    return sorted(set(ids))
