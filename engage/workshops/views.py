from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404
from engage.errors import PermissionDenied
from engage.extensions import db
from engage.forms import submit_form
from engage.timeutil import utcnow
from engage.workshops import listing, schemas, services
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group

bp = Blueprint("workshops", __name__)


@bp.get("/workshops")
def list_workshops():
    show_past = request.args.get("past") == "1"
    rows = listing.workshop_rows(upcoming_after=None if show_past else utcnow())
    return render_template("workshops/list.html", workshops=listing.page_rows(rows), show_past=show_past)


def _agenda_from_text(text: str, text_zh: str = "") -> list[dict]:
    """One agenda item per line: `title | minutes | description`, the last two optional; the Chinese
    text's line at the same place is that item's `title | description` in Chinese."""
    lines, lines_zh = text.splitlines(), text_zh.splitlines()
    items = []
    for index in range(max(len(lines), len(lines_zh))):
        line = lines[index] if index < len(lines) else ""
        line_zh = lines_zh[index] if index < len(lines_zh) else ""
        title, minutes, description = ([part.strip() for part in line.split("|", 2)] + ["", ""])[:3]
        title_zh, description_zh = ([part.strip() for part in line_zh.split("|", 1)] + [""])[:2]
        if title or title_zh:
            item = {"title": title, "title_zh": title_zh, "description": description, "description_zh": description_zh}
            if minutes:
                item["duration_minutes"] = minutes
            items.append(item)
    return items


_CLEARABLE = (
    "registration_opens_at",
    "registration_closes_at",
    "title",
    "title_zh",
    "description",
    "description_zh",
    "venue",
    "video_url",
)


def _form_data(*, editing: bool = False) -> dict:
    """The posted form as API input; on an edit, an emptied optional field clears it."""
    raw = {k: v for k, v in request.form.items() if k not in ("csrf_token", "agenda", "agenda_zh") and v != ""}
    if editing:
        for field in _CLEARABLE:
            if request.form.get(field) == "":
                raw[field] = None if field.endswith("_at") else ""
    raw["agenda_items"] = _agenda_from_text(request.form.get("agenda", ""), request.form.get("agenda_zh", ""))
    return raw


def _manageable_groups():
    groups = db.session.scalars(services.working_groups_query()).all()
    return [g for g in groups if can_manage_working_group(current_user, g.id)]


@bp.route("/manage/workshops/new", methods=["GET", "POST"])
@login_required
def create():
    groups = _manageable_groups()
    if not groups:
        raise PermissionDenied(_("Only working-group leads and coordinators can create workshops."))
    errors, values = {}, request.form
    if request.method == "POST":
        workshop, errors = submit_form(
            schemas.WorkshopInputSchema(),
            lambda data: services.create_workshop(actor=current_user, data=data),
            _form_data(),
        )
        if not errors:
            flash(_("Workshop created."))
            return redirect(url_for("participation.detail", workshop_id=workshop.id))
    return render_template(
        "workshops/form.html", workshop=None, groups=groups, errors=errors, values=values
    ), 422 if errors else 200


@bp.route("/manage/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    workshop = get_or_404(Workshop, workshop_id)
    if not can_manage_working_group(current_user, workshop.working_group_id):
        raise PermissionDenied(_("You can only edit workshops of a working group you lead."))
    errors, values = {}, request.form
    if request.method == "POST":
        _saved, errors = submit_form(
            schemas.WorkshopUpdateSchema(),
            lambda data: services.update_workshop(workshop, actor=current_user, data=data),
            _form_data(editing=True),
        )
        if not errors:
            flash(_("Workshop saved."))
            return redirect(url_for("participation.detail", workshop_id=workshop.id))
    return render_template(
        "workshops/form.html", workshop=workshop, groups=[workshop.working_group], errors=errors, values=values
    ), 422 if errors else 200


@bp.post("/manage/workshops/<int:workshop_id>/cancel")
@login_required
def cancel(workshop_id: int):
    workshop = get_or_404(Workshop, workshop_id)
    services.cancel_workshop(workshop, actor=current_user)
    db.session.commit()
    flash(_("The workshop is cancelled. Registered people see it as cancelled in their calendars."))
    return redirect(url_for("participation.detail", workshop_id=workshop.id))


@bp.get("/working-groups")
def working_groups():
    groups = db.session.scalars(services.codebook_query()).all()
    return render_template("workshops/codebook.html", pillars=groups)
