from flask_babel import gettext as _

from engage.apiutil import Blueprint, PageArgs, get_or_404, page_of, paginate
from engage.auth.access import require_user
from engage.errors import NotFound
from engage.extensions import commit_keeping_loaded, db
from engage.participation import schemas, services
from engage.participation.models import Comment, Registration
from engage.workshops.models import Workshop
from engage.workshops.permissions import can_manage_working_group

blp = Blueprint("participation_api", __name__, url_prefix="/api/v1", description="Registrations and comments")


def _registration(workshop_id: int, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop_id:
        raise NotFound(_("Registration not found."))
    return registration


def _with_positions(registrations, workshop_id):
    positions = services.waitlist_positions(workshop_id)
    for registration in registrations:
        registration.waitlist_position = positions.get(registration.id)
    return registrations


@blp.route("/workshops/<int:workshop_id>/registrations", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(schemas.ManagedRegistrationSchema))
def list_registrations(args, workshop_id):
    """All registrations for the working group's lead; your own for anyone else."""
    user = require_user()
    workshop = get_or_404(Workshop, workshop_id)
    stmt = services.registrations_query(workshop)
    if not can_manage_working_group(user, workshop.working_group_id):
        stmt = stmt.where(Registration.user_id == user.id)
    page = paginate(stmt, args)
    _with_positions(page["items"], workshop.id)
    return page


@blp.route("/workshops/<int:workshop_id>/registrations", methods=["POST"])
@blp.response(201, schemas.RegistrationSchema)
def register(workshop_id):
    """Register yourself: confirmed while seats remain, otherwise waitlisted with a position."""
    user = require_user()
    registration = services.register(get_or_404(Workshop, workshop_id), actor=user)
    commit_keeping_loaded()
    return registration


@blp.route("/workshops/<int:workshop_id>/registrations/<int:registration_id>", methods=["DELETE"])
@blp.response(204)
def cancel_registration(workshop_id, registration_id):
    """Cancel; a freed seat goes to the first person on the waiting list."""
    user = require_user()
    services.cancel_registration(_registration(workshop_id, registration_id), actor=user)
    db.session.commit()


@blp.route("/workshops/<int:workshop_id>/registrations/<int:registration_id>", methods=["PATCH"])
@blp.arguments(schemas.AttendanceSchema)
@blp.response(200, schemas.ManagedRegistrationSchema)
def record_attendance(data, workshop_id, registration_id):
    user = require_user()
    registration = services.mark_attended(_registration(workshop_id, registration_id), actor=user, **data)
    db.session.commit()
    registration.waitlist_position = services.waitlist_position(registration)
    return registration


@blp.route("/workshops/<int:workshop_id>/comments", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(schemas.CommentSchema))
def list_comments(args, workshop_id):
    require_user()
    return paginate(services.visible_comments_query(workshop_id=get_or_404(Workshop, workshop_id).id), args)


@blp.route("/workshops/<int:workshop_id>/comments", methods=["POST"])
@blp.arguments(schemas.CommentInputSchema)
@blp.response(201, schemas.CommentSchema)
def add_comment(data, workshop_id):
    user = require_user()
    comment = services.add_comment(get_or_404(Workshop, workshop_id), actor=user, body=data["body"])
    db.session.commit()
    return comment


def _comment(workshop_id: int, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.workshop_id != workshop_id or comment.deleted_at is not None:
        raise NotFound(_("Comment not found."))
    return comment


@blp.route("/workshops/<int:workshop_id>/comments/<int:comment_id>", methods=["PATCH"])
@blp.arguments(schemas.CommentInputSchema)
@blp.response(200, schemas.CommentSchema)
def edit_comment(data, workshop_id, comment_id):
    """Edit your own comment within the edit window."""
    user = require_user()
    comment = services.edit_comment(_comment(workshop_id, comment_id), actor=user, body=data["body"])
    db.session.commit()
    return comment


@blp.route("/workshops/<int:workshop_id>/comments/<int:comment_id>", methods=["DELETE"])
@blp.response(204)
def delete_comment(workshop_id, comment_id):
    user = require_user()
    services.delete_comment(_comment(workshop_id, comment_id), actor=user)
    db.session.commit()


@blp.route("/workshops/<int:workshop_id>/comments/<int:comment_id>/hide", methods=["POST"])
@blp.arguments(schemas.HideCommentSchema)
@blp.response(204)
def hide_comment(data, workshop_id, comment_id):
    """Hide a comment with a reason (lead or coordinator). It is kept for audit, not shown."""
    user = require_user()
    services.hide_comment(_comment(workshop_id, comment_id), actor=user, reason=data["reason"])
    db.session.commit()
