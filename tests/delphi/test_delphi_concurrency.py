"""Simultaneous requests: one finalisation, one response row per panellist, one round per number.

Each request runs in its own thread with its own app context and session (as in tests/participation).
"""

import threading
from datetime import timedelta

import sqlalchemy as sa

from engage.delphi import services
from engage.delphi.models import DelphiRating, DelphiResponse, DelphiRound
from engage.priorities.models import Priority
from engage.timeutil import utcnow

API = "/api/v1/delphi"


def _fire_at_once(app, requests):
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def worker(index, method, path, headers, body):
        client = app.test_client()
        barrier.wait()
        response = client.open(path, method=method, headers=headers, json=body)
        results[index] = response.status_code

    threads = [threading.Thread(target=worker, args=(i, *req)) for i, req in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_finalisations_make_the_priorities_once(app, db, lead, live, submit_all, auth_headers):
    survey, round_, panel, items = live(rounds_planned=1)
    submit_all(round_, panel, items, [5] * len(panel))
    services.close_round(round_, actor=lead)
    headers, path = auth_headers(lead), f"{API}/surveys/{survey.id}/finalise"
    db.session.commit()  # end this thread's transaction: on SQLite it would hold the write lock
    statuses = _fire_at_once(app, [("POST", path, headers, None)] * 4)
    assert sorted(statuses) == [200, 409, 409, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Priority)) == 2


def test_simultaneous_saves_by_one_panellist_keep_one_response(app, db, live, auth_headers):
    _survey, round_, panel, (a, b) = live()
    headers, path = auth_headers(panel[0]), f"{API}/rounds/{round_.id}/my-response"
    db.session.commit()
    bodies = [{"ratings": [{"item_id": a, "value": v}, {"item_id": b, "value": v}]} for v in (1, 2, 3, 4, 5)]
    statuses = _fire_at_once(app, [("PUT", path, headers, body) for body in bodies])
    assert statuses == [200] * 5
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DelphiResponse)) == 1
    values = db.session.scalars(sa.select(DelphiRating.value)).all()
    assert len(values) == 2 and values[0] == values[1]  # both items from the same (last) save


def test_simultaneous_scheduling_makes_one_next_round(app, db, lead, live, submit_all, auth_headers):
    survey, round_, panel, items = live()
    submit_all(round_, panel, items, [3] * len(panel))
    services.close_round(round_, actor=lead)
    headers, path = auth_headers(lead), f"{API}/surveys/{survey.id}/rounds"
    db.session.commit()
    now = utcnow()
    body = {"opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=8)).isoformat()}
    statuses = _fire_at_once(app, [("POST", path, headers, body)] * 3)
    assert sorted(statuses) == [201, 409, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DelphiRound)) == 2
