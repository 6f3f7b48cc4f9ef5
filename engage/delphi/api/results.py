"""Results and exports for leads and coordinators: aggregates only, after the round closed."""

from flask import Response, current_app

from engage.auth.access import require_user
from engage.delphi import exports, services
from engage.delphi.api import blp
from engage.delphi.loaders import managed_round, managed_survey
from engage.delphi.services.results import require_round_closed
from engage.timeutil import utcnow


@blp.route("/rounds/<int:round_id>/results", methods=["GET"])
@blp.response(200)
def results(round_id):
    """Per item: statistics and consensus overall, per region group and per category (n < 5 suppressed)."""
    return services.round_results(managed_round(round_id, require_user()), now=utcnow())


@blp.route("/rounds/<int:round_id>/stability", methods=["GET"])
@blp.response(200)
def stability(round_id):
    return {"items": services.stability(managed_round(round_id, require_user()), now=utcnow())}


@blp.route("/rounds/<int:round_id>/not-submitted", methods=["GET"])
@blp.response(200)
def not_submitted(round_id):
    """Who has not submitted yet (for reminders): names and counts, never ratings."""
    return services.not_submitted(managed_round(round_id, require_user()))


@blp.route("/surveys/<int:survey_id>/participation", methods=["GET"])
@blp.response(200)
def participation(survey_id):
    """Per round: panel, respondents, response rate and attrition, overall and per group."""
    return {"rounds": services.participation_by_round(managed_survey(survey_id, require_user()))}


def _csv(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route("/rounds/<int:round_id>/results.csv", methods=["GET"])
def results_csv(round_id):
    round_ = managed_round(round_id, require_user())
    require_round_closed(round_, utcnow())
    return _csv(exports.results_csv(round_), f"delphi-{round_.survey_id}-round-{round_.number}-results.csv")


@blp.route("/rounds/<int:round_id>/responses.csv", methods=["GET"])
def matrix_csv(round_id):
    """The anonymised response matrix: pseudonymous panellist ids, no names, no e-mails."""
    round_ = managed_round(round_id, require_user())
    require_round_closed(round_, utcnow())
    return _csv(
        exports.matrix_csv(round_, current_app.config["SECRET_KEY"]),
        f"delphi-{round_.survey_id}-round-{round_.number}-responses.csv",
    )
