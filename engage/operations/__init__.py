"""Running in production: request ids and JSON logs, health and readiness, metrics, Sentry, backups.

Nothing here is a feature of the domain; every other package may be observed by it, none imports it.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Called first in create_app, so the request id exists before any other hook can answer an error."""
    from engage.operations import health, metrics, models, requestlog, sentry  # noqa: F401  (models: tables)

    requestlog.init_app(app)
    metrics.init_app(app)
    sentry.init_app(app)
    app.register_blueprint(health.bp)
