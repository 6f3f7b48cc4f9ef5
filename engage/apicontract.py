"""The API's published contract, kept true to what it answers.

- The error schema is the real body, ``{"code": str, "message": str, "errors": {…}, "request_id": str}``.
- ``securitySchemes``: a bearer token, or the session cookie with its CSRF header for writes.
- Every operation lists the 4xx it can answer, derived from what it is: 401/403 when its view requires a
  signed-in user (and 403 `consent_required` on every call outside one's own account and data
  rights, made signed in before agreeing to the current terms), 404 with a path id, 400/409 for
  writes (malformed JSON or an expired CSRF token; a domain rule refusing the change), 413/422 for a
  body, 422 for query arguments, 401/429 where the login rate limit applies (a password is checked),
  and the few in EXTRA_STATUSES. A suite-wide test checks every error the test suite provokes
  against this list.
- JSON GETs carry an ``ETag`` and answer ``304`` to a matching ``If-None-Match``; list endpoints also
  give their pages in a ``Link`` header (RFC 8288: first, prev, next, last).
"""

import inspect
import re

from flask import Flask, request
from marshmallow import INCLUDE, Schema, fields

from engage.errors import _CODES

WRITE_METHODS = {"post", "put", "patch", "delete"}
_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
# The source of a view that needs a signed-in user calls one of these.
_AUTH_CALLS = ("require_user(", "require_reporter(", "login_required")
_DESCRIPTIONS = {
    304: "Not modified: the representation still has the ETag given in If-None-Match.",
    400: "Malformed request (e.g. invalid JSON), or a session-authenticated write without a valid CSRF token.",
    401: "No valid bearer token or session.",
    403: "Signed in, but not allowed to do this, or not yet agreed to the current terms (code consent_required).",
    404: "No such object, or one you may not know exists.",
    409: "Refused by a rule of the domain in the object's current state.",
    413: "The request body is larger than the limit.",
    422: "Some fields are not valid: `errors` maps each field to its messages.",
    429: "Too many attempts from this address; try again later.",
}


class ErrorSchema(Schema):
    """Every error the API answers."""

    class Meta:
        # Documented as open (additionalProperties): a field added later must not break generated clients.
        unknown = INCLUDE

    code = fields.Str(required=True, metadata={"description": "Machine-readable reason, e.g. `not_found`."})
    message = fields.Str(required=True, metadata={"description": "For people, in the request's language."})
    errors = fields.Dict(
        keys=fields.Str(),
        required=True,
        metadata={"description": "Field name → list of messages (an object for nested fields); often empty."},
    )
    request_id = fields.Str(
        required=True, metadata={"description": "Quote it to the operators; also in the X-Request-ID header."}
    )


# What the rules cannot see in an operation's shape, with the reason.
EXTRA_STATUSES: dict[tuple[str, str], set[int]] = {
    # Open sign-up switched off (403); an unknown or used invitation token (404).
    ("/api/v1/signup", "post"): {403, 404},
    # The working group or people named in the query do not exist.
    ("/api/v1/scheduling/slots", "get"): {404},
    # The pillar named in the body does not exist.
    ("/api/v1/delphi/surveys", "post"): {404},
    # Results and raw responses exist only once the round has closed.
    ("/api/v1/delphi/rounds/{round_id}/results", "get"): {409},
    ("/api/v1/delphi/rounds/{round_id}/responses.csv", "get"): {409},
    # The compiled PDF is not made yet, or has expired.
    ("/api/v1/minutes-exports/{export_id}/file", "get"): {409},
    # An unknown, used or expired link token.
    ("/api/v1/auth/password-reset/confirm", "post"): {404},
    ("/api/v1/me/email/confirm", "post"): {404},
    # "My data" is not made yet, or has expired.
    ("/api/v1/me/data-exports/{export_id}/file", "get"): {409},
    # A CSV upload read from the body (file or text/csv), not through a schema.
    ("/api/v1/indicators/{indicator_id}/measurements/import", "post"): {413, 422},
}


def openapi_path(rule: str) -> str:
    return _RULE_PARAM.sub(r"{\1}", rule)


def _views_by_operation(app: Flask) -> dict[tuple[str, str], object]:
    views = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                views[(openapi_path(rule.rule), method.lower())] = app.view_functions[rule.endpoint]
    return views


_CALLED = re.compile(r"\b([A-Za-z_]\w*)\(")


