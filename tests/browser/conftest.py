"""Real-browser fixtures: the app served over HTTP with CSRF on, driven by headless Chromium.

The live server is a second app on the same database as the shared `app` fixture (whose migrations
build the schema). Factories commit, so the server sees their rows; the shared `db` fixture empties
the tables after each test.
"""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from engage import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

expect.set_options(timeout=10_000)


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log lines in the test output; errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture(scope="session")
def live_server(app, database_url):
    """Base URL of the app served by werkzeug in a thread (threaded, CSRF enabled)."""
    served = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": True,
        }
    )
    server = make_server("127.0.0.1", 0, served, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    served.config["ENGAGE_BASE_URL"] = base_url  # links people are sent point at this server
    yield base_url
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    with served.app_context():
        from engage.extensions import db

        db.engine.dispose()


@pytest.fixture(autouse=True)
def _keep_factory_objects_loaded(db):
    """Factory objects keep their values after commit.

    Otherwise reading `user.email` after a factory's commit reloads the row in a new transaction of
    the test's own session, which on SQLite (BEGIN IMMEDIATE outside requests) holds the write lock
    the live server needs.
    """
    db.session().expire_on_commit = False
    yield


@pytest.fixture
def end_transaction(db):
    """Close the test session's transaction after reading the database, so the server can write.

    A commit, not a rollback: a rollback would expire the factory objects, and reading `lead.email`
    afterwards would open a new transaction (BEGIN IMMEDIATE outside requests) that holds the write lock
    while the server, signing someone in, needs it for the session row."""

    def end():
        db.session.commit()

    return end


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): new_page(timezone_id=...)."""
    contexts = []

    def make(timezone_id: str = "Europe/Rome", locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server,
            timezone_id=timezone_id,
            locale=locale,
            viewport={"width": 1200, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def password(request):
    """PASSWORD of tests/conftest.py (the factories' password); conftest files are not importable."""
    shared = request.config.pluginmanager.get_plugin(str(Path(__file__).resolve().parents[1] / "conftest.py"))
    return shared.PASSWORD


@pytest.fixture
def sign_in(password):
    """Sign in through the login form; waits until the page shows the person signed in."""

    def do(page, email: str, display_name: str):
        page.goto("/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name=f"Sign out ({display_name})")).to_be_visible()
        return page

    return do


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
