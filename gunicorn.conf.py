"""gunicorn settings read automatically from the working directory (`make run`, production)."""

import gc
import os
import shutil


def on_starting(server):
    # In-memory rate-limit counters live in each worker process: with several workers the login limit
    # would be multiplied by their number. Refuse that; use Redis (ENGAGE_RATELIMIT_STORAGE_URL) or one
    # worker process with threads.
    storage = os.environ.get("ENGAGE_RATELIMIT_STORAGE_URL", "memory://")
    if server.cfg.workers > 1 and storage.startswith("memory://"):
        raise SystemExit(
            f"{server.cfg.workers} workers with in-memory rate limits would multiply the login limit: "
            "set ENGAGE_RATELIMIT_STORAGE_URL=redis://… or run one worker (--workers 1 --threads N)"
        )
    # Prometheus multiprocess mode: the folder must start empty, or a scrape adds up earlier runs.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def post_fork(server, worker):
    # Objects created at import time live forever; freezing them keeps full GC passes short,
    # which set the p99 latency in our measurements.
    gc.freeze()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
