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


def test_a_worker_freezes_what_it_loaded_once_the_application_is_loaded():
    """Without preload_app a worker imports the application after the fork: freezing then (post_worker_init)
    keeps the modules, mappers and catalogues out of every later full collection; post_fork would be too early."""
    import gc
    import runpy

    hooks = runpy.run_path(os.path.join(ROOT, "gunicorn.conf.py"))
    assert "post_fork" not in hooks
    gc.unfreeze()
    try:
        hooks["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
