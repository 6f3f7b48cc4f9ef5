from engage.admin import bulk, schemas, services
from engage.apiutil import Blueprint, get_or_404, page_of, paginate
from engage.auth.access import require_user
from engage.auth.models import Invitation, User
from engage.auth.schemas import NewInvitationSchema
from engage.auth.services import resend_invitation
from engage.delphi.models import DelphiSurvey
from engage.extensions import db
from engage.links import external_url

blp = Blueprint("admin_api", __name__, url_prefix="/api/v1", description="User administration (coordinators)")


@blp.route("/users", methods=["GET"])
@blp.arguments(schemas.UserFilterArgs, location="query")
@blp.response(200, page_of(schemas.AdminUserSchema))
def list_users(args):
    """Search and filter people (name or e-mail, role, led working group, region, category, switched on)."""
    services.require_coordinator(require_user())
    filters = {k: args.pop(k) for k in ("q", "role", "working_group_id", "region", "category", "is_active")}
    return paginate(services.users_query(**filters), args)


@blp.route("/users/<int:user_id>", methods=["GET"])
@blp.response(200, schemas.AdminUserSchema)
def get_user(user_id):
    services.require_coordinator(require_user())
    return get_or_404(User, user_id)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@blp.arguments(schemas.UserUpdateSchema)
@blp.response(200, schemas.AdminUserSchema)
def update_user(data, user_id):
    """Change role and lead assignments, switch the account off or on (off ends its sessions and tokens)."""
    actor = require_user()
    services.require_coordinator(actor)
    user = services.update_user(get_or_404(User, user_id), actor=actor, data=data)
    db.session.commit()
    return user


@blp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@blp.response(200, NewInvitationSchema)
def resend(invitation_id):
    """A new link for an open invitation (the old one stops working), e-mailed again."""
    invitation = get_or_404(Invitation, invitation_id)
    plain = resend_invitation(invitation, actor=require_user())
    db.session.commit()
    invitation.url = external_url("auth.signup", token=plain)
    return invitation


@blp.route("/invitations/bulk", methods=["POST"])
@blp.arguments(schemas.BulkInvitationSchema)
@blp.response(200, schemas.BulkResultSchema)
def bulk_invite(data):
    """Invite everyone in a CSV (sign-up, or a Delphi panel with `survey_id`): all rows or none.
    `dry_run` answers the preview without sending."""
    actor = require_user()
    survey = get_or_404(DelphiSurvey, data["survey_id"]) if data["survey_id"] else None
    bulk.require_may_invite(actor, survey)
    rows = bulk.parse_invitations(data["csv"], with_groups=survey is None)
    if data["dry_run"]:
        return {"sent": False, "count": len(rows), "rows": rows}
    count = bulk.send_invitations(rows, actor=actor, survey=survey)
    db.session.commit()
    return {"sent": True, "count": count, "rows": rows}
