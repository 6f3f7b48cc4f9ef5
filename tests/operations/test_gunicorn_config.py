"""gunicorn refuses several workers with in-memory rate limits (each would count alone: the limit multiplied)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_several_workers_with_in_memory_rate_limits_do_not_start():
    env = {**os.environ, "ENGAGE_RATELIMIT_STORAGE_URL": "memory://"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", "127.0.0.16:51240", "engage:create_app()"],
        env=env,
        cwd=ROOT,  # gunicorn.conf.py is read from the working directory
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "would multiply the login limit" in result.stderr + result.stdout
