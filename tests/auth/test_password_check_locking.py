"""On SQLite, checking a password (slow on purpose) must not hold the database's write lock."""

import sqlite3

import pytest

import engage.auth.services as auth_services
from tests.conftest import PASSWORD


@pytest.fixture
def sqlite_path(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write lock is SQLite's; PostgreSQL locks rows")
    return db.engine.url.database


@pytest.fixture
def write_during_password_check(monkeypatch, sqlite_path):
    """Try a write from another connection, without waiting, while the password is being verified."""
    outcomes = []
    real = auth_services._hasher

    class ProbingHasher:
        hash = staticmethod(real.hash)

        @staticmethod
        def verify(hash_, password):
            probe()
            return real.verify(hash_, password)

    def probe():
        other = sqlite3.connect(sqlite_path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE site_settings SET value = value")
            other.rollback()
            outcomes.append("written")
        except sqlite3.OperationalError as exc:
            outcomes.append(str(exc))
        finally:
            other.close()

    monkeypatch.setattr(auth_services, "_hasher", ProbingHasher)
    return outcomes


def _email_of(db, user) -> str:
    email = user.email
    db.session.commit()  # the test's own reading transaction must not be the one holding the lock
    return email


def test_login_form_does_not_lock_writers_while_checking_the_password(
    db, client, participant, write_during_password_check
):
    response = client.post("/login", data={"email": _email_of(db, participant), "password": PASSWORD})
    assert response.status_code == 302
    assert write_during_password_check == ["written"]


def test_token_request_does_not_lock_writers_while_checking_the_password(
    db, client, participant, write_during_password_check
):
    response = client.post("/api/v1/auth/tokens", json={"email": _email_of(db, participant), "password": PASSWORD})
    assert response.status_code == 201
    assert write_during_password_check == ["written"]
