"""Pages for one's own account: password, e-mail address, consents, sessions; forgotten passwords."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.auth import schemas, services, sessions
from engage.auth.access import current_session, sign_out
from engage.auth.models import AccountTokenPurpose, ConsentPurpose, UserSession
from engage.auth.views import bp
from engage.errors import DomainError, NotFound
from engage.extensions import db, limiter
from engage.forms import submit_form
from engage.links import external_url, safe_next


def _reset_limit() -> str:
    return current_app.config["ENGAGE_PASSWORD_RESET_RATE_LIMIT"]


def account_page(errors: dict | None = None, *, form: str = "", feed_url: str | None = None, status: int = 200):
    """My account, with the errors of the one form that was posted (named by `form`)."""
    return render_template(
        "auth/account.html",
        errors=errors if form == "profile" else {},
        form_errors_of={form: errors or {}},
        feed_url=feed_url,
        sessions=sessions.active_sessions(current_user),
        this_session=current_session(),
        consents={p: services.current_consent(current_user, p) for p in ConsentPurpose},
        consent_version=services.CONSENT_TEXT_VERSION,
    ), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    errors, feed_url = {}, None
    if request.method == "POST":
        action = request.form.get("action", "profile")
        if action == "profile":
            schema = schemas.ProfileSchema()
            _user, errors = submit_form(
                schema,
                lambda data: services.update_profile(current_user, data=data),
                {k: v for k, v in request.form.items() if k in schema.fields and v != ""},
            )
            if not errors:
                flash(_("Your profile is saved."))
                return redirect(url_for("auth.account"))
        elif action == "rotate-feed":
            plain = services.rotate_calendar_token(current_user)
            db.session.commit()
            feed_url = external_url("calendars.feed", token=plain)
        elif action == "revoke-feed":
            services.revoke_calendar_token(current_user)
            db.session.commit()
            flash(_("Your calendar feed URL no longer works."))
            return redirect(url_for("auth.account"))
    return account_page(errors, form="profile", feed_url=feed_url, status=422 if errors else 200)


def _run(form: str, action, success: str):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return account_page(exc.errors or {"_": [exc.message]}, form=form, status=422)
    db.session.commit()
    flash(success)
    return redirect(url_for("auth.account") + f"#{form}")


@bp.post("/account/password")
@login_required
def change_password():
    # A rare action: its password check may hold SQLite's write lock for the hash's ~0.1 s.
    def change():
        services.change_password(
            current_user,
            current_password=request.form.get("current_password", ""),
            new_password=request.form.get("new_password", ""),
            keep=current_session(),
        )

    return _run("password", change, _("Your password is changed. You are signed out everywhere else."))


@bp.post("/account/email")
@login_required
def change_email():
    def change():
        services.request_email_change(
            current_user,
            new_email=request.form.get("new_email", ""),
            current_password=request.form.get("current_password", ""),
        )

    return _run(
        "email", change, _("We sent a confirmation link to the new address. Your address changes once you follow it.")
    )


@bp.post("/account/consents/<purpose>")
@login_required
def change_consent(purpose: str):
    try:
        chosen = ConsentPurpose(purpose)
    except ValueError:
        raise NotFound(_("No such consent.")) from None
    give = request.form.get("given") == "1"
    action = services.give_consent if give else services.withdraw_consent
    message = _("Your consent is recorded.") if give else _("Your consent is withdrawn.")
    return _run("consents", lambda: action(current_user, chosen), message)


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    count = sessions.end_sessions(current_user, keep=current_session())
    db.session.commit()
    flash(_("Signed out of %(n)d other sessions.", n=count))
    return redirect(url_for("auth.account") + "#sessions")


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_one_session(session_id: int):
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        raise NotFound(_("Session not found."))
    if row is current_session():
        sign_out()
        return redirect(url_for("auth.login"))
    sessions.end_session(row)
    db.session.commit()
    flash(_("That session is signed out."))
    return redirect(url_for("auth.account") + "#sessions")


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link sent to the new address. GET shows a button, so mail scanners following links change nothing."""
    try:
        pending = services.find_account_token(token, AccountTokenPurpose.EMAIL_CHANGE)
    except DomainError as exc:
        return render_template("error.html", status=404, message=exc.message, errors={}), 404
    if request.method == "POST":
        try:
            services.confirm_email_change(token)
        except DomainError as exc:
            db.session.rollback()
            return render_template("error.html", status=exc.status, message=exc.message, errors={}), exc.status
        db.session.commit()
        flash(_("Your e-mail address is changed."))
        return redirect(url_for("auth.account") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/confirm_email.html", new_email=pending.new_email)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password():
    if request.method == "POST":
        services.request_password_reset(request.form.get("email", ""))
        db.session.commit()
        # The same answer whether or not the address has an account.
        flash(_("If an account uses this address, we sent it a link to choose a new password."))
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    errors = {}
    if request.method == "POST":
        try:
            services.reset_password(token, new_password=request.form.get("password", ""))
        except DomainError as exc:
            db.session.rollback()
            if exc.status == 404:
                return render_template("error.html", status=404, message=exc.message, errors={}), 404
            errors = exc.errors
        else:
            db.session.commit()
            flash(_("Your password is changed. Sign in with it; every other session was signed out."))
            return redirect(url_for("auth.login"))
    else:
        try:
            services.find_account_token(token, AccountTokenPurpose.PASSWORD_RESET)
        except DomainError as exc:
            return render_template("error.html", status=404, message=exc.message, errors={}), 404
    return render_template("auth/reset_password.html", errors=errors), 422 if errors else 200


@bp.route("/consent", methods=["GET", "POST"])
@login_required
def consent():
    """Agree to the current participation terms: asked after they change, or after consent was withdrawn."""
    if request.method == "POST":
        if not request.form.get("consent"):
            return render_template(
                "auth/consent.html",
                error=_("You must agree to the participation terms to take part."),
                next=request.form.get("next", ""),
                consent_version=services.CONSENT_TEXT_VERSION,
            ), 422
        services.give_consent(current_user, ConsentPurpose.PARTICIPATION)
        db.session.commit()
        return redirect(safe_next(request.form.get("next")))
    return render_template(
        "auth/consent.html", next=request.args.get("next", ""), consent_version=services.CONSENT_TEXT_VERSION
    )
