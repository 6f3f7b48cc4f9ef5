from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.apiutil import Blueprint, get_or_404
from engage.auth.access import require_user
from engage.errors import NotFound, PermissionDenied
from engage.extensions import db
from engage.minutes import exports, schemas, services
from engage.minutes.models import Minutes
from engage.minutes.pdf import version_pdf_key
from engage.minutes.permissions import can_comment, can_edit, can_read_current, can_read_version
from engage.priorities.models import Priority
from engage.storage import send_object
from engage.workshops.models import Workshop

blp = Blueprint("minutes_api", __name__, url_prefix="/api/v1", description="Minutes, versions, comments, exports")


def _minutes(workshop_id: int) -> Minutes:
    minutes = services.minutes_of(get_or_404(Workshop, workshop_id))
    if minutes is None:
        raise NotFound(_("This workshop has no minutes yet."))
    return minutes


def _readable(workshop_id: int, user) -> Minutes:
    """The current text, or 404 for anyone who may not see it (its existence is private until published)."""
    minutes = _minutes(workshop_id)
    if not can_read_current(user, minutes):
        raise NotFound(_("This workshop has no minutes yet."))
    return minutes


def _commit(result):
    db.session.commit()
    return result


@blp.route("/workshops/<int:workshop_id>/minutes", methods=["GET"])
@blp.response(200, schemas.MinutesSchema)
def get_minutes(workshop_id):
    """The current text: for the lead, note-takers, and (once circulated) the workshop's participants."""
    return _readable(workshop_id, require_user())


@blp.route("/workshops/<int:workshop_id>/minutes", methods=["POST"])
@blp.response(201, schemas.MinutesSchema)
def start_minutes(workshop_id):
    """Start draft minutes, one section per agenda item (the working group's lead)."""
    return _commit(services.start_minutes(get_or_404(Workshop, workshop_id), actor=require_user()))


@blp.route("/workshops/<int:workshop_id>/minutes", methods=["PUT"])
@blp.arguments(schemas.MinutesInputSchema)
@blp.response(200, schemas.MinutesSchema)
def save_minutes(data, workshop_id):
    user = require_user()
    return _commit(services.save_minutes(_readable(workshop_id, user), actor=user, data=data))


@blp.route("/workshops/<int:workshop_id>/minutes/editors", methods=["PUT"])
@blp.arguments(schemas.MinutesEditorsInputSchema)
@blp.response(200, schemas.MinutesSchema)
def set_editors(data, workshop_id):
    """The note-takers who may edit besides the lead (the complete list)."""
    user = require_user()
    return _commit(services.set_editors(_readable(workshop_id, user), actor=user, user_ids=data["user_ids"]))


@blp.route("/workshops/<int:workshop_id>/minutes/circulate", methods=["POST"])
@blp.arguments(schemas.MinutesCirculateInputSchema)
@blp.response(200, schemas.MinutesSchema)
def circulate(data, workshop_id):
    user = require_user()
    minutes = _readable(workshop_id, user)
    return _commit(services.circulate(minutes, actor=user, deadline=data["comment_deadline_at"]))


@blp.route("/workshops/<int:workshop_id>/minutes/approve", methods=["POST"])
@blp.arguments(schemas.MinutesApproveInputSchema)
@blp.response(201, schemas.MinutesVersionSchema)
def approve(data, workshop_id):
    """Freeze the text as the next version with its SHA-256 content hash."""
    user = require_user()
    return _commit(services.approve(_readable(workshop_id, user), actor=user, change_note=data["change_note"]))


@blp.route("/workshops/<int:workshop_id>/minutes/publish", methods=["POST"])
@blp.response(200, schemas.MinutesSchema)
def publish(workshop_id):
    user = require_user()
    return _commit(services.publish(_readable(workshop_id, user), actor=user))


@blp.route("/workshops/<int:workshop_id>/minutes/correct", methods=["POST"])
@blp.response(200, schemas.MinutesSchema)
def start_correction(workshop_id):
    """Reopen approved minutes as a draft; the next approval makes a new version."""
    user = require_user()
    return _commit(services.start_correction(_readable(workshop_id, user), actor=user))


