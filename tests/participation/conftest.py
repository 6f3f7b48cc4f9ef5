"""Helpers for the participation tests: the API error contract."""

import flask_babel
import pytest
from flask import g, request_started


@pytest.fixture(autouse=True)
def fresh_request_state(app):
    """Each test request starts with no signed-in user and no locale or zone cached.

    The shared ``db`` fixture keeps one app context pushed for the whole test, so Flask reuses it
    (and its ``g``) for every test-client request: Flask-Login would otherwise keep the first
    request's user and Flask-Babel its zone for the requests that follow.
    """

    def reset(_sender, **_extra):
        g.pop("_login_user", None)
        g.pop("authenticated_by_token", None)
        flask_babel.refresh()

    request_started.connect(reset, app)
    yield
    request_started.disconnect(reset, app)


@pytest.fixture
def assert_error():
    """Check a JSON error response follows the one contract {"code", "message", "errors"}."""

    def check(response, status: int, code: str | None = None) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        body = response.get_json()
        assert isinstance(body, dict), response.get_data(as_text=True)
        assert set(body) == {"code", "message", "errors"}
        assert isinstance(body["code"], str) and body["code"]
        assert isinstance(body["message"], str) and body["message"]
        assert isinstance(body["errors"], dict)
        if code is not None:
            assert body["code"] == code
        return body

    return check
