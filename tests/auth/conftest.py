"""Helpers for the auth tests: the API error contract, extra apps with other settings, CSRF tokens."""

import re

import pytest
from flask import request_started

from engage import create_app
from engage.extensions import db as _db
from engage.extensions import limiter

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def make_app(app, db, database_url):
    """Build another app on the test database with extra settings (CSRF on, rate limits, ...).

    The schema comes from the session `app` fixture; the test's own session commits before each
    request to the new app. Flask-Limiter keeps its on/off switch and storage on the one shared
    extension object, so both are restored afterwards; otherwise an app with rate limits would
    leave limits switched on for every later test.
    """
    built = []
    limiter_enabled = limiter.enabled
    test_session = db.session()

    def end_test_transaction(_sender, **_extra):
        # Reading a fixture's attribute opens a transaction in the test's own session; on SQLite that
        # holds the write lock, so the other app's request would wait for it until the busy timeout.
        test_session.commit()

    def make(**config):
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
        settings.update(config)
        # A None value means "leave it to the ENGAGE_* environment", e.g. SECRET_KEY in production tests.
        settings = {key: value for key, value in settings.items() if value is not None}
        new_app = create_app(settings)
        request_started.connect(end_test_transaction, new_app)
        built.append(new_app)
        return new_app

    yield make

    if limiter.initialized:
        limiter.reset()
    limiter.enabled = limiter_enabled
    for other in built:
        request_started.disconnect(end_test_transaction, other)
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.fixture
def csrf_token_of():
    """The CSRF token in a page's hidden csrf_token input."""

    def read(response) -> str:
        match = _CSRF_INPUT.search(response.get_data(as_text=True))
        assert match, "page has no csrf_token input"
        return match.group(1)

    return read
