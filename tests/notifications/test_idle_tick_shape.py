"""An idle scheduler tick does no work per person: reminders already queued are not gone through again."""

from datetime import timedelta

from engage.notifications.jobs import run_due_notifications, run_due_reminders
from engage.participation.services import register


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
