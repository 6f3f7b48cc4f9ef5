"""Who may do what with a Delphi survey."""

import sqlalchemy as sa

from engage.auth.models import User
from engage.delphi.models import DelphiPanelMember, DelphiSurvey
from engage.extensions import db
from engage.workshops.permissions import can_manage_working_group


def can_manage_survey(user: User | None, survey: DelphiSurvey) -> bool:
    """The working group's leads and the coordinators run a survey (never see individual ratings)."""
    return can_manage_working_group(user, survey.working_group_id)


def is_panellist(survey: DelphiSurvey, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            sa.select(DelphiPanelMember.id).where(
                DelphiPanelMember.survey_id == survey.id,
                DelphiPanelMember.user_id == user.id,
                DelphiPanelMember.removed_at.is_(None),
            )
        )
        is not None
    )


def can_see_survey(user: User | None, survey: DelphiSurvey) -> bool:
    return can_manage_survey(user, survey) or is_panellist(survey, user)
