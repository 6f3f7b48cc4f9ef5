"""/healthz, /readyz (database, migrations, scheduler heartbeat) and the Prometheus endpoint."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from engage.notifications.models import Notification, NotificationKind
from engage.operations.heartbeat import beat
from engage.timeutil import utcnow


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_green_with_a_recent_heartbeat_and_red_when_the_scheduler_stops(app, client, db):
    body = client.get("/readyz")
    assert body.status_code == 503  # no scheduler ever beat
    assert body.get_json()["checks"]["scheduler"] == {
        "ok": False,
        "heartbeat_age_seconds": None,
        "max_age_seconds": 300,
    }
    now = utcnow()
    beat(now, started_at=now)
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    checks = ready.get_json()["checks"]
    assert checks["database"] == {"ok": True} and checks["migrations"]["ok"]
    assert checks["migrations"]["current"] == checks["migrations"]["head"]
    app.config["ENGAGE_TEST_NOW"] = lambda: now + timedelta(seconds=301)  # the scheduler stopped 5 minutes ago
    try:
        stale = client.get("/readyz")
    finally:
        app.config.pop("ENGAGE_TEST_NOW")
    assert stale.status_code == 503 and stale.get_json()["status"] == "not_ready"
    assert stale.get_json()["checks"]["scheduler"]["ok"] is False


def test_readyz_is_red_when_the_schema_is_not_at_the_migrations_head(client, db):
    beat(utcnow(), started_at=utcnow())
    (current,) = db.session.scalars(sa.text("SELECT version_num FROM alembic_version")).all()
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = '7c2d4e6f8a10'"))
    db.session.commit()
    try:
        body = client.get("/readyz").get_json()
    finally:
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()
    assert body["status"] == "not_ready"
    assert body["checks"]["migrations"] == {"ok": False, "current": ["7c2d4e6f8a10"], "head": [current]}


def test_readyz_without_the_heartbeat_check(app, client):
    app.config["ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS"] = 0
    try:
        response = client.get("/readyz")
    finally:
        app.config["ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS"] = 300
    assert response.status_code == 200 and "scheduler" not in response.get_json()["checks"]


def test_health_endpoints_are_not_rate_limited(other_app):
    limited = other_app(
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_APPLICATION="3 per minute",
        ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS=0,
    )
    client = limited.test_client()
    assert {client.get("/healthz").status_code for _ in range(6)} == {200}
    assert {client.get("/readyz").status_code for _ in range(6)} == {200}
    assert {client.get("/metrics").status_code for _ in range(6)} == {200}
    statuses = [client.get("/login").status_code for _ in range(6)]
    assert 429 in statuses  # the application-wide limit is real, the health endpoints are outside it


def test_metrics_count_requests_per_route_and_read_the_outbox(client, db, participant):
    client.get("/workshops")
    client.get("/api/v1/workshops/123456")
    now = utcnow()
    db.session.add(
        Notification(
            user_id=participant.id,
            kind=NotificationKind.REGISTRATION_CONFIRMED,
            dedupe_key="metrics-test",
            subject="s",
            body_text="t",
            body_html="h",
            next_attempt_at=now - timedelta(minutes=10),
        )
    )
    db.session.commit()
    beat(now - timedelta(seconds=42), started_at=now)
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'engage_http_requests_total{method="GET",route="/workshops",status="200"}' in text
    assert 'engage_http_requests_total{method="GET",route="/api/v1/workshops/<int:workshop_id>",status="404"}' in text
    assert 'engage_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/workshops"}' in text
    values = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert values[("engage_outbox_due_messages", ())] == 1
    assert 590 <= values[("engage_outbox_oldest_due_age_seconds", ())] <= 3600
    assert 42 <= values[("engage_scheduler_heartbeat_age_seconds", ())] < 600
    assert values[("engage_export_jobs", (("state", "queued"),))] == 0


@pytest.mark.parametrize(
    ("token", "remote", "header", "status"),
    [
        ("", "127.0.0.1", None, 200),
        ("", "203.0.113.9", None, 403),
        ("s3cret-metrics-token", "203.0.113.9", "Bearer s3cret-metrics-token", 200),
        ("s3cret-metrics-token", "127.0.0.1", None, 403),
        ("s3cret-metrics-token", "203.0.113.9", "Bearer wrong", 403),
    ],
)
def test_metrics_are_for_loopback_or_the_token_holder(app, client, token, remote, header, status):
    app.config["ENGAGE_METRICS_TOKEN"] = token
    try:
        headers = {"Authorization": header} if header else {}
        response = client.get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": remote})
    finally:
        app.config["ENGAGE_METRICS_TOKEN"] = ""
    assert response.status_code == status
