"""Taking a person who erased their account out of approved minutes: a correction version without them."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from engage.extensions import db
from engage.minutes.models import (
    Minutes,
    MinutesActionItem,
    MinutesDecision,
    MinutesEvent,
    MinutesEventKind,
    MinutesSection,
    MinutesVersion,
)
from engage.minutes.pdf import clear_pdf_cache
from engage.minutes.services.content import content_hash

CORRECTION_NOTE = "Privacy correction: a participant who erased their account is no longer named."


def _is_named_attendee(value, name: str) -> bool:
    return isinstance(value, dict) and set(value) == {"name", "organisation"} and value["name"] == name


def _without(value, name: str, replacement: str):
    """The content with every mention of `name` gone: their attendee entry dropped (they stay counted),
    any other text naming them reworded."""
    if isinstance(value, dict):
        return {k: _without(v, name, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, name, replacement) for v in value if not _is_named_attendee(v, name)]
    if isinstance(value, str) and name in value:
        return value.replace(name, replacement)
    return value


def remove_person_from_minutes(name: str, *, now) -> int:
    """For every minutes whose approved versions name `name`: every version's stored content loses the name,
    the earlier versions are withdrawn (no longer served), and a new correction version takes their place
    (published if the minutes were). Returns the number of minutes corrected."""
    if not name.strip():
        return 0
    candidates = db.session.scalars(
        sa.select(Minutes).where(Minutes.versions.any()).options(selectinload(Minutes.versions))
    ).all()
    corrected = 0
    replacement = str(_l("a former participant"))
    for minutes in candidates:
        if not any(name in repr(v.content) for v in minutes.versions):
            continue
        latest = minutes.latest_version
        for version in minutes.versions:
            version.content = _without(version.content, name, replacement)
            version.content_hash = content_hash(version.content)
            version.withdrawn_at = version.withdrawn_at or now
        correction = MinutesVersion(
            number=latest.number + 1,
            content=latest.content,
            content_hash=latest.content_hash,
            approved_at=now,
            approved_by_id=latest.approved_by_id,
            change_note=CORRECTION_NOTE,
        )
        minutes.versions.append(correction)
        if minutes.published_version_number is not None:
            minutes.published_version_number = correction.number
        db.session.add(
            MinutesEvent(
                minutes_id=minutes.id,
                kind=MinutesEventKind.APPROVED,
                actor_id=None,
                version_number=correction.number,
                details=CORRECTION_NOTE,
                created_at=now,
            )
        )
        corrected += 1
    _reword_drafts(name, replacement)
    db.session.flush()
    if corrected:
        clear_pdf_cache()
    return corrected


def _reword_drafts(name: str, replacement: str) -> None:
    """The editable text (the next version's source) stops naming the person too."""
    columns = (
        (MinutesSection, ("discussion", "discussion_html")),
        (MinutesDecision, ("text", "text_html")),
        (MinutesActionItem, ("description", "description_html", "owner")),
    )
    for model, names in columns:
        for column_name in names:
            column = getattr(model, column_name)
            db.session.execute(
                sa.update(model)
                .where(column.contains(name, autoescape=True))
                .values({column_name: sa.func.replace(column, name, replacement)})
                .execution_options(synchronize_session=False)
            )
