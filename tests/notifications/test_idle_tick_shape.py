"""An idle scheduler tick does no work per person: reminders already queued are not gone through again."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.notifications.jobs import run_due_notifications, run_due_reminders
from engage.participation.services import register
from engage.privacy.jobs import run_retention
from engage.timeutil import utcnow


def _tick_queries(count_queries, now) -> int:
    with count_queries() as statements:
        assert run_due_reminders(now) == 0
        assert run_due_notifications(now)["sent"] == 0
    return len(statements)


def test_an_idle_tick_costs_as_many_queries_with_30_people_as_with_3(
    db, mail_server, count_queries, create_user, create_workshop
):
    workshop = create_workshop(capacity=50)
    moment = workshop.starts_at - timedelta(days=1)
    for _ in range(3):
        register(workshop, actor=create_user(), now=moment - timedelta(days=5))
    db.session.commit()
    assert run_due_reminders(moment) == 3
    run_due_notifications(moment)
    few = _tick_queries(count_queries, moment + timedelta(minutes=1))

    for _ in range(27):
        register(workshop, actor=create_user(), now=moment - timedelta(days=5))
    db.session.commit()
    assert run_due_reminders(moment) == 27
    run_due_notifications(moment)
    many = _tick_queries(count_queries, moment + timedelta(minutes=1))
    assert many == few, f"{few} queries for an idle tick with 3 people, {many} with 30"


def test_due_reminders_of_five_workshops_are_found_with_as_many_queries_as_of_one(
    db, mail_server, count_queries, create_user, create_workshop
):
    first = create_workshop(capacity=5)
    moment = first.starts_at - timedelta(days=1)
    register(first, actor=create_user(), now=moment - timedelta(days=5))
    db.session.commit()
    with count_queries() as one:
        assert run_due_reminders(moment) == 1

    for _ in range(4):
        workshop = create_workshop(capacity=5, starts_at=first.starts_at, ends_at=first.ends_at)
        register(workshop, actor=create_user(), now=moment - timedelta(days=5))
    db.session.commit()
    with count_queries() as five:
        assert run_due_reminders(moment) == 4
    # Each queued message is one INSERT; finding who is due is the same statements whatever the workshops.
    assert len(five) - 4 == len(one) - 1, f"{len(one)} statements for 1 workshop, {len(five)} for 5"


def test_the_retention_purge_of_bodies_reads_only_rows_that_still_have_one(db, app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by its statistics; SQLite's choice is fixed by the statement")
    seen: list[tuple] = []

    def capture(conn, cursor, statement, parameters, *args):
        if statement.lstrip().upper().startswith("UPDATE NOTIFICATIONS"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        run_retention(utcnow())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    [(statement, parameters)] = seen
    plan = " ".join(
        str(row[-1]) for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    )
    assert "ix_notifications_bodies_kept" in plan, plan
