"""Who is asking: session cookie or bearer token, locale and zone, CSRF for cookie-based requests."""

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user, login_user, logout_user

from engage.errors import error_response, wants_json
from engage.extensions import SAFE_METHODS, csrf, db, login_manager, request_begins_deferred
from engage.timeutil import utcnow


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def client_address() -> str:
    return request.remote_addr or ""


def sign_in(user, *, remember: bool = False) -> None:
    """Start a server-side session for this browser and hand its secret to Flask-Login's cookies.

    The caller commits (the row must exist before the next request arrives)."""
    from engage.auth.sessions import remember_lifetime, start_session

    row, plain = start_session(
        user, remember=remember, ip_address=client_address(), user_agent=request.headers.get("User-Agent", "")
    )
    user.session_secret = plain
    login_user(user, remember=remember, duration=remember_lifetime())
    g.user_session = row


def sign_out() -> None:
    """End this browser's session row (every copy of its cookies stops working), then forget the cookies."""
    from engage.auth.sessions import end_session

    row = g.get("user_session")
    if row is not None:
        end_session(row)
        db.session.commit()
    logout_user()
    g.user_session = None


def current_session():
    """The server-side session of this request, or None (bearer token, or signed out)."""
    return g.get("user_session") if current_user.is_authenticated else None


def _record_activity(row) -> None:
    from engage.auth import sessions

    now = utcnow()
    values = sessions.touch_values(row, now)
    if values is None:
        return
    statement = sessions.touch_statement(row, values, now)
    if request_begins_deferred():
        # This request's transaction only reads; the write goes through its own short transaction.
        with db.engine.connect() as connection:
            with connection.execution_options(engage_write=True).begin():
                connection.execute(statement)
    else:
        db.session.execute(statement)


def init_app(app: Flask) -> None:
    from engage.auth.services import user_for_bearer
    from engage.auth.sessions import find_session

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(secret: str):
        # The cookie's value is the session's secret (see User.get_id); an ended or expired session, or a
        # switched-off account, loads nobody, whichever copy of the cookie is presented.
        g.user_session = None
        row = find_session(secret)
        if row is None:
            return None
        g.user_session = row
        _record_activity(row)
        return row.user

    @app.before_request
    def _authorization_header_wins():
        # An API request that carries an Authorization header is answered as that header says — the
        # bearer token's user, or nobody — never as a session cookie that happens to come along: a
        # client mixing both would otherwise act as the cookie's user and fail its CSRF check.
        if "Authorization" not in request.headers or not request.path.startswith("/api/"):
            return None
        token = bearer_token()
        g.authenticated_by_token = True
        g._login_user = (token and user_for_bearer(token)) or login_manager.anonymous_user()
        return None

    @login_manager.unauthorized_handler
    def _unauthorized():
        if wants_json():
            return error_response(401)
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))

    @app.before_request
    def _csrf_for_cookie_auth():
        # A bearer token cannot be sent by a third-party page, so only cookie-authenticated writes need CSRF.
        if not app.config["WTF_CSRF_ENABLED"] or request.method in SAFE_METHODS:
            return None
        if request.path.startswith("/api/") and (not current_user.is_authenticated or g.get("authenticated_by_token")):
            # Only a session cookie can be forged cross-site: a bearer token cannot, and without a signed-in
            # user there is nothing to forge (the view answers 401 if it needs one).
            return None
        csrf.protect()
        return None

    # Pages that stay open to someone who has not agreed to the current terms: agreeing, leaving, and
    # exercising their rights (their data, erasure, their account and consents).
    consent_free = {"auth.consent", "auth.logout", "auth.account", "auth.change_consent", "language.switch", "static"}

    @app.before_request
    def _ask_for_current_terms():
        from engage.auth.services import needs_terms_consent

        if not current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            return _refuse_api_without_current_terms(needs_terms_consent)
        if g.get("authenticated_by_token"):
            return None
        endpoint = request.endpoint or ""
        if endpoint in consent_free or endpoint.startswith("privacy."):
            return None
        if needs_terms_consent(current_user):
            return redirect(url_for("auth.consent", next=request.full_path if request.query_string else request.path))
        return None

    @app.context_processor
    def _template_helpers():
        from engage.auth.templating import helpers

        return helpers()

    from engage.auth.templating import filters, macro_globals

    # `{% do list.append(x) %}` in templates: building option lists without shadowing the gettext `_`.
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(filters())
    app.jinja_env.globals.update(macro_globals())


def _refuse_api_without_current_terms(needs_terms_consent) -> None:
    """The API asks for the current terms too: until the person agrees (PUT /api/v1/me/consents/participation
    or the consent page), only their own account, consents, sessions, tokens and data rights answer."""
    from flask_babel import gettext as _

    from engage.errors import DomainError

    rule = request.url_rule.rule if request.url_rule else ""
    if rule.startswith(("/api/v1/me", "/api/v1/auth/", "/api/v1/signup")):
        return None
    if needs_terms_consent(current_user):
        raise DomainError(
            _("Agree to the current participation terms first (your account's consents)."),
            code="consent_required",
            status=403,
        )
    return None


def select_timezone() -> str | None:
    from flask import has_request_context

    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    from urllib.parse import unquote

    from engage.timeutil import is_valid_zone

    # engage.js writes the cookie with encodeURIComponent ("Asia%2FShanghai").
    zone = unquote(request.cookies.get("tz") or "")
    return zone if is_valid_zone(zone) else None


def require_user():
    """The signed-in user, or abort with 401 (API) / a redirect to the login page."""
    if not current_user.is_authenticated:
        from flask import abort

        if wants_json():
            abort(401)
        abort(login_manager.unauthorized())
    return current_user._get_current_object()
