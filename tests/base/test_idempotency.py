"""`Idempotency-Key`: a POST retried after a lost answer gets the first answer, not a second run."""

import threading
from datetime import date, timedelta

import sqlalchemy as sa

from engage.idempotency import IdempotencyKey, run_due_idempotency_purge
from engage.indicators.models import Direction, Indicator, Measurement, Unit
from engage.participation.models import Comment, Registration
from engage.roadmap.models import RoadmapAction
from engage.timeutil import utcnow


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _with_key(headers: dict, key: str) -> dict:
    return {**headers, "Idempotency-Key": key}


def test_a_retried_registration_gets_the_first_answer(client, db, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    headers = _with_key(auth_headers(participant), "register-7f3a")
    url = f"/api/v1/workshops/{workshop.id}/registrations"
    first = client.post(url, headers=headers)
    retry = client.post(url, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json() and retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(db, Registration) == 1
    # Without the key the same request is a new one, and the answer says why it changes nothing.
    assert client.post(url, headers=auth_headers(participant)).status_code == 409


def test_a_retried_comment_is_stored_once(client, db, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    headers = _with_key(auth_headers(participant), "comment-1")
    url = f"/api/v1/workshops/{workshop.id}/comments"
    answers = [client.post(url, json={"body": "Count me in"}, headers=headers) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert _count(db, Comment) == 1


def test_the_same_key_with_a_different_body_is_refused(
    client, db, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    headers = _with_key(auth_headers(participant), "comment-2")
    url = f"/api/v1/workshops/{workshop.id}/comments"
    assert client.post(url, json={"body": "First"}, headers=headers).status_code == 201
    body = assert_error(client.post(url, json={"body": "Second"}, headers=headers), 422, "idempotency_key_reused")
    assert "Idempotency-Key" in body["errors"]
    assert _count(db, Comment) == 1


def test_keys_belong_to_one_person(client, db, create_user, create_workshop, auth_headers):
    workshop = create_workshop()
    url = f"/api/v1/workshops/{workshop.id}/comments"
    for person in (create_user(), create_user()):
        response = client.post(url, json={"body": "Same words"}, headers=_with_key(auth_headers(person), "k"))
        assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert _count(db, Comment) == 2


def test_a_refusal_is_replayed_too_and_a_bad_key_is_422(
    client, db, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    url = f"/api/v1/workshops/{workshop.id}/comments"
    headers = _with_key(auth_headers(participant), "empty")
    assert_error(client.post(url, json={"body": ""}, headers=headers), 422)
    replay = client.post(url, json={"body": ""}, headers=headers)
    assert replay.status_code == 422 and replay.headers["Idempotent-Replayed"] == "true"
    too_long = _with_key(auth_headers(participant), "x" * 256)
    assert "Idempotency-Key" in assert_error(client.post(url, json={"body": "Hi"}, headers=too_long), 422)["errors"]
    assert _count(db, Comment) == 0


def test_an_expired_key_runs_again_and_is_purged(app, client, db, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    headers = _with_key(auth_headers(participant), "old")
    url = f"/api/v1/workshops/{workshop.id}/comments"
    assert client.post(url, json={"body": "Once"}, headers=headers).status_code == 201
    later = utcnow() + timedelta(hours=25)
    app.config["ENGAGE_TEST_NOW"] = lambda: later
    try:
        again = client.post(url, json={"body": "Once"}, headers=headers)
    finally:
        app.config.pop("ENGAGE_TEST_NOW")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert _count(db, Comment) == 2
    assert run_due_idempotency_purge(later + timedelta(hours=25)) == 1
    assert _count(db, IdempotencyKey) == 0


def test_simultaneous_duplicates_create_one_comment(app, db, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    headers = _with_key(auth_headers(participant), "racing")
    url = f"/api/v1/workshops/{workshop.id}/comments"
    db.session.commit()
    barrier = threading.Barrier(6)
    answers = []

    def worker():
        client = app.test_client()  # its own app context, so its own database session
        barrier.wait()
        response = client.post(url, json={"body": "Only once"}, headers=headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _count(db, Comment) == 1
    created = [body for status, body in answers if status == 201]
    assert created and all(body == created[0] for body in created)
    assert all(body["code"] == "idempotency_in_progress" for status, body in answers if status != 201)
    assert {status for status, _body in answers} <= {201, 409}


def test_a_retried_measurement_is_recorded_once(client, db, coordinator, working_group, auth_headers):
    action = RoadmapAction(sub_topic=working_group.themes[0].sub_topics[0], title="Test DPYD before chemotherapy")
    indicator = Indicator(
        roadmap_action=action, name="DPYD testing", unit=Unit.PERCENT, direction=Direction.HIGHER_IS_BETTER,
        baseline_low=20.0, baseline_high=30.0, baseline_on=date(2022, 1, 1), target_value=70.0,
        target_on=date(2030, 1, 1), scope="overall",
    )  # fmt: skip
    db.session.add(indicator)
    db.session.commit()
    headers = _with_key(auth_headers(coordinator), "dpyd-2026-06")
    url = f"/api/v1/indicators/{indicator.id}/measurements"
    body = {"measured_on": "2026-06-30", "value": 31}
    first, retry = (client.post(url, json=body, headers=headers) for _ in range(2))
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert _count(db, Measurement) == 1
