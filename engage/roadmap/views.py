import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404
from engage.errors import PermissionDenied
from engage.extensions import db
from engage.forms import submit_form
from engage.priorities.models import Priority
from engage.roadmap import schemas, services
from engage.roadmap.models import RoadmapAction
from engage.roadmap.pdf import roadmap_pdf
from engage.workshops.services import codebook_query

bp = Blueprint("roadmap", __name__)


@bp.get("/roadmap")
def roadmap():
    """Table 1 from the data: pillars › themes › sub-topics with their actions."""
    return render_template("roadmap/roadmap.html", table=services.roadmap_table())


@bp.get("/roadmap.pdf")
def roadmap_pdf_download():
    return send_file(
        io.BytesIO(roadmap_pdf()), mimetype="application/pdf", as_attachment=True, download_name="roadmap.pdf"
    )


def _form_data() -> dict:
    """The posted form as API input; an emptied title is sent as empty, so it is refused rather than ignored."""
    data = {k: v for k, v in request.form.items() if k in ("title", "title_zh", "description", "description_zh")}
    if request.form.get("sub_topic_id"):
        data["sub_topic_id"] = request.form["sub_topic_id"]
    data["priority_ids"] = [v for v in request.form.getlist("priority_ids") if v]
    return data


def _require_coordinator():
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change roadmap actions."))


@bp.route("/roadmap/actions/new", methods=["GET", "POST"])
@bp.route("/roadmap/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int | None = None):
    _require_coordinator()
    action = get_or_404(RoadmapAction, action_id, _("Roadmap action not found.")) if action_id else None
    errors = {}
    if request.method == "POST":
        schema = schemas.RoadmapActionUpdateSchema() if action else schemas.RoadmapActionInputSchema()
        saved, errors = submit_form(
            schema,
            lambda data: (
                services.update_action(action, actor=current_user, data=data)
                if action
                else services.create_action(actor=current_user, data=data)
            ),
            _form_data(),
        )
        if not errors:
            flash(_("Roadmap action saved."))
            return redirect(url_for("roadmap.roadmap") + f"#action-{saved.id}")
    return render_template(
        "roadmap/form.html",
        action=action,
        errors=errors,
        values=request.form if request.method == "POST" else None,
        pillars=db.session.scalars(codebook_query()).all(),
        priorities=db.session.scalars(db.select(Priority).order_by(Priority.id)).all(),
    ), 422 if errors else 200


@bp.post("/roadmap/actions/<int:action_id>/merge")
@login_required
def merge(action_id: int):
    _require_coordinator()
    action = get_or_404(RoadmapAction, action_id, _("Roadmap action not found."))
    data = {"source_ids": [v for v in request.form.getlist("source_ids") if v]}
    _merged, errors = submit_form(
        schemas.RoadmapMergeInputSchema(),
        lambda d: services.merge_actions(action, actor=current_user, source_ids=d["source_ids"]),
        data,
    )
    for messages in errors.values():
        for message in messages if isinstance(messages, list) else [str(messages)]:
            flash(message, "error")
    if not errors:
        flash(_("Actions merged."))
    return redirect(url_for("roadmap.roadmap") + f"#action-{action_id}"), 303
