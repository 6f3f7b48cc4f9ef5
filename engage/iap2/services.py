"""Activity design profiles, the feedback promise, briefings."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from engage.auth.models import Role, User
from engage.errors import DomainError, NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.iap2.activities import ActivityInfo, can_view_activity, load_activities, load_activity
from engage.iap2.classifier import Design, classify
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityDesign, ActivityKind, Briefing, BriefingChannel, FeedbackNote
from engage.text import render_markdown
from engage.timeutil import is_valid_zone, localize, utcnow
from engage.workshops.models import WorkingGroup
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import EARLIEST_YEAR, LATEST_YEAR

FEEDBACK_MAX_LENGTH = 20000


def can_manage_activity(user: User | None, info: ActivityInfo) -> bool:
    """The organisers: the working group's leads and coordinators (only coordinators without a group)."""
    if info.working_group_id is None:
        return bool(user is not None and user.is_authenticated and user.is_coordinator)
    return can_manage_working_group(user, info.working_group_id)


def activity_or_404(kind: ActivityKind, activity_id: int, *, viewer: User | None) -> ActivityInfo:
    """The activity, or 404 also when the viewer may not know it exists (a private consultation)."""
    info = load_activity(kind, activity_id)
    if info is None or not can_view_activity(viewer, info):
        raise NotFound(_("Activity not found."))
    return info


def design_of(kind: ActivityKind, activity_id: int) -> ActivityDesign | None:
    return db.session.scalar(
        sa.select(ActivityDesign)
        .where(ActivityDesign.activity_kind == kind, ActivityDesign.activity_id == activity_id)
        .options(selectinload(ActivityDesign.feedback_note))
    )


def flag_text(design: ActivityDesign) -> str | None:
    """The overclaim warning, e.g. "declared Collaborate, design supports Consult"."""
    if not design.is_declared_above_derived:
        return None
    return _(
        "declared %(declared)s, design supports %(derived)s",
        declared=design.declared_level.label,
        derived=design.derived_level.label,
    )


def save_design(info: ActivityInfo, *, actor: User, data: dict, now: datetime | None = None) -> ActivityDesign:
    """Record the organiser's answers and declared level; derive the level with the classifier."""
    if not can_manage_activity(actor, info):
        raise PermissionDenied(_("Only the activity's organisers can set its IAP2 design."))
    now = now or utcnow()
    design = design_of(info.kind, info.id)
    if design is None:
        design = ActivityDesign(activity_kind=info.kind, activity_id=info.id, created_at=now)
        try:
            # A savepoint: if another request created the profile meanwhile, update that one.
            with db.session.begin_nested():
                _apply(design, info, actor, data, now)
                db.session.add(design)
        except IntegrityError:
            design = design_of(info.kind, info.id)
            if design is None:
                raise
    _apply(design, info, actor, data, now)
    db.session.flush()
    return design


def _apply(design: ActivityDesign, info: ActivityInfo, actor: User, data: dict, now: datetime) -> None:
    answers = Design(
        input_sought=data["input_sought"],
        iterative_throughout=data["iterative_throughout"],
        shape_alternatives=data["shape_alternatives"],
        decision_delegated=data["decision_delegated"],
    )
    design.is_input_sought = answers.input_sought
    design.is_iterative_throughout = answers.iterative_throughout
    design.is_shaping_alternatives = answers.shape_alternatives
    design.is_decision_delegated = answers.decision_delegated
    design.declared_level = data.get("declared_level")
    design.derived_level = classify(answers)[0]
    design.working_group_id = info.working_group_id
    design.updated_by_id = actor.id
    design.updated_at = now


def feedback_due_days() -> int:
    return current_app.config["ENGAGE_IAP2_FEEDBACK_DUE_DAYS"]


def feedback_due_at(info: ActivityInfo, due_days: int | None = None) -> datetime | None:
    if info.ends_at is None:
        return None
    return info.ends_at + timedelta(days=feedback_due_days() if due_days is None else due_days)


def publish_feedback(
    design: ActivityDesign, info: ActivityInfo, *, actor: User, body: str, now: datetime | None = None
) -> FeedbackNote:
    """Publish (or correct) the "what we heard, what we did" note that keeps the activity's promise."""
    if not can_manage_activity(actor, info):
        raise PermissionDenied(_("Only the activity's organisers can publish its feedback note."))
    if not design.owes_feedback:
        raise DomainError(_("An Inform activity promises no feedback; there is no note to publish."), code="no_promise")
    body = (body or "").strip()
    if not body:
        raise ValidationError(
            _("Some fields are not valid."), errors={"body": [_("Write what you heard and what you did.")]}
        )
    if len(body) > FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            _("Some fields are not valid."), errors={"body": [_("At most %(n)d characters.", n=FEEDBACK_MAX_LENGTH)]}
        )
    now = now or utcnow()
    note = design.feedback_note
    if note is None:
        note = FeedbackNote(design=design, published_at=now)
        db.session.add(note)
    else:
        note.updated_at = now
    note.body = body
    note.body_html = render_markdown(body)
    note.published_by_id = actor.id
    db.session.flush()
    return note


