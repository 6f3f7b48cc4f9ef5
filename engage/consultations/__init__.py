"""Consultations (PRODUCT rule 6): a time-boxed window in which an audience comments on a document.

A consultation is an IAP2 activity of kind ``consultation``; commenting in one is a participation
fact. Both are registered with engage.iap2 here, when the package is imported (by the app's
blueprints), so the IAP2 package never imports this one.
"""

from collections.abc import Collection

import sqlalchemy as sa

from engage.extensions import db
from engage.i18n import localized
from engage.iap2.activities import ActivityInfo, register_activity_source
from engage.iap2.involvement import fact_columns, register_participation_source
from engage.iap2.models import ActivityKind


def _load_consultations(ids: Collection[int]) -> dict[int, ActivityInfo]:
    from engage.consultations.models import Consultation

    rows = db.session.execute(
        sa.select(
            Consultation.id,
            Consultation.title,
            Consultation.title_zh,
            Consultation.working_group_id,
            Consultation.closes_at,
        ).where(Consultation.id.in_(ids))
    )
    return {
        row.id: ActivityInfo(
            ActivityKind.CONSULTATION,
            row.id,
            localized(row, "title"),
            row.working_group_id,
            row.closes_at,
            endpoint="consultations.detail",
            endpoint_values={"consultation_id": row.id},
        )
        for row in rows
    }


def _consultation_comments() -> sa.Select:
    from engage.participation.models import Comment

    return sa.select(*fact_columns(Comment.author_id, ActivityKind.CONSULTATION, Comment.consultation_id)).where(
        Comment.deleted_at.is_(None), Comment.author_id.is_not(None), Comment.consultation_id.is_not(None)
    )


def _can_view_consultation(user, consultation_id: int) -> bool:
    from engage.consultations.models import Consultation
    from engage.consultations.services import can_view

    consultation = db.session.get(Consultation, consultation_id)
    return consultation is not None and can_view(user, consultation)


register_activity_source(ActivityKind.CONSULTATION, _load_consultations, can_view=_can_view_consultation)
register_participation_source("consultation_comments", _consultation_comments)
