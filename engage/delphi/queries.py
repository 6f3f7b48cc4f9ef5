"""Read-only queries shared by the API and the pages."""

import sqlalchemy as sa

from engage.auth.models import User, working_group_leads
from engage.delphi.models import DelphiPanelMember, DelphiSurvey


def visible_surveys_query(user: User) -> sa.Select:
    """Surveys the user runs (coordinator: all; lead: their groups') or sits on the panel of."""
    stmt = sa.select(DelphiSurvey).order_by(DelphiSurvey.created_at.desc(), DelphiSurvey.id.desc())
    if user.is_coordinator:
        return stmt
    leads = sa.select(working_group_leads.c.working_group_id).where(working_group_leads.c.user_id == user.id)
    panels = sa.select(DelphiPanelMember.survey_id).where(
        DelphiPanelMember.user_id == user.id, DelphiPanelMember.removed_at.is_(None)
    )
    return stmt.where(sa.or_(DelphiSurvey.working_group_id.in_(leads), DelphiSurvey.id.in_(panels)))
