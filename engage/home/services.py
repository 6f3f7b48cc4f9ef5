"""What each role's home page shows: bounded queries, no writes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.consultations.models import Consultation
from engage.consultations.services import visible_query as visible_consultations
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, DelphiSurvey
from engage.extensions import db
from engage.iap2.services import overdue_promises
from engage.indicators.dashboard import open_consultations, open_delphi_rounds
from engage.minutes.models import Minutes, MinutesStatus
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.workshops.models import Workshop, WorkshopStatus
from engage.workshops.services import workshops_query

LIST_SIZE = 6


def _open_rounds_of(user: User, now: datetime) -> list[dict]:
    """Open rounds of the surveys the person sits on, each with whether they have submitted."""
    panels = sa.select(DelphiPanelMember.survey_id).where(
        DelphiPanelMember.user_id == user.id, DelphiPanelMember.removed_at.is_(None)
    )
    rounds = db.session.scalars(
        sa.select(DelphiRound)
        .where(DelphiRound.survey_id.in_(panels), DelphiRound.opens_at <= now, DelphiRound.closes_at > now)
        .order_by(DelphiRound.closes_at, DelphiRound.id)
        .options(selectinload(DelphiRound.survey))
        .limit(LIST_SIZE)
    ).all()
    statuses = dict(
        db.session.execute(
            sa.select(DelphiResponse.round_id, DelphiResponse.status).where(
                DelphiResponse.panellist_id == user.id, DelphiResponse.round_id.in_([r.id for r in rounds])
            )
        ).all()
    )
    return [{"round": r, "status": statuses.get(r.id)} for r in rounds]


def _open_consultations_of(user: User, now: datetime) -> list[dict]:
    consultations = db.session.scalars(
        visible_consultations(user)
        .where(Consultation.opens_at <= now, Consultation.closes_at > now)
        .order_by(None)
        .order_by(Consultation.closes_at, Consultation.id)
        .limit(LIST_SIZE)
    ).all()
    commented = set(
        db.session.scalars(
            sa.select(Comment.consultation_id).where(
                Comment.author_id == user.id,
                Comment.deleted_at.is_(None),
                Comment.consultation_id.in_([c.id for c in consultations]),
            )
        )
    )
    return [{"consultation": c, "has_commented": c.id in commented} for c in consultations]


def participant_home(user: User, *, now: datetime) -> dict:
    """Their next workshops (seat or waiting list), open rounds of their panels, open consultations for them,
    and workshops they could still register for."""
    mine = db.session.scalars(
        sa.select(Registration)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)),
            Workshop.ends_at > now,
            Workshop.status == WorkshopStatus.SCHEDULED,
        )
        .order_by(Workshop.starts_at, Workshop.id)
        .options(selectinload(Registration.workshop).selectinload(Workshop.working_group))
        .limit(LIST_SIZE)
    ).all()
    taken = sa.select(Registration.workshop_id).where(
        Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED
    )
    open_for_registration = [
        w
        for w in db.session.scalars(
            workshops_query(upcoming_after=now, include_cancelled=False)
            .where(Workshop.id.not_in(taken))
            .limit(LIST_SIZE * 2)
        )
        if w.registration_is_open(now)
    ][:LIST_SIZE]
    return {
        "registrations": mine,
        "rounds": _open_rounds_of(user, now),
        "consultations": _open_consultations_of(user, now),
        "open_workshops": open_for_registration,
    }


def lead_home(user: User, *, now: datetime) -> dict:
    """Per working group they lead: its next workshops, minutes in progress, its surveys' open rounds with
    response rates, its open consultations, and its overdue IAP2 promises."""
    groups = sorted(user.led_working_groups, key=lambda g: g.pillar.number)
    group_ids = [g.id for g in groups]
    rounds = [r for r in open_delphi_rounds(now, limit=50) if r["round"].survey.working_group_id in group_ids]
    consultations = [c for c in open_consultations(now, limit=50) if c["consultation"].working_group_id in group_ids]
    minutes = db.session.scalars(
        sa.select(Minutes)
        .join(Workshop, Workshop.id == Minutes.workshop_id)
        .where(
            Workshop.working_group_id.in_(group_ids),
            Minutes.status.in_((MinutesStatus.DRAFT, MinutesStatus.CIRCULATED, MinutesStatus.APPROVED)),
        )
        .order_by(Workshop.starts_at)
        .options(selectinload(Minutes.workshop))
    ).all()
    surveys = db.session.scalars(
        sa.select(DelphiSurvey).where(DelphiSurvey.working_group_id.in_(group_ids)).order_by(DelphiSurvey.id)
    ).all()
    return {
        "groups": [
            {
                "group": g,
                "workshops": db.session.scalars(
                    workshops_query(working_group_id=g.id, upcoming_after=now, include_cancelled=False).limit(LIST_SIZE)
                ).all(),
                "minutes": [m for m in minutes if m.workshop.working_group_id == g.id],
                "surveys": [s for s in surveys if s.working_group_id == g.id],
                "rounds": [r for r in rounds if r["round"].survey.working_group_id == g.id],
                "consultations": [c for c in consultations if c["consultation"].working_group_id == g.id],
            }
            for g in groups
        ],
        "promises": overdue_promises(actor=user, now=now)[:LIST_SIZE],
    }


def public_home(*, now: datetime) -> dict:
    """What anyone may see: the next workshops, the latest published minutes."""
    published = db.session.scalars(
        sa.select(Minutes)
        .where(Minutes.published_version_number.is_not(None))
        .order_by(Minutes.id.desc())
        .limit(LIST_SIZE)
        .options(selectinload(Minutes.workshop))
    ).all()
    return {
        "workshops": db.session.scalars(
            workshops_query(upcoming_after=now, include_cancelled=False).limit(LIST_SIZE)
        ).all(),
        "published_minutes": published,
    }
