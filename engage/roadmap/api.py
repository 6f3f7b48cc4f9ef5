import io

from flask import send_file
from flask_babel import gettext as _

from engage.apiutil import Blueprint, get_or_404
from engage.auth.access import require_user
from engage.extensions import db
from engage.roadmap import schemas, services
from engage.roadmap.models import RoadmapAction
from engage.roadmap.pdf import roadmap_pdf

blp = Blueprint("roadmap_api", __name__, url_prefix="/api/v1", description="Roadmap actions")


def _action(action_id: int) -> RoadmapAction:
    return get_or_404(RoadmapAction, action_id, _("Roadmap action not found."))


@blp.route("/roadmap-actions", methods=["GET"])
@blp.response(200, schemas.RoadmapActionSchema(many=True))
def list_actions():
    """The roadmap's actions in Table 1 order (public; merged actions are left out)."""
    return db.session.scalars(services.actions_query()).all()


@blp.route("/roadmap-actions", methods=["POST"])
@blp.arguments(schemas.RoadmapActionInputSchema)
@blp.response(201, schemas.RoadmapActionSchema)
def create_action(data):
    """A new action in a sub-topic, from the priorities it merges (coordinators)."""
    action = services.create_action(actor=require_user(), data=data)
    db.session.commit()
    return action


@blp.route("/roadmap-actions/<int:action_id>", methods=["GET"])
@blp.response(200, schemas.RoadmapActionSchema)
def get_action(action_id):
    return _action(action_id)


@blp.route("/roadmap-actions/<int:action_id>", methods=["PATCH"])
@blp.arguments(schemas.RoadmapActionUpdateSchema)
@blp.response(200, schemas.RoadmapActionSchema)
def update_action(data, action_id):
    user = require_user()
    action = services.update_action(_action(action_id), actor=user, data=data)
    db.session.commit()
    return action


@blp.route("/roadmap-actions/<int:action_id>/merge", methods=["POST"])
@blp.arguments(schemas.RoadmapMergeInputSchema)
@blp.response(200, schemas.RoadmapActionSchema)
def merge_actions(data, action_id):
    """Merge other actions into this one: it takes over their priorities (coordinators)."""
    user = require_user()
    action = services.merge_actions(_action(action_id), actor=user, source_ids=data["source_ids"])
    db.session.commit()
    return action


@blp.route("/roadmap.pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf")
def roadmap_pdf_download():
    """Table 1 and each action with its priorities, as a PDF (public)."""
    return send_file(
        io.BytesIO(roadmap_pdf()), mimetype="application/pdf", as_attachment=True, download_name="roadmap.pdf"
    )
