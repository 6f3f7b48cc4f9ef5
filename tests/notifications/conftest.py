"""A real SMTP server on loopback (aiosmtpd) and the mail settings pointing at it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from notif_helpers import DEADLINE, RecordingHandler, free_port

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("delivery_worker.py")


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    handler.port = controller.port
    controller.start()
    yield handler
    handler.release.set()
    controller.stop()


@pytest.fixture
def mail_to(app):
    """Point the app's mail settings at a port; restored after the test."""
    saved = {k: app.config[k] for k in ("ENGAGE_MAIL_SERVER", "ENGAGE_MAIL_PORT")}

    def point(port: int):
        app.config.update(ENGAGE_MAIL_SERVER="127.0.0.1", ENGAGE_MAIL_PORT=port)

    yield point
    app.config.update(saved)


@pytest.fixture
def mail_server(smtp_server, mail_to):
    mail_to(smtp_server.port)
    return smtp_server


@pytest.fixture
def start_worker(database_url):
    """Start the delivery job in a separate Python process against the test database."""
    started: list[subprocess.Popen] = []

    def start(port: int, now, batch_size: int = 20) -> subprocess.Popen:
        env = {
            **os.environ,
            "ENGAGE_DATABASE_URL": database_url,
            "ENGAGE_MAIL_SERVER": "127.0.0.1",
            "ENGAGE_MAIL_PORT": str(port),
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(
            [sys.executable, str(WORKER), now.isoformat(), str(batch_size)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=DEADLINE)
