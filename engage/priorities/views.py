from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404
from engage.errors import DomainError
from engage.extensions import db
from engage.forms import domain_errors
from engage.priorities import services
from engage.priorities.models import Priority
from engage.workshops.models import Pillar
from engage.workshops.permissions import can_manage_working_group

bp = Blueprint("priorities", __name__)


def _can_edit(priority: Priority) -> bool:
    group = priority.pillar.working_group
    return group is not None and can_manage_working_group(current_user, group.id)


@bp.get("/priorities")
@login_required
def list_priorities():
    """The agreed priorities per pillar, with their codes and the consensus they reached."""
    pillar_id = request.args.get("pillar", type=int)
    priorities = db.session.scalars(services.priorities_query(pillar_id)).all()
    pillars = db.session.scalars(db.select(Pillar).order_by(Pillar.number)).all()
    return render_template(
        "priorities/list.html", priorities=priorities, pillars=pillars, pillar_id=pillar_id, can_edit=_can_edit
    )


@bp.post("/priorities/<int:priority_id>/edit")
@login_required
def edit(priority_id: int):
    """Reword a priority and/or add codes (lead of its pillar or coordinator); audited with the reason."""
    priority = get_or_404(Priority, priority_id, _("Priority not found."))
    codes = [int(v) for v in request.form.getlist("add_sub_topic_ids") if v.isdigit() and len(v) < 10]
    try:
        services.edit_priority(
            priority,
            actor=current_user,
            text=request.form.get("text"),
            text_zh=request.form.get("text_zh"),
            add_sub_topic_ids=codes,
            reason=request.form.get("reason", ""),
        )
    except DomainError as exc:
        db.session.rollback()
        for messages in domain_errors(exc).values():
            for message in messages:
                flash(message, "error")
    else:
        db.session.commit()
        flash(_("Priority saved; the change is recorded with your reason."))
    return redirect(url_for("priorities.list_priorities") + f"#priority-{priority_id}")
