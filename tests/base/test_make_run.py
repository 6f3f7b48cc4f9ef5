"""`make run PORT=…` builds the links of e-mails and notifications for the port it serves on (issue #9 §3)."""

import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _dry_run(*args: str, **env: str) -> list[str]:
    """The commands `make run` would run, without running them."""
    environment = {k: v for k, v in os.environ.items() if k != "ENGAGE_BASE_URL"} | env
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if "flask engage" in line or "gunicorn" in line]


pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_base_url_follows_host_and_port():
    lines = _dry_run("PORT=50901", "HOST=127.0.0.2")
    assert len(lines) == 3  # the seed, the scheduler and gunicorn
    assert all("ENGAGE_BASE_URL=http://127.0.0.2:50901 " in line for line in lines), lines
    assert any("--bind 127.0.0.2:50901" in line for line in lines)


def test_a_base_url_set_in_the_environment_is_kept():
    lines = _dry_run("PORT=50902", ENGAGE_BASE_URL="https://engage.example.org")
    assert all("ENGAGE_BASE_URL=https://engage.example.org " in line for line in lines), lines
