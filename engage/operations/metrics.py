"""Prometheus metrics (prometheus-client).

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (``make run`` and the production recipe
set it), prometheus-client keeps each worker's counters and histograms in files in that folder and a
scrape of any worker returns the sum over all workers of the host (gunicorn.conf.py removes a dead
worker's live gauges). Without it, each process counts for itself: right for a single process.

What the database knows — outbox depth, the age of the oldest due message, the scheduler's heartbeat
age, the export queue — is read at scrape time, so every host reports the same values: aggregate those
with max(), not sum().
"""

import os
import time

import sqlalchemy as sa
from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from engage.operations.requestlog import route_of_request

REQUESTS = Counter("engage_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "engage_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response starts)",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class _DatabaseCollector:
    """Gauges computed from the shared database when scraped."""

    def __init__(self, values: dict):
        self.values = values

    def collect(self):
        v = self.values
        yield GaugeMetricFamily("engage_outbox_due_messages", "Notifications due for e-mail delivery", v["due"])
        yield GaugeMetricFamily(
            "engage_outbox_oldest_due_age_seconds", "Age of the oldest due notification (0: none)", v["oldest_due"]
        )
        yield GaugeMetricFamily(
            "engage_scheduler_heartbeat_age_seconds",
            "Seconds since a scheduler process last beat (-1: never)",
            v["heartbeat_age"],
        )
        yield GaugeMetricFamily(
            "engage_scheduler_last_tick_seconds", "Duration of the latest scheduler tick", v["last_tick"]
        )
        exports = GaugeMetricFamily("engage_export_jobs", "Export jobs by state", labels=["state"])
        for state, count in v["exports"].items():
            exports.add_metric([state], count)
        yield exports


def database_values(now) -> dict:
    from engage.extensions import db
    from engage.minutes.models import ExportJob, ExportState
    from engage.notifications.models import Notification, NotificationState
    from engage.operations.heartbeat import heartbeat_age_seconds
    from engage.operations.models import SchedulerHeartbeat

    due = sa.and_(Notification.state == NotificationState.PENDING, Notification.next_attempt_at <= now)
    count, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Notification.next_attempt_at)).where(due)
    ).one()
    by_state = dict(db.session.execute(sa.select(ExportJob.state, sa.func.count()).group_by(ExportJob.state)).all())
    age = heartbeat_age_seconds(now)
    last_tick = db.session.scalar(
        sa.select(SchedulerHeartbeat.last_tick_seconds).order_by(SchedulerHeartbeat.beat_at.desc()).limit(1)
    )
    return {
        "last_tick": last_tick or 0.0,
        "due": count,
        "oldest_due": max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0,
        "heartbeat_age": -1.0 if age is None else age,
        "exports": {state.value: by_state.get(state, 0) for state in ExportState},
    }


def exposition(now) -> bytes:
    registry = CollectorRegistry()
    if multiprocess_mode():
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(_DatabaseCollector(database_values(now)))
    return generate_latest(registry)


def init_app(app: Flask) -> None:
    @app.after_request
    def _count(response):
        route = route_of_request()
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        started = g.get("request_started")
        if started is not None:
            LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        return response
