"""The demo tests share one seeded demo (seeding takes seconds): loaded once for this package, emptied after.

Tests here read the demo, or undo what they change, so their order does not matter.
"""

import pytest

from engage.demo import seed_demo
from engage.extensions import db as _db
from engage.timeutil import utcnow


@pytest.fixture(scope="package")
def demo_database(app, empty_database):
    with app.app_context():
        seed_demo(utcnow())
        _db.session.commit()
        _db.session.remove()
    yield
    with app.app_context():
        empty_database()


@pytest.fixture
def db(app, demo_database):
    """Overrides the per-test clean database: the demo stays for the next test."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()


@pytest.fixture
def sign_in(client):
    """Sign a demo account in through the login form, with the demo password."""
    from engage.demo import DEMO_PASSWORD

    def do(email: str):
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do
