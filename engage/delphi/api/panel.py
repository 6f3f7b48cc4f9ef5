"""Panellist endpoints: the round's items, my own response (draft / submit), the feedback from the round before."""

from flask_babel import gettext as _

from engage.auth.access import require_user
from engage.delphi import schemas, services
from engage.delphi.api import blp
from engage.delphi.loaders import ensure_snapshots, visible_round
from engage.delphi.permissions import can_manage_survey
from engage.errors import NotFound
from engage.extensions import db
from engage.timeutil import utcnow


@blp.route("/rounds/<int:round_id>", methods=["GET"])
@blp.response(200, schemas.RoundSchema)
def get_round(round_id):
    return visible_round(round_id, require_user())


@blp.route("/rounds/<int:round_id>/items", methods=["GET"])
@blp.response(200, schemas.RoundItemSchema(many=True))
def round_items(round_id):
    """The items of the round as worded in it (panellists see them once the round has opened)."""
    user = require_user()
    round_ = visible_round(round_id, user)
    if not round_.has_opened(utcnow()) and not can_manage_survey(user, round_.survey):
        raise NotFound(_("Round %(n)d has not opened yet.", n=round_.number))
    return round_.round_items


def _mine(round_, user) -> dict:
    response, ratings = services.my_response(round_, user)
    return {
        "round_id": round_.id,
        "status": response.status if response else None,
        "submitted_at": response.submitted_at if response else None,
        "updated_at": response.updated_at if response else None,
        "language": response.language if response else None,
        "ratings": sorted(ratings.values(), key=lambda r: r.item_id),
    }


@blp.route("/rounds/<int:round_id>/my-response", methods=["GET"])
@blp.response(200, schemas.MyResponseSchema)
def get_my_response(round_id):
    """Your own answers to the round. There is no way to read anyone else's."""
    user = require_user()
    return _mine(visible_round(round_id, user), user)


@blp.route("/rounds/<int:round_id>/my-response", methods=["PUT"])
@blp.arguments(schemas.ResponseInputSchema)
@blp.response(200, schemas.MyResponseSchema)
def save_my_response(data, round_id):
    """Save ratings as a draft, or with `submit: true` submit them; changes allowed until the round closes.
    The response records the language it was answered in: the request's (Accept-Language, else yours)."""
    user = require_user()
    round_ = visible_round(round_id, user)
    services.save_response(round_, actor=user, ratings=data["ratings"], submit=data["submit"])
    db.session.commit()
    return _mine(round_, user)


@blp.route("/rounds/<int:round_id>/feedback", methods=["GET"])
@blp.response(200)
def feedback(round_id):
    """Per carried item: the previous round's distribution, median, IQR, % agreement, anonymous rationales,
    and your own earlier rating."""
    user = require_user()
    round_ = visible_round(round_id, user)
    ensure_snapshots(round_.survey.rounds)
    return {"round": round_.number, "items": list(services.feedback_for(round_, user).values())}
