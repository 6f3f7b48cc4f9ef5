"""/healthz (the process answers), /readyz (it can serve: database, migrations, scheduler) and /metrics.

All three are exempt from rate limits: a load balancer or Prometheus polls them from one address.
"""

import ipaddress
import secrets
from functools import cache

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify, request

from engage.extensions import db, limiter
from engage.timeutil import utcnow

bp = Blueprint("operations", __name__)
limiter.exempt(bp)


@bp.get("/healthz")
def healthz():
    """Public: the process is alive and answering (no database access)."""
    return jsonify({"status": "ok"})


@cache
def migration_heads(directory: str) -> tuple[str, ...]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return tuple(sorted(ScriptDirectory.from_config(config).get_heads()))


def readiness(now) -> tuple[bool, dict]:
    checks: dict = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = {"ok": True}
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        checks["database"] = {"ok": False, "error": type(exc).__name__}
        return False, checks
    head = migration_heads(current_app.extensions["migrate"].directory)
    try:
        current = tuple(sorted(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")).all()))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        current = ()
    checks["migrations"] = {"ok": current == head, "current": list(current), "head": list(head)}
    max_age = current_app.config["ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS"]
    if max_age > 0:
        from engage.operations.heartbeat import heartbeat_age_seconds

        age = heartbeat_age_seconds(now)
        checks["scheduler"] = {
            "ok": age is not None and age <= max_age,
            "heartbeat_age_seconds": None if age is None else round(age, 1),
            "max_age_seconds": max_age,
        }
    return all(check["ok"] for check in checks.values()), checks


@bp.get("/readyz")
def readyz():
    """Public: 200 when the database answers, its schema is at the migrations' head and a scheduler beat
    recently (ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS; 0 leaves the scheduler out); else 503."""
    ready, checks = readiness(utcnow())
    return jsonify({"status": "ready" if ready else "not_ready", "checks": checks}), 200 if ready else 503


def _may_scrape() -> bool:
    token = current_app.config["ENGAGE_METRICS_TOKEN"]
    if token:
        scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(given.strip().encode(), token.encode())
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def metrics():
    """Prometheus text format: with ENGAGE_METRICS_TOKEN, for its bearer; without, for loopback clients only."""
    if not _may_scrape():
        from engage.errors import error_response

        return error_response(403)
    from prometheus_client import CONTENT_TYPE_LATEST

    from engage.operations.metrics import exposition

    return Response(exposition(utcnow()), mimetype=CONTENT_TYPE_LATEST.split(";")[0])
