"""Engage: stakeholder engagement for multi-country research consortia."""

import os

import sqlalchemy as sa
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from engage import config as config_module
from engage import messages

# Before any schema class exists: fields copy their messages when they are created.
messages.install()


_READ_ONLY = {"GET", "HEAD", "OPTIONS"}
_RETRIED = "engage.retried_on_fresh_connection"


class Engage(Flask):
    """Flask, with a read-only request retried once when the database dropped its connection mid-request.

    The pool pings a connection before lending it (SQLALCHEMY_ENGINE_OPTIONS), which covers connections
    that died while idle; this covers one dying under a request (a database restart or failover, an
    operator's pg_terminate_backend). A read changes nothing, so running it again on a fresh connection is
    safe; a write is never repeated (its client may retry, with an Idempotency-Key).
    """

    def _once_more_if_disconnected(self, call):
        try:
            return call()
        except sa.exc.DBAPIError as exc:
            if not exc.connection_invalidated or request.method not in _READ_ONLY or request.environ.get(_RETRIED):
                raise
        from engage.extensions import db

        request.environ[_RETRIED] = True
        self.logger.warning("database connection lost during %s %s; retrying once", request.method, request.path)
        db.session.rollback()
        return call()

    def preprocess_request(self):
        return self._once_more_if_disconnected(super().preprocess_request)

    def dispatch_request(self):
        return self._once_more_if_disconnected(super().dispatch_request)


def resource_folder(name: str) -> str:
    """templates/, static/ or migrations/: inside the package when installed from a wheel, else the checkout's."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, name)
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(here), name)


def create_app(config: dict | None = None) -> Flask:
    app = Engage(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("ENGAGE_INSTANCE_PATH") or None,
        template_folder=resource_folder("templates"),
        static_folder=resource_folder("static"),
    )
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    config_module.check_production(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["ENGAGE_PROXY_HOPS"]:
        # Behind a reverse proxy: take the client address and scheme from its X-Forwarded-* headers,
        # so the login rate limit counts people, not the proxy.
        hops = app.config["ENGAGE_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)

    from engage import apicontract
    from engage.errors import register_error_handlers
    from engage.extensions import api

    register_error_handlers(app)
    apicontract.init_app(app)
    apicontract.document(app, api)

    from engage import headers, idempotency

    idempotency.init_app(app)
    headers.init_app(app)

    from engage.cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from engage import i18n, operations, storage
    from engage.auth import access
    from engage.extensions import api, babel, configure_sqlite, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    operations.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["ENGAGE_SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=resource_folder("migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.request_locale, timezone_selector=access.select_timezone)
    api.init_app(app)
    access.init_app(app)
    storage.init_app(app)
    i18n.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from engage.admin.api import blp as admin_api
    from engage.admin.views import bp as admin_views
    from engage.apiutil import IdConverter
    from engage.audit.api import blp as audit_api
    from engage.audit.views import bp as audit_views
    from engage.auth.api import blp as auth_api
    from engage.auth.views import bp as auth_views
    from engage.calendars.views import bp as calendar_views
    from engage.consultations.api import blp as consultations_api
    from engage.consultations.views import bp as consultations_views
    from engage.delphi.api import blp as delphi_api
    from engage.delphi.views import bp as delphi_views
    from engage.extensions import api
    from engage.home.views import bp as home_views
    from engage.iap2.api import blp as iap2_api
    from engage.iap2.views import bp as iap2_views
    from engage.indicators.api import blp as indicators_api
    from engage.indicators.views import bp as indicators_views
    from engage.minutes.api import blp as minutes_api
    from engage.minutes.views import bp as minutes_views
    from engage.notifications.api import blp as notifications_api
    from engage.notifications.views import bp as notifications_views
    from engage.participation.api import blp as participation_api
    from engage.participation.views import bp as participation_views
    from engage.priorities.api import blp as priorities_api
    from engage.priorities.views import bp as priorities_views
    from engage.privacy.api import blp as privacy_api
    from engage.privacy.views import bp as privacy_views
    from engage.roadmap.api import blp as roadmap_api
    from engage.roadmap.views import bp as roadmap_views
    from engage.scheduling.api import blp as scheduling_api
    from engage.scheduling.views import bp as scheduling_views
    from engage.workshops.api import blp as workshops_api
    from engage.workshops.views import bp as workshops_views

    app.url_map.converters["int"] = IdConverter
    for blp in (auth_api, workshops_api, participation_api):
        api.register_blueprint(blp)
    for bp in (auth_views, workshops_views, participation_views, calendar_views):
        app.register_blueprint(bp)
    for blp in (priorities_api, delphi_api):
        api.register_blueprint(blp)
    for bp in (priorities_views, delphi_views):
        app.register_blueprint(bp)
    api.register_blueprint(notifications_api)
    app.register_blueprint(notifications_views)
    api.register_blueprint(iap2_api)
    app.register_blueprint(iap2_views)
    api.register_blueprint(scheduling_api)
    app.register_blueprint(scheduling_views)
    for blp in (roadmap_api, minutes_api):
        api.register_blueprint(blp)
    for bp in (roadmap_views, minutes_views):
        app.register_blueprint(bp)
    api.register_blueprint(consultations_api)
    app.register_blueprint(consultations_views)
    api.register_blueprint(indicators_api)
    app.register_blueprint(indicators_views)
    for blp in (privacy_api, admin_api, audit_api):
        api.register_blueprint(blp)
    for bp in (privacy_views, admin_views, audit_views):
        app.register_blueprint(bp)
    app.register_blueprint(home_views)
