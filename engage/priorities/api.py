from flask_babel import gettext as _

from engage.apiutil import Blueprint, get_or_404, page_of, paginate
from engage.auth.access import require_user
from engage.extensions import db
from engage.priorities import schemas, services
from engage.priorities.models import Priority

blp = Blueprint("priorities_api", __name__, url_prefix="/api/v1", description="Priorities")


@blp.route("/priorities", methods=["GET"])
@blp.arguments(schemas.PriorityListArgs, location="query")
@blp.response(200, page_of(schemas.PrioritySchema))
def list_priorities(args):
    """Priorities agreed by the Delphi panels, with their codes and final statistics (any signed-in user)."""
    require_user()
    return paginate(services.priorities_query(args.get("pillar_id")), args)


@blp.route("/priorities/<int:priority_id>", methods=["GET"])
@blp.response(200, schemas.PriorityDetailSchema)
def get_priority(priority_id):
    require_user()
    return get_or_404(Priority, priority_id, _("Priority not found."))


@blp.route("/priorities/<int:priority_id>", methods=["PATCH"])
@blp.arguments(schemas.PriorityUpdateSchema)
@blp.response(200, schemas.PriorityDetailSchema)
def edit_priority(data, priority_id):
    """Reword (audited with the reason) and/or add codebook codes; the pillar's lead or a coordinator."""
    user = require_user()
    priority = services.edit_priority(get_or_404(Priority, priority_id, _("Priority not found.")), actor=user, **data)
    db.session.commit()
    return priority
