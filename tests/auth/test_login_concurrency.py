"""Logins on SQLite: every write of a login path takes the write lock up front (BEGIN IMMEDIATE), so
simultaneous token requests queue on the busy timeout instead of failing with "database is locked"."""

import threading

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD

THREADS = 4
LOGINS_PER_THREAD = 15


@pytest.fixture
def sqlite_only(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows")


def test_concurrent_token_requests_all_succeed(app, db, participant):
    email = participant.email
    db.session.commit()
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def worker():
        client = app.test_client()  # its own app context, so its own database session and connection
        barrier.wait()
        for _ in range(LOGINS_PER_THREAD):
            status = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}).status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(201) == THREADS * LOGINS_PER_THREAD, sorted(set(statuses))


@pytest.fixture
def transactions(db):
    """The statements the app sends, grouped by transaction: [(begin statement, [statements])]."""
    seen: list[tuple[str, list[str]]] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            seen.append((statement, []))
        elif seen and not statement.startswith(("PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen[-1][1].append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


def _writes(statements: list[str]) -> bool:
    return any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in statements)


@pytest.mark.parametrize(
    "send, writes",
    [
        (lambda c, e: c.post("/api/v1/auth/tokens", json={"email": e, "password": PASSWORD}), True),
        (lambda c, e: c.post("/login", data={"email": e, "password": PASSWORD}), True),  # the session row
    ],
    ids=["token request", "login form"],
)
def test_a_login_reads_the_password_unlocked_and_writes_only_under_begin_immediate(
    db, client, participant, sqlite_only, transactions, send, writes
):
    email = participant.email
    db.session.commit()
    transactions.clear()
    assert send(client, email).status_code in (201, 302)
    assert transactions[0][0] == "BEGIN", "the password check runs without the write lock"
    writing = [begin for begin, statements in transactions if _writes(statements)]
    assert bool(writing) == writes
    assert all(begin == "BEGIN IMMEDIATE" for begin in writing), transactions
