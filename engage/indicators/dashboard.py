"""The coordinator's dashboard: the consortium at a glance, each tile from one or two bounded queries."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.consultations.models import Consultation
from engage.consultations.services import audience_ids
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, ResponseStatus
from engage.extensions import db
from engage.iap2.services import overdue_promises
from engage.indicators.services import off_track
from engage.minutes.models import Minutes, MinutesStatus
from engage.participation.models import Comment
from engage.workshops.services import workshops_query

TILE_SIZE = 8


def open_delphi_rounds(now: datetime, limit: int = TILE_SIZE) -> list[dict]:
    """Rounds open now with their response rate: submitted responses over the survey's current panel."""
    rounds = db.session.scalars(
        sa.select(DelphiRound)
        .where(DelphiRound.opens_at <= now, DelphiRound.closes_at > now)
        .order_by(DelphiRound.closes_at, DelphiRound.id)
        .options(selectinload(DelphiRound.survey))
        .limit(limit)
    ).all()
    if not rounds:
        return []
    submitted = dict(
        db.session.execute(
            sa.select(DelphiResponse.round_id, sa.func.count())
            .where(
                DelphiResponse.round_id.in_([r.id for r in rounds]), DelphiResponse.status == ResponseStatus.SUBMITTED
            )
            .group_by(DelphiResponse.round_id)
        ).all()
    )
    panels = dict(
        db.session.execute(
            sa.select(DelphiPanelMember.survey_id, sa.func.count())
            .where(
                DelphiPanelMember.survey_id.in_({r.survey_id for r in rounds}), DelphiPanelMember.removed_at.is_(None)
            )
            .group_by(DelphiPanelMember.survey_id)
        ).all()
    )
    tiles = []
    for round_ in rounds:
        panel, responses = panels.get(round_.survey_id, 0), submitted.get(round_.id, 0)
        rate = round(100 * responses / panel) if panel else None
        tiles.append({"round": round_, "submitted": responses, "panel": panel, "rate": rate})
    return tiles


def open_consultations(now: datetime, limit: int = TILE_SIZE) -> list[dict]:
    """Consultations open now with their response rate: people who commented over the people invited."""
    consultations = db.session.scalars(
        sa.select(Consultation)
        .where(Consultation.opens_at <= now, Consultation.closes_at > now)
        .order_by(Consultation.closes_at, Consultation.id)
        .limit(limit)
    ).all()
    if not consultations:
        return []
    commenters = dict(
        db.session.execute(
            sa.select(Comment.consultation_id, sa.func.count(sa.distinct(Comment.author_id)))
            .where(
                Comment.consultation_id.in_([c.id for c in consultations]),
                Comment.deleted_at.is_(None),
            )
            .group_by(Comment.consultation_id)
        ).all()
    )
    tiles = []
    for consultation in consultations:  # at most TILE_SIZE audience counts
        audience = db.session.scalar(sa.select(sa.func.count()).select_from(audience_ids(consultation).subquery()))
        responded = commenters.get(consultation.id, 0)
        rate = round(100 * responded / audience) if audience else None
        tiles.append({"consultation": consultation, "responded": responded, "audience": audience, "rate": rate})
    return tiles


def dashboard(*, actor: User, now: datetime) -> dict:
    """The tiles: workshops ahead, open Delphi rounds and consultations, overdue promises, minutes, indicators."""
    minutes = db.session.scalars(
        sa.select(Minutes)
        .where(Minutes.status == MinutesStatus.CIRCULATED)
        .order_by(Minutes.id)
        .limit(TILE_SIZE)
        .options(selectinload(Minutes.workshop))
    ).all()
    return {
        "workshops": db.session.scalars(
            workshops_query(upcoming_after=now, include_cancelled=False).limit(TILE_SIZE)
        ).all(),
        "rounds": open_delphi_rounds(now),
        "consultations": open_consultations(now),
        "promises": overdue_promises(actor=actor, now=now)[:TILE_SIZE],
        "minutes": minutes,
        "off_track": off_track(today=now.date(), limit=TILE_SIZE),
    }