@dataclass(frozen=True)
class OverduePromise:
    design: ActivityDesign
    activity: ActivityInfo
    due_at: datetime


def overdue_promises(*, actor: User, now: datetime | None = None, due_days: int | None = None) -> list[OverduePromise]:
    """Activities that owe feedback, are past their due date and have no note: the owner's, or all."""
    if actor.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators see overdue promises."))
    now = now or utcnow()
    stmt = (
        sa.select(ActivityDesign)
        .outerjoin(FeedbackNote, FeedbackNote.design_id == ActivityDesign.id)
        .where(FeedbackNote.id.is_(None))
        .where(
            sa.or_(
                ActivityDesign.derived_level != IAP2Level.INFORM,
                sa.and_(ActivityDesign.declared_level.is_not(None), ActivityDesign.declared_level != IAP2Level.INFORM),
            )
        )
        .order_by(ActivityDesign.id)
    )
    if not actor.is_coordinator:
        stmt = stmt.where(ActivityDesign.working_group_id.in_([wg.id for wg in actor.led_working_groups]))
    designs = [d for d in db.session.scalars(stmt) if d.owes_feedback]
    infos = load_activities((d.activity_kind, d.activity_id) for d in designs)
    overdue = []
    for design in designs:
        info = infos.get((design.activity_kind, design.activity_id))
        if info is None or info.is_cancelled:
            continue
        due_at = feedback_due_at(info, due_days)
        if due_at is not None and due_at < now:
            overdue.append(OverduePromise(design, info, due_at))
    overdue.sort(key=lambda p: p.due_at)
    return overdue


def promise_status(design: ActivityDesign | None, info: ActivityInfo, now: datetime) -> str:
    """not_owed · kept · overdue · pending, for the activity page."""
    if design is None or not design.owes_feedback or info.is_cancelled:
        return "not_owed"
    if design.feedback_note is not None:
        return "kept"
    due_at = feedback_due_at(info)
    return "overdue" if due_at is not None and due_at < now else "pending"


def create_briefing(*, actor: User, data: dict, now: datetime | None = None) -> Briefing:
    """A one-way briefing of a working group; its design profile starts as Inform."""
    working_group_id = data["working_group_id"]
    if db.session.get(WorkingGroup, working_group_id) is None:
        raise ValidationError(
            _("Some fields are not valid."), errors={"working_group_id": [_("Choose a working group.")]}
        )
    if not can_manage_working_group(actor, working_group_id):
        raise PermissionDenied(_("You can only add briefings for a working group you lead."))
    title = data["title"].strip()
    if not title:
        raise ValidationError(_("Some fields are not valid."), errors={"title": [_("Enter a title.")]})
    zone = data.get("timezone") or "UTC"
    if not is_valid_zone(zone):
        raise ValidationError(
            _("Some fields are not valid."), errors={"timezone": [_("Choose a valid IANA time zone.")]}
        )
    if not EARLIEST_YEAR <= data["held_at"].year <= LATEST_YEAR:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"held_at": [_("Enter a date between the years %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR)]},
        )
    held_at = localize(data["held_at"], zone)
    now = now or utcnow()
    briefing = Briefing(
        working_group_id=working_group_id,
        title=title,
        held_at=held_at,
        channel=data.get("channel") or BriefingChannel.OTHER,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(briefing)
    db.session.flush()
    info = ActivityInfo(ActivityKind.BRIEFING, briefing.id, briefing.title, working_group_id, held_at)
    save_design(
        info,
        actor=actor,
        data={
            "input_sought": False,
            "iterative_throughout": False,
            "shape_alternatives": False,
            "decision_delegated": False,
            "declared_level": None,
        },
        now=now,
    )
    return briefing


def briefings_query(working_group_id: int | None = None) -> sa.Select:
    stmt = (
        sa.select(Briefing)
        .order_by(Briefing.held_at.desc(), Briefing.id.desc())
        .options(selectinload(Briefing.working_group))
    )
    if working_group_id is not None:
        stmt = stmt.where(Briefing.working_group_id == working_group_id)
    return stmt
