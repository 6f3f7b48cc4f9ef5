"""Delphi surveys (PRODUCT rule 3).

A Delphi round is an IAP2 activity of kind ``delphi_round``, and submitting a round is a
participation fact. Both are registered with engage.iap2 here, when the package is imported (by the
app's blueprints), so the IAP2 package never imports this one.
"""

from collections.abc import Collection

import sqlalchemy as sa

from engage.extensions import db
from engage.iap2.activities import ActivityInfo, register_activity_source
from engage.iap2.involvement import fact_columns, register_participation_source
from engage.iap2.models import ActivityKind


def round_activity(round_id: int, survey_title: str, number: int, working_group_id: int, closes_at, survey_id: int):
    return ActivityInfo(
        ActivityKind.DELPHI_ROUND,
        round_id,
        f"{survey_title} — {number}",
        working_group_id,
        closes_at,
        endpoint="delphi.manage",
        endpoint_values={"survey_id": survey_id},
    )


def _load_rounds(ids: Collection[int]) -> dict[int, ActivityInfo]:
    from engage.delphi.models import DelphiRound, DelphiSurvey

    rows = db.session.execute(
        sa.select(
            DelphiRound.id,
            DelphiRound.number,
            DelphiRound.closes_at,
            DelphiSurvey.id.label("survey_id"),
            DelphiSurvey.title,
            DelphiSurvey.working_group_id,
        )
        .join(DelphiSurvey, DelphiSurvey.id == DelphiRound.survey_id)
        .where(DelphiRound.id.in_(ids))
    )
    return {
        row.id: round_activity(row.id, row.title, row.number, row.working_group_id, row.closes_at, row.survey_id)
        for row in rows
    }


def _round_submissions() -> sa.Select:
    from engage.delphi.models import DelphiResponse, ResponseStatus

    return sa.select(
        *fact_columns(DelphiResponse.panellist_id, ActivityKind.DELPHI_ROUND, DelphiResponse.round_id)
    ).where(DelphiResponse.status == ResponseStatus.SUBMITTED)


def _can_view_round(user, round_id: int) -> bool:
    from engage.delphi.models import DelphiRound
    from engage.delphi.permissions import can_see_survey

    round_ = db.session.get(DelphiRound, round_id)
    return round_ is not None and can_see_survey(user, round_.survey)


register_activity_source(ActivityKind.DELPHI_ROUND, _load_rounds, can_view=_can_view_round)
register_participation_source("delphi_submissions", _round_submissions)
