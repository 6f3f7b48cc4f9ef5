"""Request ids (honouring X-Request-ID) in responses and errors; one JSON log line per request and job."""

import json
import logging

from engage.operations.requestlog import JOB_LOGGER, REQUEST_LOGGER, JSONFormatter
from engage.scheduler import run_due_work
from tests.conftest import PASSWORD


def _lines(caplog, logger: str) -> list[dict]:
    formatter = JSONFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_a_request_id_is_made_or_taken_from_the_caller_and_named_in_api_errors(client, assert_error):
    made = client.get("/api/v1/workshops/999999")
    body = assert_error(made, 404, "not_found")
    assert len(body["request_id"]) == 32
    quoted = client.get("/api/v1/workshops/999999", headers={"X-Request-ID": "lb-7f3a.42"})
    assert quoted.headers["X-Request-ID"] == "lb-7f3a.42" and quoted.get_json()["request_id"] == "lb-7f3a.42"
    # Something that is not an id (spaces, too long) is not echoed back into headers and logs.
    bad = client.get("/healthz", headers={"X-Request-ID": "x" * 200})
    assert len(bad.headers["X-Request-ID"]) == 32


def test_error_pages_show_the_request_id(client):
    response = client.get("/workshops/999999", headers={"X-Request-ID": "quote-me-123"})
    assert response.status_code == 404
    assert "Reference for the operators: quote-me-123" in response.get_data(as_text=True)


def test_one_json_line_per_request_without_tokens_or_passwords(client, participant, caplog):
    caplog.set_level(logging.INFO, logger="engage")
    client.post("/login", data={"email": participant.email, "password": PASSWORD})
    client.get("/calendar/eng_cal_secret-token-value.ics", headers={"X-Request-ID": "feed-1"})
    lines = _lines(caplog, REQUEST_LOGGER)
    login, feed = lines[-2], lines[-1]
    assert (login["method"], login["route"], login["status"]) == ("POST", "/login", 302)
    assert login["user_id"] == participant.id and login["duration_ms"] >= 0
    assert (feed["route"], feed["status"], feed["request_id"]) == ("/calendar/<token>.ics", 404, "feed-1")
    text = caplog.text + " ".join(json.dumps(line) for line in lines)
    assert PASSWORD not in text and "secret-token-value" not in text


def test_each_scheduled_job_run_is_a_log_line_with_its_result(app, caplog):
    caplog.set_level(logging.INFO, logger="engage")
    run_due_work(app)
    jobs = {line["job"]: line for line in _lines(caplog, JOB_LOGGER)}
    assert {"run_due_notifications", "run_due_exports"} <= set(jobs)
    assert jobs["run_due_exports"]["status"] == "ok" and jobs["run_due_exports"]["result"] == 0
    assert all(line["duration_ms"] >= 0 for line in jobs.values())
