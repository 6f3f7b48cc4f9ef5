import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from engage.apiutil import Blueprint, PageArgs, get_or_404, page_of, paginate
from engage.auth import schemas, services, sessions
from engage.auth.access import current_session, require_user
from engage.auth.models import ApiToken, ConsentPurpose, Invitation, Role
from engage.errors import DomainError, NotFound, PermissionDenied
from engage.extensions import checks_password_first, db, limiter
from engage.links import external_url

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Accounts, tokens and invitations")


def _login_limit() -> str:
    return current_app.config["ENGAGE_LOGIN_RATE_LIMIT"]


@blp.route("/auth/tokens", methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"])
@blp.arguments(schemas.TokenRequestSchema)
@blp.response(201, schemas.NewTokenSchema)
@checks_password_first
def create_token(data):
    """Exchange e-mail and password for a bearer token with an expiry."""
    user = services.authenticate(data["email"], data["password"])
    if user is None:
        raise DomainError(_("E-mail or password is not correct."), status=401, code="invalid_credentials")
    db.session.commit()  # end the reading transaction: the write below takes the write lock afresh
    token, plain = services.issue_api_token(user, name=data["name"])
    db.session.commit()
    token.token = plain  # shown once, never stored
    return token


@blp.route("/auth/tokens", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(schemas.TokenSchema))
def list_tokens(args):
    """Your API tokens (never the secrets)."""
    user = require_user()
    stmt = sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    return paginate(stmt, args)


@blp.route("/auth/tokens/<int:token_id>", methods=["DELETE"])
@blp.response(204)
def revoke_token(token_id):
    """Revoke one of your tokens."""
    user = require_user()
    services.revoke_api_token(get_or_404(ApiToken, token_id), actor=user)
    db.session.commit()


@blp.route("/me", methods=["GET"])
@blp.response(200, schemas.UserSchema)
def me():
    return require_user()


@blp.route("/me", methods=["PATCH"])
@blp.arguments(schemas.ProfileSchema)
@blp.response(200, schemas.UserSchema)
def update_me(data):
    user = services.update_profile(require_user(), data=data)
    db.session.commit()
    return user


@blp.route("/me/calendar-feed", methods=["POST"])
@blp.response(201, schemas.CalendarFeedSchema)
def rotate_calendar_feed():
    """A new private calendar feed URL; any earlier URL stops working."""
    plain = services.rotate_calendar_token(require_user())
    db.session.commit()
    return {"url": external_url("calendars.feed", token=plain)}


@blp.route("/me/calendar-feed", methods=["DELETE"])
@blp.response(204)
def revoke_calendar_feed():
    services.revoke_calendar_token(require_user())
    db.session.commit()


@blp.route("/signup", methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"])
@blp.arguments(schemas.SignupSchema)
@blp.response(201, schemas.UserSchema)
def signup(data):
    """Create an account with an invitation token, or openly when open sign-up is on."""
    token = data.pop("invitation_token", None)
    user = services.sign_up(data=data, invitation_token=token)
    db.session.commit()
    return user


@blp.route("/invitations", methods=["POST"])
@blp.arguments(schemas.InvitationRequestSchema)
@blp.response(201, schemas.NewInvitationSchema)
def create_invitation(data):
    """Invite someone by e-mail; the response carries the sign-up link to send them."""
    invitation, plain = services.create_invitation(actor=require_user(), **data)
    db.session.commit()
    invitation.url = external_url("auth.signup", token=plain)  # shown once, never stored
    return invitation


@blp.route("/invitations", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(schemas.InvitationSchema))
def list_invitations(args):
    user = require_user()
    if user.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators can see invitations."))
    return paginate(services.visible_invitations(user), args)


@blp.route("/invitations/<int:invitation_id>", methods=["DELETE"])
@blp.response(204)
def revoke_invitation(invitation_id):
    user = require_user()
    services.revoke_invitation(get_or_404(Invitation, invitation_id), actor=user)
    db.session.commit()


@blp.route("/settings", methods=["GET"])
@blp.response(200, schemas.SettingsSchema)
def get_settings():
    if not require_user().is_coordinator:
        raise PermissionDenied(_("Only a coordinator can see settings."))
    return _settings()


def _settings() -> dict:
    return {"open_signup": services.open_signup_enabled(), "consortium_name": services.consortium_name()}


@blp.route("/settings", methods=["PUT"])
@blp.arguments(schemas.SettingsSchema)
@blp.response(200, schemas.SettingsSchema)
def put_settings(data):
    """Open sign-up and the consortium's name; a field left out keeps its value."""
    user = require_user()
    if "consortium_name" in data:
        services.set_consortium_name(data["consortium_name"], actor=user)
    if "open_signup" in data:
        services.set_open_signup(data["open_signup"], actor=user)
    elif not user.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can change settings."))
    db.session.commit()
    return _settings()


# --- passwords, e-mail address, consents, sessions ----------------------------------------------------


def _reset_limit() -> str:
    return current_app.config["ENGAGE_PASSWORD_RESET_RATE_LIMIT"]


@blp.route("/auth/password-reset", methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@blp.arguments(schemas.PasswordResetRequestSchema)
@blp.response(202)
def request_password_reset(data):
    """E-mail a single-use reset link. The answer is the same whether or not the address has an account."""
    services.request_password_reset(data["email"])
    db.session.commit()


@blp.route("/auth/password-reset/confirm", methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@blp.arguments(schemas.PasswordResetConfirmSchema)
@blp.response(204)
def confirm_password_reset(data):
    """Set a new password with the link's token; every session and token of the account ends."""
    services.reset_password(data["token"], new_password=data["password"])
    db.session.commit()


@blp.route("/me/password", methods=["PUT"])
@blp.arguments(schemas.PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """A new password, given the current one. Other sessions and every API token end (this one too)."""
    services.change_password(require_user(), **data, keep=current_session())
    db.session.commit()


@blp.route("/me/email", methods=["POST"])
@blp.arguments(schemas.EmailChangeSchema)
@blp.response(202)
def request_email_change(data):
    """Send a confirmation link to the new address; the address changes when it is followed."""
    services.request_email_change(require_user(), **data)
    db.session.commit()


@blp.route("/me/email/confirm", methods=["POST"])
@blp.arguments(schemas.TokenOnlySchema)
@blp.response(200, schemas.UserSchema)
def confirm_email_change(data):
    user = services.confirm_email_change(data["token"])
    db.session.commit()
    return user


def _consents(user) -> list[dict]:
    result = []
    for purpose in ConsentPurpose:
        record = services.current_consent(user, purpose)
        result.append(
            {
                "purpose": purpose.value,
                "given": record is not None,
                "text_version": record.text_version if record else None,
                "given_at": record.given_at if record else None,
            }
        )
    return result


@blp.route("/me/consents", methods=["GET"])
@blp.response(200, schemas.ConsentSchema(many=True))
def list_consents():
    """Each purpose (participation terms, named in minutes, reminder e-mails): given or not, to which text."""
    return _consents(require_user())


@blp.route("/me/consents/<purpose>", methods=["PUT"])
@blp.arguments(schemas.ConsentChangeSchema)
@blp.response(200, schemas.ConsentSchema)
def change_consent(data, purpose):
    """Give (again) or withdraw one consent."""
    user = require_user()
    try:
        chosen = ConsentPurpose(purpose)
    except ValueError:
        raise NotFound(_("No such consent.")) from None
    (services.give_consent if data["given"] else services.withdraw_consent)(user, chosen)
    db.session.commit()
    return next(c for c in _consents(user) if c["purpose"] == chosen.value)


@blp.route("/me/sessions", methods=["GET"])
@blp.response(200, schemas.SessionSchema(many=True))
def list_sessions():
    """Where you are signed in (browsers); API tokens are listed under /auth/tokens."""
    return sessions.active_sessions(require_user())


@blp.route("/me/sessions", methods=["DELETE"])
@blp.response(204)
def end_other_sessions():
    """Sign out every browser session but the one making this request."""
    sessions.end_sessions(require_user(), keep=current_session())
    db.session.commit()
