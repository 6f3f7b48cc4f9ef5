"""Screenshots of the main pages for the README, made from the demo consortium (`make screenshots`).

A throw-away SQLite database gets the migrations and `seed_demo`; the app is served on a loopback port
in this process and Debian's Chromium (through Playwright) photographs each role's pages into
docs/screenshots/. Nothing outside this machine is reached.
"""

import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engage import create_app  # noqa: E402
from engage.demo import DEMO_PASSWORD, seed_demo  # noqa: E402
from engage.extensions import db  # noqa: E402
from engage.timeutil import utcnow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# (file name, account or None for a visitor, path, viewport)
SHOTS = [
    ("visitor-home", None, "/", DESKTOP),
    ("visitor-scorecard", None, "/scorecard", DESKTOP),
    ("visitor-roadmap-phone", None, "/roadmap", PHONE),
    ("participant-home-phone", "giulia.romano@engage.example", "/", PHONE),
    ("participant-workshop", "giulia.romano@engage.example", "/workshops/3", DESKTOP),
    ("lead-home", "lead.pillar1@engage.example", "/", DESKTOP),
    ("coordinator-dashboard", "coordinator@engage.example", "/", DESKTOP),
    # A participant in China reads Engage in Chinese (the account's language), content included.
    ("participant-home-zh", "li.wei@engage.example", "/", DESKTOP),
    ("participant-roadmap-zh", "li.wei@engage.example", "/roadmap", DESKTOP),
]
ZONES = {"li.wei@engage.example": "Asia/Shanghai"}


class _Quiet(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        pass


def _app(folder: str):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.sqlite3", "SECRET_KEY": "screenshots", "TESTING": True}
    )
    with app.app_context():
        upgrade()
        seed_demo(utcnow())
        db.session.commit()
    return app


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = _app(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless=new"])
                for name, account, path, viewport in SHOTS:
                    context = browser.new_context(
                        base_url=base, viewport=viewport, timezone_id=ZONES.get(account, "Europe/Rome"), locale="en-GB"
                    )
                    page = context.new_page()
                    if account:
                        page.goto("/login")
                        page.get_by_label("E-mail").fill(account)
                        page.get_by_label("Password").fill(DEMO_PASSWORD)
                        page.get_by_role("button", name="Sign in").click()
                        page.wait_for_url(f"{base}/")
                    page.goto(path)
                    page.reload()  # the first page learns the browser's zone; show times in it
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=name == "participant-home-phone")
                    print(f"docs/screenshots/{name}.png")
                    context.close()
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
