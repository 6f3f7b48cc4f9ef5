from flask_login import current_user

from engage.apiutil import Blueprint, PageArgs, get_or_404, json_response, page_envelope, page_of, paginate
from engage.auth.access import require_user
from engage.extensions import db
from engage.timeutil import utcnow
from engage.workshops import listing, schemas, services
from engage.workshops.models import Workshop

blp = Blueprint("workshops_api", __name__, url_prefix="/api/v1", description="Codebook, working groups, workshops")


@blp.route("/codebook", methods=["GET"])
@blp.response(200, schemas.PillarSchema(many=True))
def codebook():
    """Pillar › theme › sub-topic, the codebook everything else is coded with."""
    return db.session.scalars(services.codebook_query()).all()


@blp.route("/working-groups", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(schemas.WorkingGroupSchema))
def working_groups(args):
    """Working groups with their pillar and leads, in pillar order."""
    return paginate(services.working_groups_query(), args)


@blp.route("/workshops", methods=["GET"])
@blp.arguments(schemas.WorkshopListArgs, location="query")
@blp.response(200, page_of(schemas.WorkshopSchema))
def list_workshops(args):
    """Workshops, earliest first; `upcoming=true` leaves out those that have ended."""
    which = {"working_group_id": args.get("working_group_id"), "upcoming_after": utcnow() if args["upcoming"] else None}
    rows = listing.workshop_rows(**which, limit=args["per_page"], offset=(args["page"] - 1) * args["per_page"])
    items = listing.dump_workshop_rows(rows, current_user)
    return json_response(page_envelope(items, args, lambda: listing.count_workshops(**which)))


@blp.route("/workshops", methods=["POST"])
@blp.arguments(schemas.WorkshopInputSchema)
@blp.response(201, schemas.WorkshopSchema)
def create_workshop(data):
    workshop = services.create_workshop(actor=require_user(), data=data)
    db.session.commit()
    return workshop


@blp.route("/workshops/<int:workshop_id>", methods=["GET"])
@blp.response(200, schemas.WorkshopSchema)
def get_workshop(workshop_id):
    return get_or_404(Workshop, workshop_id)


@blp.route("/workshops/<int:workshop_id>", methods=["PATCH"])
@blp.arguments(schemas.WorkshopUpdateSchema)
@blp.response(200, schemas.WorkshopSchema)
def update_workshop(data, workshop_id):
    """Edit or reschedule; time or place changes bump the calendar SEQUENCE."""
    user = require_user()
    workshop = services.update_workshop(get_or_404(Workshop, workshop_id), actor=user, data=data)
    db.session.commit()
    return workshop


@blp.route("/workshops/<int:workshop_id>", methods=["DELETE"])
@blp.response(200, schemas.WorkshopSchema)
def cancel_workshop(workshop_id):
    """Cancel the workshop. It stays visible as cancelled, and calendars show STATUS:CANCELLED."""
    user = require_user()
    workshop = services.cancel_workshop(get_or_404(Workshop, workshop_id), actor=user)
    db.session.commit()
    return workshop
