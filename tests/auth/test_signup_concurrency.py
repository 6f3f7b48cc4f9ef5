"""Two sign-ups racing for the same e-mail or the same invitation link: one wins, the rest get a clear 4xx."""

import threading

from engage.auth.models import Invitation, SiteSetting, User
from engage.auth.services import create_invitation


def _post_at_once(app, bodies):
    barrier = threading.Barrier(len(bodies))
    statuses = [None] * len(bodies)

    def worker(index, body):
        client = app.test_client()
        barrier.wait()
        statuses[index] = client.post("/api/v1/signup", json=body).status_code

    threads = [threading.Thread(target=worker, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _body(**kw):
    return {"password": "long enough password", "display_name": "Racer", "consent": True, **kw}


def test_simultaneous_open_signups_with_one_email_create_one_account(app, db):
    db.session.add(SiteSetting(key="open_signup", value="1"))
    db.session.commit()
    statuses = _post_at_once(app, [_body(email="same@example.org") for _ in range(6)])
    assert sorted(statuses) == [201] + [422] * 5
    assert db.session.query(User).filter_by(email="same@example.org").count() == 1


def test_simultaneous_signups_with_one_invitation_accept_it_once(app, db, lead):
    invitation, token = create_invitation(actor=lead, email="invited@example.org")
    db.session.commit()
    statuses = _post_at_once(app, [_body(invitation_token=token) for _ in range(6)])
    assert statuses.count(201) == 1
    assert all(status in (404, 422) for status in statuses if status != 201)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).accepted_at is not None
    assert db.session.query(User).filter_by(email="invited@example.org").count() == 1
