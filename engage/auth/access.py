"""Who is asking: session cookie or bearer token, locale and zone, CSRF for cookie-based requests."""

from flask import Flask, g, redirect, request, url_for
from flask_login import current_user

from engage.errors import error_response, wants_json
from engage.extensions import csrf, db, login_manager

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def init_app(app: Flask) -> None:
    from engage.auth.models import User
    from engage.auth.services import user_for_bearer

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(user_id: str):
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # A switched-off account loses its sessions and remember cookies at once.
        return user if user is not None and user.is_active else None

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
        if not app.config["WTF_CSRF_ENABLED"] or request.method in _SAFE_METHODS:
            return None
        if request.path.startswith("/api/") and (not current_user.is_authenticated or g.get("authenticated_by_token")):
            # Only a session cookie can be forged cross-site: a bearer token cannot, and without a signed-in
            # user there is nothing to forge (the view answers 401 if it needs one).
            return None
        csrf.protect()
        return None

    @app.context_processor
    def _template_helpers():
        from engage.auth.templating import helpers

        return helpers()


def select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return request.accept_languages.best_match(current_app.config["ENGAGE_LANGUAGES"]) or "en"


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
