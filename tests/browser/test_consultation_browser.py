"""A participant comments in an open consultation and, once its end time has passed, sees it closed.

Time is driven by the app's injectable clock (``ENGAGE_TEST_NOW``), not by sleeping: this module
serves its own live app whose clock the test moves.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from engage import create_app
from engage.consultations import services
from engage.consultations.models import Audience
from engage.participation.models import Registration, RegistrationStatus
from engage.timeutil import to_zone, utcnow


class MovableClock:
    """Real time until a test sets `now`."""

    def __init__(self):
        self.now = None

    def __call__(self):
        return self.now if self.now is not None else datetime.now(UTC)


@pytest.fixture(scope="module")
def clock():
    return MovableClock()


@pytest.fixture(scope="module")
def live_server(app, database_url, clock):
    """The shared live server's setup, with the movable clock (overrides the session fixture here)."""
    served = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True,
            "ENGAGE_TEST_NOW": clock,
        }
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server-clock", daemon=True)
    thread.start()
    served.config["ENGAGE_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield served.config["ENGAGE_BASE_URL"]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    with served.app_context():
        from engage.extensions import db

        db.engine.dispose()


def test_participant_comments_then_sees_the_consultation_closed(
    db, page, sign_in, clock, create_user, create_workshop, working_group, screenshot
):
    lead = create_user(leads=working_group, display_name="Lea Lead")
    member = create_user(display_name="Mia Member")
    db.session.add(
        Registration(workshop=create_workshop(working_group), user=member, status=RegistrationStatus.CONFIRMED)
    )
    now = to_zone(utcnow(), "Asia/Shanghai").replace(microsecond=0, tzinfo=None)  # wall clock in the zone
    consultation = services.create_consultation(
        actor=lead,
        data={
            "working_group_id": working_group.id,
            "title": "Draft roadmap of pillar I",
            "body": "Is action 3 right?",
            "timezone": "Asia/Shanghai",
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(hours=2),
            "audience": Audience.WORKING_GROUP,
        },
    )
    db.session.commit()
    clock.now = None

    sign_in(page, member.email, member.display_name)
    page.goto(f"/consultations/{consultation.id}")
    expect(page.get_by_text("Open for comments until")).to_be_visible()
    page.get_by_label("Your comment (Markdown)").fill("Action 3 needs **funding**.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-body strong")).to_have_text("funding")

    clock.now = consultation.closes_at + timedelta(minutes=1)
    try:
        page.reload()
        expect(page.get_by_text("This consultation closed on")).to_be_visible()
        expect(page.get_by_role("button", name="Post comment")).to_have_count(0)
        expect(page.get_by_label("Your comment (Markdown)")).to_have_count(0)
        expect(page.locator(".comment-body strong")).to_have_text("funding")
        screenshot(page, "consultation-closed")
    finally:
        clock.now = None
