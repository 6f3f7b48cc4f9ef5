from engage.apiutil import Blueprint, page_of, paginate
from engage.audit import schemas, services
from engage.auth.access import require_user

blp = Blueprint("audit_api", __name__, url_prefix="/api/v1", description="The audit log (coordinators; read-only)")


@blp.route("/audit-events", methods=["GET"])
@blp.arguments(schemas.AuditFilterArgs, location="query")
@blp.response(200, page_of(schemas.AuditEventSchema))
def list_events(args):
    """Administrative and privacy actions, newest first. There is no way to change or delete them."""
    services.require_coordinator(require_user())
    filters = {k: args.pop(k) for k in ("action", "actor_id", "target_type", "target_id", "since", "until")}
    return paginate(services.events_query(**filters), args)
