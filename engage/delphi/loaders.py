"""Loading a survey or round for a request: 404 when the person may not know it exists, 403 when they
may see it but not manage it (a panellist asking for a lead's action). Also, before a page or export of
closed rounds is built, their results snapshots: written here, in a transaction of its own, if nobody
has written them yet."""

from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import DelphiItem, DelphiRound, DelphiSurvey
from engage.delphi.permissions import can_manage_survey, can_see_survey
from engage.delphi.services.snapshot import missing_snapshots, write_round_snapshot
from engage.errors import NotFound, PermissionDenied
from engage.extensions import db, write_transaction


def visible_survey(survey_id: int, user: User) -> DelphiSurvey:
    survey = db.session.get(DelphiSurvey, survey_id)
    if survey is None or not can_see_survey(user, survey):
        raise NotFound(_("Survey not found."))
    return survey


def managed_survey(survey_id: int, user: User) -> DelphiSurvey:
    survey = visible_survey(survey_id, user)
    if not can_manage_survey(user, survey):
        raise PermissionDenied(_("Only the working group's lead or a coordinator can do this."))
    return survey


def visible_round(round_id: int, user: User) -> DelphiRound:
    round_ = db.session.get(DelphiRound, round_id)
    if round_ is None or not can_see_survey(user, round_.survey):
        raise NotFound(_("Round not found."))
    return round_


def managed_round(round_id: int, user: User) -> DelphiRound:
    round_ = visible_round(round_id, user)
    if not can_manage_survey(user, round_.survey):
        raise PermissionDenied(_("Only the working group's lead or a coordinator can do this."))
    return round_


def survey_item(survey: DelphiSurvey, item_id: int) -> DelphiItem:
    item = db.session.get(DelphiItem, item_id)
    if item is None or item.survey_id != survey.id:
        raise NotFound(_("Item not found."))
    return item


def ensure_snapshots(rounds: list[DelphiRound]) -> None:
    """Make sure every closed round among these has its results snapshot, so that what the request goes
    on to read is stored figures (the request itself then only reads)."""
    missing = [r.id for r in missing_snapshots(rounds)]
    if missing:
        with write_transaction():
            for round_id in missing:
                write_round_snapshot(db.session.get(DelphiRound, round_id))
