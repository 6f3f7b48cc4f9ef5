"""The coordinator's dashboard: the consortium at a glance, each tile from one or two bounded queries."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.charts import STATUS_COLOURS, bar_list
from engage.consultations.models import Consultation
from engage.consultations.services import audience_ids
from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, DelphiSurvey, ResponseStatus
from engage.delphi.services import consensus_summary
from engage.extensions import db
from engage.i18n import localized_text
from engage.iap2.levels import IAP2Level
from engage.iap2.reports import by_category
from engage.iap2.services import overdue_promises
from engage.indicators.services import off_track, status_counts
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
    tiles = {
        "workshops": db.session.scalars(
            workshops_query(upcoming_after=now, include_cancelled=False).limit(TILE_SIZE)
        ).all(),
        "rounds": open_delphi_rounds(now),
        "consultations": open_consultations(now),
        "promises": overdue_promises(actor=actor, now=now)[:TILE_SIZE],
        "minutes": minutes,
        "off_track": off_track(today=now.date(), limit=TILE_SIZE),
        "consensus": consensus_per_pillar(now),
        "involvement": involvement_by_level(),
        "statuses": status_counts(today=now.date()),
    }
    tiles["charts"] = charts(tiles)
    return tiles


def consensus_per_pillar(now: datetime) -> list[dict]:
    """Per survey, its latest closed round: how many of the round's items reached consensus."""
    rows = []
    surveys = db.session.scalars(
        sa.select(DelphiSurvey).order_by(DelphiSurvey.id).options(selectinload(DelphiSurvey.rounds)).limit(TILE_SIZE)
    ).all()
    for survey in surveys:
        closed = [r for r in survey.rounds if r.is_closed(now)]
        if not closed:
            rows.append({"survey": survey, "round": None, "items": 0, "consensus": 0})
            continue
        rows.append({"survey": survey, "round": closed[-1], **consensus_summary(closed[-1], now=now)})
    return rows


def involvement_by_level() -> dict[IAP2Level, int]:
    """People counted at the highest IAP2 level of what they actually did."""
    totals = dict.fromkeys(IAP2Level, 0)
    for row in by_category():
        for level, n in row.counts.items():
            totals[level] += n
    return totals


def charts(tiles: dict) -> dict[str, Markup]:
    """The dashboard's small SVG charts, from the tiles' numbers (same markup as in a PDF)."""
    rates = [
        (_("%(survey)s, round %(n)d", survey=localized_text(r["round"].survey, "title"), n=r["round"].number),
         r["rate"], f"{r['rate']} %" if r["rate"] is not None else _("no panel"))
        for r in tiles["rounds"]
    ] + [
        (localized_text(c["consultation"], "title"), c["rate"],
         f"{c['rate']} %" if c["rate"] is not None else _("no audience"))
        for c in tiles["consultations"]
    ]  # fmt: skip
    consensus = [
        (
            _("Pillar %(n)d", n=row["survey"].working_group.pillar.number),
            100 * row["consensus"] / row["items"] if row["items"] else None,
            _("%(k)d of %(n)d items", k=row["consensus"], n=row["items"]) if row["items"] else _("no closed round"),
        )
        for row in tiles["consensus"]
    ]
    levels = tiles["involvement"]
    most = max(levels.values(), default=0) or 1
    statuses = tiles["statuses"]
    most_status = max(statuses.values(), default=0) or 1
    return {
        "rates": Markup(bar_list(rates, title=_("Response rates of open rounds and consultations"))),
        "consensus": Markup(
            bar_list(consensus, title=_("Items that reached consensus in the latest closed round, per pillar"))
        ),
        "involvement": Markup(
            bar_list(
                [(level.label, n, str(n)) for level, n in levels.items()],
                maximum=most,
                title=_("People by the highest IAP2 level they took part at"),
            )
        ),  # fmt: skip
        "statuses": Markup(
            bar_list(
                [(status.label, n, str(n)) for status, n in statuses.items()],
                maximum=most_status,
                colours=[STATUS_COLOURS[s.value] for s in statuses],
                title=_("Indicators by status"),
            )
        ),  # fmt: skip
    }
