"""Results and exports for leads and coordinators: aggregates only, after the round closed, read from the
round's results snapshot; the response matrix only for a survey that declared it (each download audited)."""

from flask import Response

from engage.auth.access import require_user
from engage.delphi import exports, schemas, services
from engage.delphi.api import blp
from engage.delphi.loaders import ensure_snapshots, managed_round, managed_survey
from engage.delphi.services.results import require_round_closed
from engage.extensions import write_transaction
from engage.timeutil import utcnow


def _closed(round_id: int):
    round_ = managed_round(round_id, require_user())
    require_round_closed(round_, utcnow())
    ensure_snapshots([round_])
    return round_


@blp.route("/rounds/<int:round_id>/results", methods=["GET"])
@blp.response(200)
def results(round_id):
    """Per item: statistics and consensus overall, and per region group and per category where the disclosure
    model lets a group be shown (`disclosure.shown`; other groups `suppressed` with their `reason`)."""
    return services.round_results(_closed(round_id))


@blp.route("/rounds/<int:round_id>/stability", methods=["GET"])
@blp.response(200, schemas.StabilitySchema)
def stability(round_id):
    """How ratings moved between the round before and this one (round 2 on), per item asked in both."""
    return {"items": services.stability(_closed(round_id))}


@blp.route("/rounds/<int:round_id>/not-submitted", methods=["GET"])
@blp.response(200)
def not_submitted(round_id):
    """Who has not submitted yet (for reminders): names and counts, never ratings."""
    return services.not_submitted(managed_round(round_id, require_user()))


@blp.route("/surveys/<int:survey_id>/participation", methods=["GET"])
@blp.response(200)
def participation(survey_id):
    """Per round: panel, respondents, response rate and attrition, overall and per group."""
    survey = managed_survey(survey_id, require_user())
    ensure_snapshots(survey.rounds)
    return {"rounds": services.participation_by_round(survey)}


def _csv(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route("/rounds/<int:round_id>/results.csv", methods=["GET"])
def results_csv(round_id):
    round_ = _closed(round_id)
    return _csv(exports.results_csv(round_), f"delphi-{round_.survey_id}-round-{round_.number}-results.csv")


@blp.route("/rounds/<int:round_id>/responses.csv", methods=["GET"])
def matrix_csv(round_id):
    """The response matrix of a survey that declared it: one row per respondent under a code of this round
    only, no names, no e-mails; 409 `matrix_not_released` otherwise. Each download is audited."""
    user = require_user()
    round_ = managed_round(round_id, user)
    require_round_closed(round_, utcnow())
    with write_transaction():
        snapshot = services.download_matrix(round_, actor=user)
    return _csv(exports.matrix_csv(round_, snapshot), f"delphi-{round_.survey_id}-round-{round_.number}-responses.csv")
