"""Pages: people (list, search, filters, one person's role, lead assignments and switch), bulk invitations."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.admin import bulk, services
from engage.apiutil import filter_args, get_or_404, page_listing
from engage.auth.models import Invitation, Role, StakeholderCategory, User
from engage.auth.regions import REGIONS
from engage.auth.services import resend_invitation, working_group_choices
from engage.delphi.models import DelphiSurvey
from engage.errors import DomainError
from engage.extensions import db
from engage.links import external_url

bp = Blueprint("admin", __name__)
PAGE_SIZE = 50


def _filters() -> dict:
    args = request.args

    def enum(kind, name):
        try:
            return kind(args.get(name, ""))
        except ValueError:
            return None

    group = args.get("working_group_id", "")
    active = args.get("is_active", "")
    return {
        "q": args.get("q", "")[:200] or None,
        "role": enum(Role, "role"),
        "working_group_id": int(group) if group.isdigit() and len(group) < 10 else None,
        "region": args.get("region") if args.get("region") in REGIONS else None,
        "category": enum(StakeholderCategory, "category"),
        "is_active": {"1": True, "0": False}.get(active),
    }


@bp.get("/admin/users")
@login_required
def users():
    services.require_coordinator(current_user)
    listing = page_listing(services.users_query(**_filters()), per_page=PAGE_SIZE)
    return render_template(
        "admin/users.html", listing=listing, groups=working_group_choices(), roles=list(Role),
        categories=list(StakeholderCategory), regions=REGIONS, filter_args=filter_args(),
    )  # fmt: skip


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def user(user_id: int):
    services.require_coordinator(current_user)
    person = get_or_404(User, user_id)
    errors = {}
    if request.method == "POST":
        data = {"is_active": request.form.get("is_active") == "1"}
        try:
            data["role"] = Role(request.form.get("role", ""))
            data["lead_working_group_ids"] = [int(v) for v in request.form.getlist("lead_working_group_ids")]
        except ValueError:
            errors = {"role": [_("Choose a role from the list.")]}
        if not errors:
            try:
                services.update_user(person, actor=current_user, data=data)
            except DomainError as exc:
                db.session.rollback()
                errors = exc.errors or {"_schema": [exc.message]}
            else:
                db.session.commit()
                flash(_("Saved."))
                return redirect(url_for("admin.user", user_id=person.id))
    return render_template(
        "admin/user.html", person=person, groups=working_group_choices(), roles=list(Role), errors=errors
    ), 422 if errors else 200


@bp.post("/invitations/<int:invitation_id>/resend")
@login_required
def resend(invitation_id: int):
    plain = resend_invitation(get_or_404(Invitation, invitation_id), actor=current_user)
    db.session.commit()
    flash(_("A new invitation link was sent: %(url)s", url=external_url("auth.signup", token=plain)))
    return redirect(url_for("auth.invitations"))


@bp.route("/admin/invitations/bulk", methods=["GET", "POST"])
@login_required
def bulk_invitations():
    """Upload (or paste) a CSV, see the preview, then send: the preview posts the same text back."""
    bulk.require_may_invite(current_user, None)
    surveys = db.session.scalars(sa.select(DelphiSurvey).order_by(DelphiSurvey.id)).all()
    context = {"surveys": surveys, "errors": {}, "rows": None, "text": "", "survey_id": ""}
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read() if upload and upload.filename else request.form.get("csv", "")
        # Shown back in the preview; the parser itself refuses a file that is not UTF-8.
        text = content.decode("utf-8-sig", "replace") if isinstance(content, bytes) else content
        survey_id = request.form.get("survey_id", "")
        survey = db.session.get(DelphiSurvey, int(survey_id)) if survey_id.isdigit() and len(survey_id) < 10 else None
        context.update(text=text, survey_id=survey_id)
        try:
            bulk.require_may_invite(current_user, survey)
            rows = bulk.parse_invitations(content, with_groups=survey is None)
            if request.form.get("step") == "send":
                count = bulk.send_invitations(rows, actor=current_user, survey=survey)
                db.session.commit()
                flash(_("%(n)d invitations sent.", n=count))
                return redirect(url_for("auth.invitations"))
            context["rows"] = rows
        except DomainError as exc:
            db.session.rollback()
            context["errors"] = exc.errors or {"file": [exc.message]}
            return render_template("admin/bulk_invitations.html", **context), exc.status
    return render_template("admin/bulk_invitations.html", **context)
