"""One error contract: JSON {"code", "message", "errors", "request_id"} under /api, HTML pages elsewhere."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule of the domain refused an action. Services raise it; views turn it into a response."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None, errors: dict | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.errors = errors or {}
        self.status = status or self.status


class ValidationError(DomainError):
    status = 422
    code = "validation_error"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("You need to sign in to do this."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The request is too large."),
        415: _("Send the request body as JSON."),
        422: _("Some fields are not valid."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def _flatten_webargs(messages: dict) -> dict:
    """webargs groups errors by location ({"json": {...}}); clients want fields, in their language."""
    from engage.messages import translate

    messages = translate(messages)
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
        else:
            flat.setdefault("_schema", []).extend(location_errors)
    return flat


def error_response(status: int, message: str | None = None, *, code: str | None = None, errors: dict | None = None):
    from engage.operations.requestlog import request_id

    message = message or _messages().get(status, _messages()[500])
    code = code or _CODES.get(status, "error")
    # The request id lets a person quote this answer to the operators (it is in their logs and Sentry).
    if wants_json():
        return jsonify({"code": code, "message": message, "errors": errors or {}, "request_id": request_id()}), status
    return render_template(
        "error.html", status=status, message=message, errors=errors or {}, request_id=request_id()
    ), status


def register_error_handlers(app: Flask) -> None:
    from engage.extensions import SAFE_METHODS  # (engage.extensions imports this module through apicontract)

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return error_response(exc.status, exc.message, code=exc.code, errors=exc.errors)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        errors = None
        data = getattr(exc, "data", None) or {}
        if "messages" in data:
            errors = _flatten_webargs(data["messages"])
            if status == 400 and errors:
                status = 422
        message = None
        description = getattr(exc, "description", None)
        # A rate-limit description is the limit itself ("3 per 1 minute"), not a message for people.
        if isinstance(description, str) and description and description != type(exc).description and status != 429:
            message = description
        if status == 400 and "CSRF" in (description or ""):
            message = _("The form expired or the CSRF token is missing. Reload the page and try again.")
            return error_response(400, message, code="csrf_failed")
        return error_response(status, message, errors=errors)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        from engage.operations.sentry import report_exception

        report_exception(exc)
        # The failed transaction must not break the error page itself (locale lookup reads the user).
        from engage.extensions import db

        db.session.rollback()
        return error_response(500)

    @app.before_request
    def _refuse_nul_characters():
        """NUL cannot be stored in PostgreSQL text and is never meaningful in a form or JSON value."""
        field = _field_with_nul(request.args)
        # A read's body is never used, so only a write's form or JSON is looked at (and parsed here).
        if field is None and request.method not in SAFE_METHODS:
            field = _field_with_nul(request.form)
            if field is None and request.is_json:
                field = _json_field_with_nul(request.get_json(silent=True))
        if field is not None:
            message = _("Contains a character that is not allowed.")
            return error_response(422, _("Some fields are not valid."), errors={field: [message]})
        return None


def _field_with_nul(multidict) -> str | None:
    for key, value in multidict.items(multi=True):
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "")
    return None


def _json_field_with_nul(value, name: str = "_schema") -> str | None:
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return key.replace("\x00", "")
            found = _json_field_with_nul(item, key)
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _json_field_with_nul(item, name)
            if found:
                return found
    return None