@blp.route("/workshops/<int:workshop_id>/minutes/events", methods=["GET"])
@blp.response(200, schemas.MinutesEventSchema(many=True))
def events(workshop_id):
    """The audit trail of the lifecycle (lead and note-takers)."""
    user = require_user()
    minutes = _readable(workshop_id, user)
    if not can_edit(user, minutes):
        raise PermissionDenied(_("Only the lead and the note-takers see the audit trail."))
    return minutes.events


@blp.route("/workshops/<int:workshop_id>/minutes/comments", methods=["GET"])
@blp.response(200, schemas.MinutesCommentSchema(many=True))
def list_comments(workshop_id):
    user = require_user()
    minutes = _readable(workshop_id, user)
    if not can_comment(user, minutes):
        raise PermissionDenied()
    return db.session.scalars(services.comments_query(minutes)).all()


@blp.route("/workshops/<int:workshop_id>/minutes/comments", methods=["POST"])
@blp.arguments(schemas.MinutesCommentInputSchema)
@blp.response(201, schemas.MinutesCommentSchema)
def add_comment(data, workshop_id):
    """Comment on circulated draft minutes, until the deadline (the workshop's participants)."""
    user = require_user()
    return _commit(services.add_comment(_readable(workshop_id, user), actor=user, **data))


def _version(workshop_id: int, number: int, user):
    minutes = _minutes(workshop_id)
    if not can_read_version(user, minutes, number):
        raise NotFound(_("Version not found."))
    return services.version_of(minutes, number)


@blp.route("/workshops/<int:workshop_id>/minutes/versions", methods=["GET"])
@blp.response(200, schemas.MinutesVersionSummarySchema(many=True))
def list_versions(workshop_id):
    """Approved versions the caller may read (published ones are public)."""
    minutes = _minutes(workshop_id)
    return [v for v in minutes.versions if can_read_version(current_user, minutes, v.number)]


@blp.route("/workshops/<int:workshop_id>/minutes/versions/<int:number>", methods=["GET"])
@blp.response(200, schemas.MinutesVersionSchema)
def get_version(workshop_id, number):
    return _version(workshop_id, number, current_user)


@blp.route("/workshops/<int:workshop_id>/minutes/versions/<int:number>/pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf")
def version_pdf_download(workshop_id, number):
    """The PDF of an approved version (rendered once per content hash and language)."""
    version = _version(workshop_id, number, current_user)
    return send_object(version_pdf_key(version), download_name=f"minutes-{workshop_id}-v{number}.pdf")


@blp.route("/priorities/<int:priority_id>/minutes-links", methods=["GET"])
@blp.response(200, schemas.MinutesPriorityLinkSchema(many=True))
def priority_links(priority_id):
    """Every workshop discussion, decision and action item linked to the priority (that you may read)."""
    user = require_user()
    priority = get_or_404(Priority, priority_id, _("Priority not found."))
    return services.links_to_priority(priority, user)


@blp.route("/minutes-exports", methods=["POST"])
@blp.arguments(schemas.MinutesExportInputSchema)
@blp.response(202, schemas.MinutesExportSchema)
def request_export(data):
    """Queue a compiled PDF of approved minutes: one working group (its lead) or all (coordinators)."""
    user = require_user()
    return _commit(
        exports.request_export(actor=user, working_group_id=data["working_group_id"], locale=str(get_locale()))
    )


@blp.route("/minutes-exports/<int:export_id>", methods=["GET"])
@blp.response(200, schemas.MinutesExportSchema)
def get_export(export_id):
    """State and progress (x of y workshops); `download_url` once done, until `expires_at`."""
    return exports.export_for(export_id, require_user())


@blp.route("/minutes-exports/<int:export_id>/file", methods=["GET"])
@blp.response(200, content_type="application/pdf")
def export_file(export_id):
    key = exports.export_file(exports.export_for(export_id, require_user()))
    return send_object(key, download_name=f"minutes-{export_id}.pdf")
