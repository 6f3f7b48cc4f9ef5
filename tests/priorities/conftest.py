import flask_babel
import pytest
from flask import g, request_started

from engage.priorities.services import create_priority


@pytest.fixture(autouse=True)
def fresh_request_state(app):
    """Each test request starts with no signed-in user and no locale or zone cached (see tests/participation)."""

    def reset(_sender, **_extra):
        g.pop("_login_user", None)
        g.pop("authenticated_by_token", None)
        flask_babel.refresh()

    request_started.connect(reset, app)
    yield
    request_started.disconnect(reset, app)


@pytest.fixture
def assert_error():
    def check(response, status: int, code: str | None = None) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        body = response.get_json()
        assert set(body) == {"code", "message", "errors"}
        if code is not None:
            assert body["code"] == code
        return body

    return check


@pytest.fixture
def priority(db, working_group):
    made = create_priority(pillar_id=working_group.pillar_id, text="Promote digital health literacy",
                           sub_topic_ids=[working_group.themes[0].sub_topics[0].id],
                           final_statistics={"round": 2, "statistics": {"agreement_percent": 85.0, "n_valid": 20}})
    db.session.commit()
    return made
