from flask_babel import gettext as _

from engage.apiutil import Blueprint, get_or_404, page_of, paginate
from engage.auth.access import require_user
from engage.consultations import jobs, schemas, services
from engage.consultations.models import Consultation
from engage.errors import NotFound
from engage.extensions import db
from engage.notifications.reminders import set_reminders
from engage.notifications.schemas import ReminderScheduleSchema
from engage.participation.models import Comment
from engage.timeutil import utcnow

blp = Blueprint("consultations_api", __name__, url_prefix="/api/v1/consultations", description="Consultations")


def _visible(consultation_id: int, user) -> Consultation:
    consultation = get_or_404(Consultation, consultation_id, _("Consultation not found."))
    if not services.can_view(user, consultation):
        # Whether an invite-only consultation exists is itself private.
        raise NotFound(_("Consultation not found."))
    return consultation


def _comment(consultation_id: int, comment_id: int, user) -> Comment:
    consultation = _visible(consultation_id, user)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.consultation_id != consultation.id or not comment.is_visible:
        raise NotFound(_("Comment not found."))
    return comment


def _describe(consultation: Consultation) -> dict:
    return schemas.describe(consultation, utcnow(), services.response_of(consultation))


@blp.route("", methods=["GET"])
@blp.arguments(schemas.ConsultationListArgs, location="query")
@blp.response(200, page_of(schemas.ConsultationSchema))
def list_consultations(args):
    """Consultations the caller is invited to or organises (all for a coordinator), latest closing first."""
    page = paginate(services.visible_query(require_user()), args)
    page["items"] = [_describe(c) for c in page["items"]]
    return page


@blp.route("", methods=["POST"])
@blp.arguments(schemas.ConsultationCreateSchema)
@blp.response(201, schemas.ConsultationSchema)
def create_consultation(data):
    """Open a consultation (a lead for their working group, or a coordinator); times are wall-clock in `timezone`."""
    consultation = services.create_consultation(actor=require_user(), data=data)
    db.session.commit()
    return _describe(consultation)


@blp.route("/<int:consultation_id>", methods=["GET"])
@blp.response(200, schemas.ConsultationSchema)
def get_consultation(consultation_id):
    return _describe(_visible(consultation_id, require_user()))


@blp.route("/<int:consultation_id>", methods=["PATCH"])
@blp.arguments(schemas.ConsultationUpdateSchema)
@blp.response(200, schemas.ConsultationSchema)
def update_consultation(data, consultation_id):
    """Change a consultation before it opens (organisers)."""
    user = require_user()
    consultation = services.update_consultation(_visible(consultation_id, user), actor=user, data=data)
    db.session.commit()
    return _describe(consultation)


@blp.route("/<int:consultation_id>/reminders", methods=["GET"])
@blp.response(200, ReminderScheduleSchema)
def get_reminders(consultation_id):
    """When people who have not commented are reminded (minutes before close)."""
    user = require_user()
    return {"minutes_before": jobs.consultation_reminder_minutes(_visible(consultation_id, user))}


@blp.route("/<int:consultation_id>/reminders", methods=["PUT"])
@blp.arguments(ReminderScheduleSchema)
@blp.response(200, ReminderScheduleSchema)
def put_reminders(data, consultation_id):
    """The organiser chooses the reminders ([] for none); the default is 3 days and 1 day before close."""
    user = require_user()
    consultation = _visible(consultation_id, user)
    minutes = set_reminders(jobs.consultation_reminders(consultation), actor=user, minutes=data["minutes_before"])
    db.session.commit()
    return {"minutes_before": minutes}


@blp.route("/<int:consultation_id>/response", methods=["PUT"])
@blp.arguments(schemas.ConsultationResponseInputSchema)
@blp.response(200, schemas.ConsultationSchema)
def publish_response(data, consultation_id):
    """After close: the "what we heard, what we did" note (the activity's IAP2 feedback note)."""
    user = require_user()
    consultation = _visible(consultation_id, user)
    services.publish_response(consultation, actor=user, body=data["body"])
    db.session.commit()
    return _describe(consultation)


@blp.route("/<int:consultation_id>/comments", methods=["GET"])
@blp.arguments(schemas.ConsultationListArgs, location="query")
@blp.response(200, page_of(schemas.ConsultationCommentSchema))
def list_comments(args, consultation_id):
    """The comments, visible to the audience and the organisers."""
    return paginate(services.comments_query(_visible(consultation_id, require_user())), args)


@blp.route("/<int:consultation_id>/comments", methods=["POST"])
@blp.arguments(schemas.ConsultationCommentInputSchema)
@blp.response(201, schemas.ConsultationCommentSchema)
def add_comment(data, consultation_id):
    """Comment while the consultation is open (audience only); 409 outside its window."""
    user = require_user()
    comment = services.add_comment(_visible(consultation_id, user), actor=user, body=data["body"])
    db.session.commit()
    return comment


@blp.route("/<int:consultation_id>/comments/<int:comment_id>", methods=["GET"])
@blp.response(200, schemas.ConsultationCommentSchema)
def get_comment(consultation_id, comment_id):
    return _comment(consultation_id, comment_id, require_user())


@blp.route("/<int:consultation_id>/comments/<int:comment_id>", methods=["PATCH"])
@blp.arguments(schemas.ConsultationCommentInputSchema)
@blp.response(200, schemas.ConsultationCommentSchema)
def edit_comment(data, consultation_id, comment_id):
    """Edit one's own comment within the edit window, while the consultation is open."""
    user = require_user()
    comment = services.edit_comment(_comment(consultation_id, comment_id, user), actor=user, body=data["body"])
    db.session.commit()
    return comment


@blp.route("/<int:consultation_id>/comments/<int:comment_id>", methods=["DELETE"])
@blp.response(204)
def delete_comment(consultation_id, comment_id):
    user = require_user()
    services.delete_comment(_comment(consultation_id, comment_id, user), actor=user)
    db.session.commit()
