"""Consultations: opening one, who is in its audience, commenting in its window, the response note."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.apiutil import one_language_required
from engage.auth.models import User, working_group_leads
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationReference,
    ConsultationState,
    ReferenceKind,
    consultation_invitees,
)
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import localized
from engage.iap2 import services as iap2
from engage.iap2.activities import ActivityInfo
from engage.iap2.models import ActivityKind, FeedbackNote
from engage.minutes.models import Minutes
from engage.participation import services as participation
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.participation.services import check_author_window, post_comment, visible_comments_query
from engage.text import render_markdown
from engage.timeutil import is_valid_zone, localize, to_zone, utcnow
from engage.workshops.models import Pillar, WorkingGroup, Workshop
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import EARLIEST_YEAR, LATEST_YEAR

BODY_MAX_LENGTH = 50000
MAX_INVITEES = 500
MAX_REFERENCES = 20


def _invalid(errors: dict) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors=errors)


# --- who ---------------------------------------------------------------------------------------------


def can_manage(user: User | None, consultation: Consultation) -> bool:
    """The organisers: the working group's leads and the coordinators."""
    if user is None or not user.is_authenticated:
        return False
    if consultation.working_group_id is None:
        return user.is_coordinator
    return can_manage_working_group(user, consultation.working_group_id)


def _working_group_member_ids(working_group_id) -> sa.Select:
    """A working group's people: its leads and everyone holding or waiting for a seat at its workshops."""
    registered = (
        sa.select(Registration.user_id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Workshop.working_group_id == working_group_id, Registration.status != RegistrationStatus.CANCELLED)
    )
    leads = sa.select(working_group_leads.c.user_id).where(working_group_leads.c.working_group_id == working_group_id)
    return sa.union(registered, leads)


def audience_ids(consultation: Consultation) -> sa.Select:
    """The ids of the active people invited to comment, as a SELECT (resolved when asked)."""
    stmt = sa.select(User.id).where(User.is_active_account.is_(True))
    if consultation.audience is Audience.WORKING_GROUP:
        return stmt.where(User.id.in_(_working_group_member_ids(consultation.working_group_id)))
    if consultation.audience is Audience.LISTED:
        return stmt.where(
            User.id.in_(
                sa.select(consultation_invitees.c.user_id).where(
                    consultation_invitees.c.consultation_id == consultation.id
                )
            )
        )
    return stmt


def is_in_audience(user: User | None, consultation: Consultation) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(sa.select(audience_ids(consultation).where(User.id == user.id).exists())) or False


def can_view(user: User | None, consultation: Consultation) -> bool:
    """The audience and the organisers."""
    return can_manage(user, consultation) or is_in_audience(user, consultation)


def visible_query(user: User) -> sa.Select:
    """Consultations the person may see, latest closing first: all for a coordinator."""
    stmt = sa.select(Consultation).order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    if user.is_coordinator:
        return stmt
    led = [wg.id for wg in user.led_working_groups]
    registered_groups = (
        sa.select(Workshop.working_group_id)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED)
    )
    invited = sa.select(consultation_invitees.c.consultation_id).where(consultation_invitees.c.user_id == user.id)
    return stmt.where(
        sa.or_(
            Consultation.working_group_id.in_(led),
            Consultation.audience == Audience.EVERYONE,
            sa.and_(Consultation.audience == Audience.LISTED, Consultation.id.in_(invited)),
            sa.and_(
                Consultation.audience == Audience.WORKING_GROUP, Consultation.working_group_id.in_(registered_groups)
            ),
        )
    )


def activity_info(consultation: Consultation) -> ActivityInfo:
    return ActivityInfo(
        ActivityKind.CONSULTATION,
        consultation.id,
        localized(consultation, "title"),
        consultation.working_group_id,
        consultation.closes_at,
        endpoint="consultations.detail",
        endpoint_values={"consultation_id": consultation.id},
    )


# --- opening and changing -------------------------------------------------------------------------


