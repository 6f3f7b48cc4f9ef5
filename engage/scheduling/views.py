from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.auth.models import Role
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.forms import domain_errors, load_form
from engage.scheduling import schemas, services
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import working_groups_query

bp = Blueprint("scheduling", __name__)


@bp.get("/scheduling/slots")
@login_required
def slots():
    if current_user.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators use the slot finder."))
    groups = [g for g in db.session.scalars(working_groups_query()) if can_manage_working_group(current_user, g.id)]
    search, errors = None, {}
    raw = {k: v for k, v in request.args.items() if v != ""}
    if "starts_on" in raw:
        data, errors = load_form(schemas.SlotSearchArgs(), raw)
        if not errors:
            try:
                search = services.find_slots(actor=current_user, data=data)
            except PermissionDenied:
                raise
            except DomainError as exc:
                errors = domain_errors(exc)
    return render_template(
        "scheduling/slots.html", search=search, groups=groups, errors=errors, values=request.args
    ), 422 if errors else 200