def _needs_user(view) -> bool:
    """Whether the view, or a function of its own module that it calls (a shared loader), asks for a user."""
    function = inspect.unwrap(view)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return True
    module = inspect.getmodule(function)
    for name in set(_CALLED.findall(source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == function.__module__ and helper is not function:
            try:
                source += inspect.getsource(helper)
            except (OSError, TypeError):
                continue
    return any(call in source for call in _AUTH_CALLS)


def _rate_limited(view) -> bool:
    from engage.extensions import limiter

    function = inspect.unwrap(view)
    marked = getattr(limiter, "_marked_for_limiting", set())
    return any(name.startswith(f"{function.__module__}.{function.__name__}") for name in marked)


def statuses_of(path: str, method: str, operation: dict, view) -> set[int]:
    """The 4xx an operation can answer (see the module docstring for the rules)."""
    statuses: set[int] = set()
    has_body = "requestBody" in operation
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    needs_user = view is not None and _needs_user(view)
    if needs_user:
        statuses |= {401, 403}
    if not path.startswith(("/api/v1/me", "/api/v1/auth/", "/api/v1/signup")):
        statuses.add(403)  # called signed in before agreeing to the current terms: consent_required
    if "{" in path:
        statuses.add(404)
    if method in WRITE_METHODS:
        statuses |= {400, 409}
    if has_body:
        statuses |= {400, 413, 422}
    if has_query:
        statuses.add(422)
    if view is not None and _rate_limited(view):
        statuses |= {401, 429}  # the rate-limited operations are the ones that check a password
    return statuses | EXTRA_STATUSES.get((path, method), set())


def _response_name(status: int) -> str:
    return "Error" + "".join(part.title() for part in _CODES[status].split("_"))


def document(app: Flask, api) -> None:
    """Complete the spec of every registered operation (called once the blueprints are registered)."""
    spec = api.spec
    spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/tokens."}
    )
    spec.components.security_scheme(
        "sessionCookie",
        {"type": "apiKey", "in": "cookie", "name": app.config.get("SESSION_COOKIE_NAME", "session")},
    )
    spec.components.security_scheme(
        "csrfToken",
        {"type": "apiKey", "in": "header", "name": "X-CSRFToken", "description": "With the session cookie, on writes."},
    )
    error_ref = {"$ref": "#/components/schemas/Error"}
    for status, description in _DESCRIPTIONS.items():
        if status >= 400:
            spec.components.response(
                _response_name(status),
                {"description": description, "content": {"application/json": {"schema": error_ref}}},
            )
    spec.components.header("ETag", {"description": "Entity tag of the body.", "schema": {"type": "string"}})
    spec.components.header(
        "Link",
        {"description": "RFC 8288 links to the first, prev, next and last pages.", "schema": {"type": "string"}},
    )
    spec.components.parameter(
        "IfNoneMatch",
        "header",
        {"name": "If-None-Match", "required": False, "schema": {"type": "string"}, "description": "An ETag seen."},
    )
    views = _views_by_operation(app)
    for path, item in spec._paths.items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            _document_operation(path, method, operation, views.get((path, method)))


def _document_operation(path: str, method: str, operation: dict, view) -> None:
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses_of(path, method, operation, view)):
        responses[str(status)] = {"$ref": f"#/components/responses/{_response_name(status)}"}
    if view is not None and _needs_user(view):
        cookie = {"sessionCookie": [], "csrfToken": []} if method in WRITE_METHODS else {"sessionCookie": []}
        operation["security"] = [{"bearerAuth": []}, cookie]
    else:
        operation["security"] = [{}, {"bearerAuth": []}, {"sessionCookie": []}]
    ok = responses.get("200")
    if method == "get" and ok and "application/json" in ok.get("content", {}):
        ok.setdefault("headers", {})["ETag"] = {"$ref": "#/components/headers/ETag"}
        responses["304"] = {"description": _DESCRIPTIONS[304]}
        operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/IfNoneMatch"})
        if ok["content"]["application/json"].get("schema", {}).get("$ref", "").endswith("Page"):
            ok["headers"]["Link"] = {"$ref": "#/components/headers/Link"}


def init_app(app: Flask) -> None:
    @app.after_request
    def _etag(response):
        """JSON GETs: a strong ETag of the body, and 304 when the client already has it."""
        if (
            request.method in {"GET", "HEAD"}
            and request.path.startswith("/api/")
            and response.status_code == 200
            and response.mimetype == "application/json"
            and not response.direct_passthrough
        ):
            response.add_etag()
            response.vary.update(("Authorization", "Cookie"))
            response = response.make_conditional(request)
        return response
