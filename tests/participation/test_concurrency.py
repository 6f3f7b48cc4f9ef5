"""No overbooking under concurrency: many people take the last seats at once.

Each request runs in its own thread with its own app context and database session, against the
file-based SQLite database or PostgreSQL (ENGAGE_TEST_DATABASE_URL), exactly as in production.
"""

import threading

import sqlalchemy as sa

from engage.participation.models import Registration, RegistrationStatus
from engage.participation.services import register, waitlist_positions
from engage.workshops.models import Workshop

PEOPLE = 60
SEATS = 10


def _fire_at_once(app, requests):
    """Send each (method, path, headers) from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def worker(index, method, path, headers):
        client = app.test_client()
        barrier.wait()
        response = client.open(path, method=method, headers=headers)
        results[index] = (response.status_code, response.get_json(silent=True))

    threads = [threading.Thread(target=worker, args=(i, *req)) for i, req in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_registrations_never_overbook(app, db, create_workshop, create_user, auth_headers):
    workshop = create_workshop(capacity=SEATS)
    headers = [auth_headers(create_user()) for _ in range(PEOPLE)]
    path = f"/api/v1/workshops/{workshop.id}/registrations"
    db.session.commit()  # end this thread's transaction: on SQLite it would hold the write lock

    results = _fire_at_once(app, [("POST", path, h) for h in headers])

    assert [status for status, _body in results] == [201] * PEOPLE, results
    statuses = [body["status"] for _status, body in results]
    assert statuses.count("confirmed") == SEATS
    assert statuses.count("waitlisted") == PEOPLE - SEATS

    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).confirmed_count == SEATS
    rows = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id)).all()
    confirmed = [r for r in rows if r.status is RegistrationStatus.CONFIRMED]
    waiting = sorted((r for r in rows if r.status is RegistrationStatus.WAITLISTED), key=lambda r: (r.queued_at, r.id))
    assert len(confirmed) == SEATS
    # The waiting list is in order of arrival: everyone seated arrived before everyone waiting,
    # and the places run 1..N without gaps or ties.
    assert max(r.queued_at for r in confirmed) <= min(r.queued_at for r in waiting)
    positions = waitlist_positions(workshop.id)
    assert [positions[r.id] for r in waiting] == list(range(1, PEOPLE - SEATS + 1))
    reported = {body["id"]: body["waitlist_position"] for _s, body in results if body["status"] == "waitlisted"}
    assert sorted(reported.values()) == list(range(1, PEOPLE - SEATS + 1))


def test_simultaneous_cancellations_promote_each_waiting_person_once(
    app, db, create_workshop, create_user, auth_headers
):
    workshop = create_workshop(capacity=SEATS)
    seated = []
    for _ in range(SEATS):
        person = create_user()
        seated.append((register(workshop, actor=person), auth_headers(person)))
    waiting = [register(workshop, actor=create_user()) for _ in range(2 * SEATS)]
    db.session.commit()

    requests = [("DELETE", f"/api/v1/workshops/{workshop.id}/registrations/{reg.id}", h) for reg, h in seated]
    db.session.commit()  # end this thread's transaction: on SQLite it would hold the write lock
    results = _fire_at_once(app, requests)

    assert [status for status, _ in results] == [204] * SEATS, results
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).confirmed_count == SEATS
    statuses = [db.session.get(Registration, r.id).status for r in waiting]
    assert statuses == [RegistrationStatus.CONFIRMED] * SEATS + [RegistrationStatus.WAITLISTED] * SEATS