def _check_year(errors: dict, field: str, naive: datetime) -> None:
    if not EARLIEST_YEAR <= naive.year <= LATEST_YEAR:
        errors.setdefault(field, []).append(
            _("Enter a date between the years %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR)
        )


def _references(items: list[dict], errors: dict) -> list[ConsultationReference]:
    references, seen = [], set()
    for item in items:
        kind = item["kind"]
        minutes_id = item.get("minutes_id") if kind is ReferenceKind.MINUTES else None
        pillar_id = item.get("pillar_id") if kind is ReferenceKind.PRIORITY_LIST else None
        if kind is ReferenceKind.MINUTES and (minutes_id is None or db.session.get(Minutes, minutes_id) is None):
            errors.setdefault("references", []).append(_("Unknown minutes: %(id)s.", id=minutes_id))
            continue
        if kind is ReferenceKind.PRIORITY_LIST and (pillar_id is None or db.session.get(Pillar, pillar_id) is None):
            errors.setdefault("references", []).append(_("Unknown pillar: %(id)s.", id=pillar_id))
            continue
        if (kind, minutes_id, pillar_id) in seen:
            continue
        seen.add((kind, minutes_id, pillar_id))
        references.append(ConsultationReference(kind=kind, minutes_id=minutes_id, pillar_id=pillar_id))
    return references


def _apply(consultation: Consultation, data: dict, errors: dict) -> None:
    """Check every field given (collecting all errors) and set them; the caller raises if any failed."""
    for field in ("title", "title_zh"):
        if field in data:
            setattr(consultation, field, (data[field] or "").strip())
    if "title" in data or "title_zh" in data:
        both = {"title": consultation.title, "title_zh": consultation.title_zh}
        one_language_required(both, "title", _("Enter a title in English or in Chinese (or both)."), errors)
    for field in ("body", "body_zh"):
        if field in data:
            body = (data[field] or "").strip()
            if len(body) > BODY_MAX_LENGTH:
                errors[field] = [_("At most %(n)d characters.", n=BODY_MAX_LENGTH)]
            setattr(consultation, field, body)
            setattr(consultation, field.replace("body", "body_html"), render_markdown(body))
    if ("body" in data or "body_zh" in data) and not errors.get("body") and not errors.get("body_zh"):
        both = {"body": consultation.body, "body_zh": consultation.body_zh}
        one_language_required(both, "body", _("Write the document to consult on, in English or in Chinese."), errors)
    zone = data.get("timezone", consultation.timezone)
    if not is_valid_zone(zone):
        errors["timezone"] = [_("Choose a valid IANA time zone.")]
    elif {"opens_at", "closes_at", "timezone"} & data.keys():
        # Wall-clock times in the zone; a time not given keeps its wall-clock value in the (new) zone.
        opens = data.get("opens_at") or to_zone(consultation.opens_at, consultation.timezone).replace(tzinfo=None)
        closes = data.get("closes_at") or to_zone(consultation.closes_at, consultation.timezone).replace(tzinfo=None)
        _check_year(errors, "opens_at", opens)
        _check_year(errors, "closes_at", closes)
        if not errors.get("opens_at") and not errors.get("closes_at"):
            opens_at, closes_at = localize(opens, zone), localize(closes, zone)
            if closes_at <= opens_at:
                errors["closes_at"] = [_("The consultation must close after it opens.")]
            else:
                consultation.timezone, consultation.opens_at, consultation.closes_at = zone, opens_at, closes_at
    if "references" in data:
        consultation.references = _references(data["references"], errors)
    audience = data.get("audience", consultation.audience)
    if audience is None:
        errors["audience"] = [_("Choose who is invited to comment.")]
    elif audience is Audience.WORKING_GROUP and consultation.working_group_id is None:
        errors["audience"] = [_("Choose the working group whose people are invited.")]
    if audience is Audience.LISTED:
        user_ids = data.get("user_ids")
        if user_ids is None and consultation.audience is not Audience.LISTED:
            user_ids = []
        if user_ids is not None:
            users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids))).all() if user_ids else []
            unknown = sorted(set(user_ids) - {u.id for u in users})
            if not user_ids:
                errors["user_ids"] = [_("List the people invited to comment.")]
            elif unknown:
                errors["user_ids"] = [_("Unknown user ids: %(ids)s.", ids=", ".join(map(str, unknown)))]
            consultation.invitees = sorted(users, key=lambda u: u.id)
    else:
        if data.get("user_ids"):
            errors["user_ids"] = [_("Only an audience of invited people takes a list of people.")]
        consultation.invitees = []
    consultation.audience = audience


