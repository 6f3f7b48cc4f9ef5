"""Request ids and structured logs: one JSON line per request and per scheduled job run.

The request id is the caller's ``X-Request-ID`` when it looks like one (a proxy or client that sets it
can follow the request through), else a new random one. It is returned in ``X-Request-ID``, in every
JSON error body and on error pages, so a person can quote it. Log lines name the route's rule
(``/calendar/<token>.ics``), never the path or query string, so secret links, tokens and passwords
never reach a log.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REQUEST_LOGGER = "engage.request"
JOB_LOGGER = "engage.job"
# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def request_id() -> str | None:
    """This request's id (None outside a request)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
    return g.request_id


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the record's extra fields, request id."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")})
        if "request_id" not in line and (rid := request_id()):
            line["request_id"] = rid
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(app: Flask) -> None:
    """JSON lines (ENGAGE_LOG_FORMAT=json, the default) or Flask's plain text, at ENGAGE_LOG_LEVEL, on stderr."""
    if app.config["ENGAGE_LOG_FORMAT"] != "json":
        return
    from flask.logging import default_handler

    logger = logging.getLogger("engage")
    logger.setLevel(app.config["ENGAGE_LOG_LEVEL"].upper())
    app.logger.removeHandler(default_handler)
    if not any(getattr(h, "_engage_json", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JSONFormatter())
        handler._engage_json = True
        logger.addHandler(handler)


def route_of_request() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def init_app(app: Flask) -> None:
    configure_logging(app)
    logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        g.pop("request_id", None)  # (a test client may reuse one app context, and its g, for many requests)
        request_id()

    @app.after_request
    def _log(response):
        started = g.get("request_started")
        duration = time.perf_counter() - started if started is not None else 0.0
        response.headers["X-Request-ID"] = request_id()
        # Only a user this request already loaded: logging must not cost a query.
        user = g.get("_login_user")
        user_id = user.id if user is not None and user.is_authenticated else None
        logger.info(
            "request",
            extra={
                "request_id": request_id(),
                "method": request.method,
                "route": route_of_request(),
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "user_id": int(user_id) if user_id else None,
                "remote_addr": request.remote_addr,
            },
        )
        return response


def log_job_run(name: str, *, seconds: float, result=None, error: str | None = None) -> None:
    logging.getLogger(JOB_LOGGER).log(
        logging.ERROR if error else logging.INFO,
        "job",
        extra={
            "job": name,
            "status": "error" if error else "ok",
            "duration_ms": round(seconds * 1000, 2),
            "result": result,
            "error": error,
        },
    )
