from engage.apiutil import Blueprint
from engage.auth.access import require_user
from engage.scheduling import schemas, services

blp = Blueprint("scheduling_api", __name__, url_prefix="/api/v1/scheduling", description="Cross-region slot finder")


@blp.route("/slots", methods=["GET"])
@blp.arguments(schemas.SlotSearchArgs, location="query")
@blp.response(200, schemas.SlotSearchSchema)
def slots(args):
    """Meeting slots ranked by how many people are inside their working hours (Mon–Fri 09:00–18:00 local).

    For a working group (its leads and registered people) or `user_ids`; every slot in every person's zone.
    """
    return services.find_slots(actor=require_user(), data=args)