def create_consultation(*, actor: User, data: dict, now: datetime | None = None) -> Consultation:
    """Open a consultation (for the lead's working group, or any for a coordinator).

    It starts with an IAP2 design profile of Consult (input sought), which the organiser may refine.
    """
    now = now or utcnow()
    working_group_id = data.get("working_group_id")
    if working_group_id is None:
        if not actor.is_coordinator:
            raise _invalid({"working_group_id": [_("Choose a working group you lead.")]})
    elif db.session.get(WorkingGroup, working_group_id) is None:
        raise _invalid({"working_group_id": [_("Choose a working group.")]})
    elif not can_manage_working_group(actor, working_group_id):
        raise PermissionDenied(_("You can only open consultations for a working group you lead."))
    data = {
        "title": None,
        "body": None,
        "timezone": None,
        "opens_at": None,
        "closes_at": None,
        "audience": None,
        **data,
    }
    consultation = Consultation(
        working_group_id=working_group_id,
        timezone="UTC",
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
        invitees=[],
    )
    errors: dict = {}
    with db.session.no_autoflush:
        consultation.opens_at = consultation.closes_at = now
        _apply(consultation, data, errors)
    if errors:
        raise _invalid(errors)
    db.session.add(consultation)
    db.session.flush()
    iap2.save_design(
        activity_info(consultation),
        actor=actor,
        now=now,
        data={
            "input_sought": True,
            "iterative_throughout": False,
            "shape_alternatives": False,
            "decision_delegated": False,
            "declared_level": None,
        },
    )
    return consultation


def update_consultation(
    consultation: Consultation, *, actor: User, data: dict, now: datetime | None = None
) -> Consultation:
    """Change a consultation before it opens; once people may have read it, the document stands."""
    if not can_manage(actor, consultation):
        raise PermissionDenied(_("Only the consultation's organisers can change it."))
    now = now or utcnow()
    if consultation.state(now) is not ConsultationState.SCHEDULED:
        raise DomainError(_("This consultation has opened; it can no longer be changed."), code="consultation_opened")
    errors: dict = {}
    with db.session.no_autoflush:
        _apply(consultation, data, errors)
    if errors:
        raise _invalid(errors)
    consultation.updated_at = now
    db.session.flush()
    return consultation


# --- comments -----------------------------------------------------------------------------------


def comments_query(consultation: Consultation) -> sa.Select:
    return visible_comments_query(consultation_id=consultation.id)


def _check_open(consultation: Consultation, now: datetime) -> None:
    state = consultation.state(now)
    if state is ConsultationState.SCHEDULED:
        raise DomainError(_("This consultation is not open for comments yet."), code="consultation_not_open")
    if state is ConsultationState.CLOSED:
        raise DomainError(
            _("This consultation has closed; comments are no longer accepted."), code="consultation_closed"
        )


def add_comment(consultation: Consultation, *, actor: User, body: str, now: datetime | None = None) -> Comment:
    """An audience member comments while the consultation is open (the one comment model and its rules)."""
    if not is_in_audience(actor, consultation):
        raise PermissionDenied(_("Only the people invited to this consultation can comment."))
    now = now or utcnow()
    _check_open(consultation, now)
    return post_comment(actor=actor, body=body, consultation_id=consultation.id, now=now)


def edit_comment(comment: Comment, *, actor: User, body: str, now: datetime | None = None) -> Comment:
    """Authors change their comment within the edit window, and only while the consultation is open."""
    now = now or utcnow()
    check_author_window(comment, actor, now)
    _check_open(db.session.get(Consultation, comment.consultation_id), now)
    return participation.edit_comment(comment, actor=actor, body=body, now=now)


def delete_comment(comment: Comment, *, actor: User, now: datetime | None = None) -> None:
    now = now or utcnow()
    check_author_window(comment, actor, now)
    _check_open(db.session.get(Consultation, comment.consultation_id), now)
    participation.delete_comment(comment, actor=actor, now=now)


# --- the response note --------------------------------------------------------------------------


def publish_response(
    consultation: Consultation, *, actor: User, body: str, now: datetime | None = None
) -> FeedbackNote:
    """After close, the organiser's "what we heard, what we did" note: the IAP2 feedback note of the activity."""
    if not can_manage(actor, consultation):
        raise PermissionDenied(_("Only the consultation's organisers can publish its response."))
    now = now or utcnow()
    if consultation.state(now) is not ConsultationState.CLOSED:
        raise DomainError(_("The response is published after the consultation closes."), code="consultation_not_closed")
    info = activity_info(consultation)
    design = iap2.design_of(info.kind, info.id)
    if design is None:
        raise DomainError(_("This consultation has no IAP2 design profile."), code="no_design")
    return iap2.publish_feedback(design, info, actor=actor, body=body, now=now)


def response_of(consultation: Consultation) -> FeedbackNote | None:
    design = iap2.design_of(ActivityKind.CONSULTATION, consultation.id)
    return design.feedback_note if design is not None else None
