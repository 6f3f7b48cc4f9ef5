from flask_babel import gettext as _
from flask_login import current_user

from engage.apiutil import Blueprint, get_or_404, page_of, paginate
from engage.auth.access import require_user
from engage.auth.models import Role, User
from engage.errors import NotFound, PermissionDenied
from engage.extensions import db
from engage.iap2 import reports, schemas, services
from engage.iap2.activities import ActivityInfo
from engage.iap2.models import ActivityDesign, ActivityKind
from engage.timeutil import utcnow

blp = Blueprint(
    "iap2_api", __name__, url_prefix="/api/v1/iap2", description="IAP2 Spectrum: designs, promises, involvement"
)


def activity_kind(kind: str) -> ActivityKind:
    try:
        return ActivityKind(kind)
    except ValueError:
        raise NotFound(_("Activity not found.")) from None


def _activity(kind: str, activity_id: int) -> ActivityInfo:
    return services.activity_or_404(activity_kind(kind), activity_id, viewer=current_user)


def _design(info: ActivityInfo) -> ActivityDesign:
    design = services.design_of(info.kind, info.id)
    if design is None:
        raise NotFound(_("This activity has no IAP2 design profile yet."))
    return design


def require_reporter() -> User:
    user = require_user()
    if user.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators see involvement reports."))
    return user


@blp.route("/levels", methods=["GET"])
@blp.response(200, schemas.SpectrumSchema)
def levels():
    """The five levels with their goal and promise, and the attribution to IAP2."""
    return schemas.spectrum()


@blp.route("/activities/<kind>/<int:activity_id>/design", methods=["GET"])
@blp.response(200, schemas.DesignSchema)
def get_design(kind, activity_id):
    info = _activity(kind, activity_id)
    return schemas.describe_design(_design(info), info, utcnow())


@blp.route("/activities/<kind>/<int:activity_id>/design", methods=["PUT"])
@blp.arguments(schemas.DesignInputSchema)
@blp.response(200, schemas.DesignSchema)
def put_design(data, kind, activity_id):
    """Answer the four design questions (organisers); the level is derived, a higher declared level flagged."""
    user = require_user()
    info = _activity(kind, activity_id)
    design = services.save_design(info, actor=user, data=data)
    db.session.commit()
    return schemas.describe_design(design, info, utcnow())


@blp.route("/activities/<kind>/<int:activity_id>/feedback", methods=["PUT"])
@blp.arguments(schemas.FeedbackInputSchema)
@blp.response(200, schemas.DesignSchema)
def put_feedback(data, kind, activity_id):
    """Publish the "what we heard, what we did" note (Markdown) that keeps a Consult-or-above promise."""
    user = require_user()
    info = _activity(kind, activity_id)
    if not services.can_manage_activity(user, info):
        raise PermissionDenied(_("Only the activity's organisers can publish its feedback note."))
    design = _design(info)
    services.publish_feedback(design, info, actor=user, body=data["body"])
    db.session.commit()
    return schemas.describe_design(design, info, utcnow())


@blp.route("/promises/overdue", methods=["GET"])
@blp.response(200, schemas.OverduePromiseSchema(many=True))
def overdue():
    """Feedback promises past due: a lead's own working groups, every group for a coordinator."""
    return services.overdue_promises(actor=require_user())


@blp.route("/reports/involvement", methods=["GET"])
@blp.response(200, schemas.InvolvementReportSchema)
def involvement_report():
    """People per highest level reached, by stakeholder category, region group and working group."""
    require_reporter()
    return reports.report_as_dict(reports.involvement_report())


def _profile(user_id: int) -> dict:
    profile = reports.involvement_profile(user_id)
    highest = reports.highest_level(profile)
    return {
        "user_id": user_id,
        "highest_level": highest.value if highest else None,
        "activities_per_level": {level.value: n for level, n in profile.items()},
    }


@blp.route("/involvement/me", methods=["GET"])
@blp.response(200, schemas.InvolvementProfileSchema)
def my_involvement():
    return _profile(require_user().id)


@blp.route("/involvement/users/<int:user_id>", methods=["GET"])
@blp.response(200, schemas.InvolvementProfileSchema)
def user_involvement(user_id):
    if not require_user().is_coordinator:
        raise PermissionDenied(_("Only coordinators see other people's involvement."))
    return _profile(get_or_404(User, user_id).id)


@blp.route("/briefings", methods=["GET"])
@blp.arguments(schemas.BriefingListArgs, location="query")
@blp.response(200, page_of(schemas.BriefingSchema))
def list_briefings(args):
    return paginate(services.briefings_query(args.get("working_group_id")), args)


@blp.route("/briefings", methods=["POST"])
@blp.arguments(schemas.BriefingInputSchema)
@blp.response(201, schemas.BriefingSchema)
def create_briefing(data):
    """A one-way briefing (newsletter, webinar); its design profile starts at Inform."""
    briefing = services.create_briefing(actor=require_user(), data=data)
    db.session.commit()
    return briefing
