from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404, page_listing
from engage.auth import schemas, services
from engage.auth.access import sign_in, sign_out
from engage.auth.models import Invitation, Role
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import checks_password_first, db, limiter
from engage.forms import submit_form
from engage.i18n import current_language
from engage.links import external_url, safe_next

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["ENGAGE_LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@checks_password_first
def login():
    if request.method == "POST":
        user = services.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if user is not None:
            db.session.commit()  # end the reading transaction: the session row takes the write lock afresh
            sign_in(user, remember=bool(request.form.get("remember")))
            db.session.commit()
            return redirect(safe_next(request.form.get("next")))
        return render_template(
            "auth/login.html",
            error=_("E-mail or password is not correct."),
            email=request.form.get("email", ""),
            next=request.form.get("next", ""),
        ), 401
    return render_template("auth/login.html", next=request.args.get("next", ""))


@bp.post("/logout")
def logout():
    sign_out()
    flash(_("You are signed out."))
    return redirect(url_for("home.index"))


def _signup_page(invitation: Invitation | None, token: str | None):
    form_schema = schemas.SignupSchema(exclude=("invitation_token",))
    # Language defaults to the browser's; the time zone is filled in by the page's script.
    errors, values = {}, {"locale": current_language()}
    if invitation is not None:
        # What the inviter knew about the person (bulk invitations) fills the form in.
        values.update({"display_name": invitation.invitee_name, "locale": invitation.locale or values["locale"]})
        values.update({k: v for k, v in (("region", invitation.region), ("category", invitation.category)) if v})
        if invitation.category is not None:
            values["category"] = invitation.category.value
    if request.method == "POST":
        values = request.form.to_dict()
        values["consent"] = bool(request.form.get("consent"))
        values["consent_named"] = bool(request.form.get("consent_named"))
        values["consent_reminders"] = bool(request.form.get("consent_reminders"))
        if invitation is not None:
            values["email"] = invitation.email
        user, errors = submit_form(
            form_schema,
            lambda data: services.sign_up(data=data, invitation_token=token),
            {k: v for k, v in values.items() if k != "csrf_token" and v != ""},
        )
        if not errors:
            sign_in(user)
            db.session.commit()
            flash(_("Welcome to Engage, %(name)s.", name=user.display_name))
            return redirect(url_for("home.index"))
    status = 422 if errors else 200
    return render_template(
        "auth/signup.html",
        invitation=invitation,
        errors=errors,
        values=values,
        consent_version=services.CONSENT_TEXT_VERSION,
    ), status


@bp.route("/signup/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def signup(token: str):
    try:
        invitation = services.find_open_invitation(token)
    except DomainError as exc:
        return render_template("error.html", status=404, message=exc.message, errors={}), 404
    return _signup_page(invitation, token)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def open_signup():
    if not services.open_signup_enabled():
        message = _("Sign-up is by invitation only. Ask a working-group lead for an invitation link.")
        return render_template("error.html", status=403, message=message, errors={}), 403
    return _signup_page(None, None)


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invitations():
    if current_user.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators can invite people."))
    errors, new_url = {}, None
    if request.method == "POST":
        created, errors = submit_form(
            schemas.InvitationRequestSchema(), lambda data: services.create_invitation(actor=current_user, **data)
        )
        if not errors:
            new_url = external_url("auth.signup", token=created[1])
    listing = page_listing(services.visible_invitations(current_user))
    groups = services.working_group_choices()
    return render_template(
        "auth/invitations.html", listing=listing, errors=errors, new_url=new_url, groups=groups
    ), 422 if errors else 200


@bp.post("/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(invitation_id: int):
    services.revoke_invitation(get_or_404(Invitation, invitation_id), actor=current_user)
    db.session.commit()
    flash(_("Invitation revoked."))
    return redirect(url_for("auth.invitations"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can change settings."))
    errors = {}
    if request.method == "POST":
        try:
            if "consortium_name" in request.form:
                services.set_consortium_name(request.form["consortium_name"], actor=current_user)
            services.set_open_signup(bool(request.form.get("open_signup")), actor=current_user)
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
        else:
            db.session.commit()
            flash(_("Settings saved."))
            return redirect(url_for("auth.settings"))
    return render_template(
        "auth/settings.html",
        open_signup=services.open_signup_enabled(),
        consortium_value=request.form.get("consortium_name") if errors else services.consortium_name(),
        errors=errors,
    ), 422 if errors else 200


# The account pages live in their own module on this blueprint.
from engage.auth import account  # noqa: E402, F401
