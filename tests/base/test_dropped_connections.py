"""PostgreSQL dropping the app's connections (a restart, a failover, pg_terminate_backend) answers no 5xx:
dead pooled connections are replaced when taken from the pool, and a read-only request that loses its
connection midway is run once more on a fresh one."""

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url


@pytest.fixture
def terminate(db, database_url):
    """terminate(pid=None): end one backend of the test database, or every one but our own, and wait
    until it is gone (pg_terminate_backend with a timeout)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("connections are dropped by PostgreSQL")
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:

        def run(pid: int | None = None) -> int:
            if pid is not None:
                return int(admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone()[0])
            return admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()[0]

        yield run


def test_requests_after_every_backend_was_terminated_answer_normally(
    client, db, participant, create_workshop, auth_headers, terminate
):
    workshop = create_workshop()
    headers = auth_headers(participant)
    for _ in range(3):  # several pooled connections
        assert client.get("/api/v1/workshops").status_code == 200
    db.session.commit()
    assert terminate() >= 1
    statuses = [client.get("/api/v1/workshops").status_code for _ in range(3)]
    statuses.append(client.post(f"/api/v1/workshops/{workshop.id}/registrations", headers=headers).status_code)
    statuses.append(client.get(f"/api/v1/workshops/{workshop.id}").status_code)
    assert statuses == [200, 200, 200, 201, 200]


def test_a_read_that_loses_its_connection_midway_is_run_again_on_a_fresh_one(
    client, db, create_workshop, terminate, caplog
):
    workshop_id = create_workshop(title="Survives a failover").id
    db.session.commit()
    killed = []

    def kill_own_backend(_conn, cursor, statement, *_args):
        if not killed and "FROM workshops" in statement:
            killed.append(cursor.connection.info.backend_pid)
            terminate(killed[0])

    sa.event.listen(db.engine, "before_cursor_execute", kill_own_backend)
    try:
        response = client.get(f"/api/v1/workshops/{workshop_id}")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", kill_own_backend)
    assert killed, "the request's connection was terminated under it"
    assert response.status_code == 200 and response.get_json()["title"] == "Survives a failover"
    assert "retrying once" in caplog.text
