import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404
from engage.csvutil import csv_safe
from engage.errors import DomainError, NotFound, PermissionDenied
from engage.extensions import db
from engage.labels import region_label
from engage.participation import services
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.timeutil import to_zone, utcnow
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group

bp = Blueprint("participation", __name__)


def _back(workshop_id: int, anchor: str = ""):
    return redirect(url_for("participation.detail", workshop_id=workshop_id) + anchor)


def _render_detail(workshop: Workshop, *, comment_draft: str = "", comment_errors: list | None = None):
    registration = services.registration_of(workshop, current_user)
    position = services.waitlist_position(registration) if registration else None
    signed_in = current_user.is_authenticated
    comments = db.session.scalars(services.visible_comments_query(workshop_id=workshop.id)).all() if signed_in else []
    return render_template(
        "workshops/detail.html",
        workshop=workshop,
        now=utcnow(),
        registration=registration,
        position=position,
        comments=comments,
        can_manage=can_manage_working_group(current_user, workshop.working_group_id),
        edit_window=services.comment_edit_window(),
        comment_draft=comment_draft,
        comment_errors=comment_errors or [],
    ), 422 if comment_errors else 200


@bp.get("/workshops/<int:workshop_id>")
def detail(workshop_id: int):
    return _render_detail(get_or_404(Workshop, workshop_id))


@bp.post("/workshops/<int:workshop_id>/register")
@login_required
def register(workshop_id: int):
    workshop = get_or_404(Workshop, workshop_id)
    try:
        registration = services.register(workshop, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(workshop_id)
    db.session.commit()
    if registration.status is RegistrationStatus.CONFIRMED:
        flash(_("You are registered. Your seat is confirmed."))
    else:
        flash(
            _("The workshop is full. You are on the waiting list at position %(n)d.", n=registration.waitlist_position)
        )
    return _back(workshop_id)


@bp.post("/workshops/<int:workshop_id>/registrations/<int:registration_id>/cancel")
@login_required
def cancel(workshop_id: int, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop_id:
        raise NotFound(_("Registration not found."))
    try:
        services.cancel_registration(registration, actor=current_user)
    except (PermissionDenied, NotFound):
        raise  # the wrong person gets the 403 / 404 page, not a flashed message
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back(workshop_id)
    db.session.commit()
    flash(_("The registration is cancelled."))
    if registration.user_id != current_user.id:
        return redirect(url_for("participation.manage_registrations", workshop_id=workshop_id))
    return _back(workshop_id)


def _comment(workshop_id: int, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.workshop_id != workshop_id or not comment.is_visible:
        raise NotFound(_("Comment not found."))
    return comment


def _comment_action(workshop_id: int, action) -> Response:
    try:
        action()
    except (PermissionDenied, NotFound):
        raise  # the wrong person gets the 403 / 404 page, not a flashed message
    except DomainError as exc:
        db.session.rollback()
        for messages in (exc.errors or {"": [exc.message]}).values():
            for message in messages:
                flash(message, "error")
        return _back(workshop_id, "#comments")
    db.session.commit()
    return _back(workshop_id, "#comments")


@bp.post("/workshops/<int:workshop_id>/comments")
@login_required
def add_comment(workshop_id: int):
    workshop = get_or_404(Workshop, workshop_id)
    body = request.form.get("body", "")
    try:
        services.add_comment(workshop, actor=current_user, body=body)
    except DomainError as exc:
        # The page again, with the message and the text as typed: nothing is lost.
        db.session.rollback()
        messages = [m for field_messages in (exc.errors or {"": [exc.message]}).values() for m in field_messages]
        return _render_detail(workshop, comment_draft=body, comment_errors=messages)
    db.session.commit()
    return _back(workshop_id, "#comments")


@bp.post("/workshops/<int:workshop_id>/comments/<int:comment_id>/edit")
@login_required
def edit_comment(workshop_id: int, comment_id: int):
    comment = _comment(workshop_id, comment_id)
    body = request.form.get("body", "")
    return _comment_action(workshop_id, lambda: services.edit_comment(comment, actor=current_user, body=body))


@bp.post("/workshops/<int:workshop_id>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(workshop_id: int, comment_id: int):
    comment = _comment(workshop_id, comment_id)
    return _comment_action(workshop_id, lambda: services.delete_comment(comment, actor=current_user))


@bp.post("/workshops/<int:workshop_id>/comments/<int:comment_id>/hide")
@login_required
def hide_comment(workshop_id: int, comment_id: int):
    comment = _comment(workshop_id, comment_id)
    reason = request.form.get("reason", "")
    return _comment_action(workshop_id, lambda: services.hide_comment(comment, actor=current_user, reason=reason))


def _managed_workshop(workshop_id: int) -> Workshop:
    workshop = get_or_404(Workshop, workshop_id)
    if not can_manage_working_group(current_user, workshop.working_group_id):
        raise PermissionDenied(_("Only the working group's lead sees its registrations."))
    return workshop


@bp.get("/manage/workshops/<int:workshop_id>/registrations")
@login_required
def manage_registrations(workshop_id: int):
    workshop = _managed_workshop(workshop_id)
    registrations = db.session.scalars(services.registrations_query(workshop)).all()
    return render_template(
        "participation/registrations.html",
        workshop=workshop,
        registrations=registrations,
        positions=services.waitlist_positions(workshop.id),
    )


@bp.post("/manage/workshops/<int:workshop_id>/registrations/<int:registration_id>/attendance")
@login_required
def record_attendance(workshop_id: int, registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop_id:
        raise NotFound(_("Registration not found."))
    try:
        services.mark_attended(registration, actor=current_user, attended=request.form.get("attended") == "1")
    except (PermissionDenied, NotFound):
        raise  # the wrong person gets the 403 / 404 page, not a flashed message
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
    return redirect(url_for("participation.manage_registrations", workshop_id=workshop_id))


@bp.get("/manage/workshops/<int:workshop_id>/registrations.csv")
@login_required
def registrations_csv(workshop_id: int):
    workshop = _managed_workshop(workshop_id)
    registrations = db.session.scalars(services.registrations_query(workshop)).all()
    positions = services.waitlist_positions(workshop.id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Organisation"),
            _("Region"),
            _("Region group"),
            _("Stakeholder category"),
            _("Status"),
            _("Waiting-list position"),
            _("Registered at (%(zone)s)", zone=workshop.timezone),
        ]
    )
    for r in registrations:
        writer.writerow(
            [
                csv_safe(r.user.display_name),
                csv_safe(r.user.email),
                csv_safe(r.user.organisation),
                region_label(r.user.region),
                r.user.region_group.label,
                r.user.category.label,
                r.status.label,
                positions.get(r.id, ""),
                to_zone(r.queued_at, workshop.timezone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="workshop-{workshop.id}-registrations.csv"'
    return response
