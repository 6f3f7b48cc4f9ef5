import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import page_listing
from engage.auth.models import Role
from engage.errors import PermissionDenied
from engage.extensions import db
from engage.forms import submit_form
from engage.iap2 import reports, schemas, services
from engage.iap2.api import activity_kind
from engage.iap2.classifier import ANSWERS
from engage.iap2.levels import ATTRIBUTION, IAP2Level
from engage.iap2.models import BriefingChannel
from engage.timeutil import utcnow
from engage.workshops.permissions import can_manage_working_group
from engage.workshops.services import working_groups_query

bp = Blueprint("iap2", __name__)


def _activity_page(info, *, errors=None, values=None, status=200):
    design = services.design_of(info.kind, info.id)
    described = schemas.describe_design(design, info, utcnow()) if design else None
    return render_template(
        "iap2/activity.html",
        info=info,
        design=design,
        described=described,
        levels=list(IAP2Level),
        attribution=ATTRIBUTION,
        answers=ANSWERS,
        can_manage=services.can_manage_activity(current_user, info),
        errors=errors or {},
        values=values,
    ), status


@bp.get("/iap2/activities/<kind>/<int:activity_id>")
def activity(kind: str, activity_id: int):
    return _activity_page(services.activity_or_404(activity_kind(kind), activity_id, viewer=current_user))


def _managed_activity(kind: str, activity_id: int):
    info = services.activity_or_404(activity_kind(kind), activity_id, viewer=current_user)
    if not services.can_manage_activity(current_user, info):
        raise PermissionDenied(_("Only the activity's organisers can change its IAP2 design and feedback."))
    return info


@bp.post("/iap2/activities/<kind>/<int:activity_id>/design")
@login_required
def save_design(kind: str, activity_id: int):
    info = _managed_activity(kind, activity_id)
    raw = {answer: "1" if request.form.get(answer) else "0" for answer in ANSWERS}
    if request.form.get("declared_level"):
        raw["declared_level"] = request.form["declared_level"]
    _saved, errors = submit_form(
        schemas.DesignInputSchema(), lambda data: services.save_design(info, actor=current_user, data=data), raw
    )
    if errors:
        return _activity_page(info, errors=errors, values=request.form, status=422)
    flash(_("IAP2 design saved."))
    return redirect(url_for("iap2.activity", kind=kind, activity_id=activity_id))


@bp.post("/iap2/activities/<kind>/<int:activity_id>/feedback")
@login_required
def publish_feedback(kind: str, activity_id: int):
    info = _managed_activity(kind, activity_id)
    design = services.design_of(info.kind, info.id)
    if design is None:
        return _activity_page(info, errors={"_schema": [_("Save the IAP2 design first.")]}, status=422)
    _note, errors = submit_form(
        schemas.FeedbackInputSchema(),
        lambda data: services.publish_feedback(design, info, actor=current_user, body=data["body"]),
        {"body": request.form.get("body", "")},
    )
    if errors:
        return _activity_page(info, errors=errors, values=request.form, status=422)
    flash(_("Feedback note published."))
    return redirect(url_for("iap2.activity", kind=kind, activity_id=activity_id))


@bp.get("/iap2/promises")
@login_required
def promises():
    overdue = services.overdue_promises(actor=current_user)
    return render_template("iap2/promises.html", overdue=overdue, due_days=services.feedback_due_days())


def _reporter():
    if current_user.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators see involvement reports."))


@bp.get("/iap2/reports/involvement")
@login_required
def involvement_report():
    _reporter()
    report = reports.involvement_report()
    return render_template(
        "iap2/report.html", report=report, levels=reports.LEVELS, attribution=ATTRIBUTION, flag_text=services.flag_text
    )


@bp.get("/iap2/reports/involvement.csv")
@login_required
def involvement_csv():
    _reporter()
    out = io.StringIO()
    csv.writer(out).writerows(reports.report_csv_rows(reports.involvement_report()))
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="iap2-involvement.csv"'
    return response


@bp.get("/iap2/reports/involvement.svg")
@login_required
def involvement_svg():
    """The level × stakeholder-category matrix as a heat map, drawn on the server (no script)."""
    _reporter()
    report = reports.involvement_report()
    svg = render_template(
        "iap2/matrix.svg", rows=report.by_category, levels=reports.LEVELS, largest=report.largest_category_count
    )
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/iap2/briefings", methods=["GET", "POST"])
@login_required
def briefings():
    groups = [g for g in db.session.scalars(working_groups_query()) if can_manage_working_group(current_user, g.id)]
    errors = {}
    if request.method == "POST":
        if not groups:
            raise PermissionDenied(_("Only working-group leads and coordinators can add briefings."))
        raw = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
        briefing, errors = submit_form(
            schemas.BriefingInputSchema(), lambda data: services.create_briefing(actor=current_user, data=data), raw
        )
        if not errors:
            flash(_("Briefing added. Its IAP2 level is Inform; change the design if it asks for input."))
            return redirect(url_for("iap2.activity", kind="briefing", activity_id=briefing.id))
    listing = page_listing(services.briefings_query())
    return render_template(
        "iap2/briefings.html",
        listing=listing,
        groups=groups,
        channels=list(BriefingChannel),
        errors=errors,
        values=request.form,
    ), 422 if errors else 200
