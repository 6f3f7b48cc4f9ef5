"""The work of one registration does not grow with the waiting list (no quadratic waiting-list work)."""

import sqlalchemy as sa

from engage.notifications.models import Notification
from engage.participation.models import Registration
from engage.participation.services import register


def _fill(db, workshop, create_user, waiting: int) -> None:
    have = db.session.scalar(sa.select(sa.func.count()).select_from(Registration))
    for _ in range(have, workshop.capacity + waiting):
        register(workshop, actor=create_user())
    db.session.commit()


def _queries_for_one_registration(db, client, count_queries, workshop_id, headers) -> tuple[int, dict]:
    db.session.close()
    with count_queries() as statements:
        response = client.post(f"/api/v1/workshops/{workshop_id}/registrations", headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return len(statements), response.get_json()


def test_queries_per_registration_do_not_depend_on_the_waiting_list(
    client, db, count_queries, create_user, create_workshop, auth_headers
):
    workshop = create_workshop(capacity=2)
    workshop_id = workshop.id
    _fill(db, workshop, create_user, waiting=3)
    few, body = _queries_for_one_registration(db, client, count_queries, workshop_id, auth_headers(create_user()))
    assert body["status"] == "waitlisted" and body["waitlist_position"] == 4

    _fill(db, db.session.get(type(workshop), workshop_id), create_user, waiting=40)
    many, body = _queries_for_one_registration(db, client, count_queries, workshop_id, auth_headers(create_user()))
    assert body["status"] == "waitlisted" and body["waitlist_position"] == 41
    assert many == few, f"{few} queries with 3 ahead but {many} with 40"


def test_a_confirmed_registration_costs_as_many_queries_whatever_the_number_registered(
    client, db, count_queries, create_user, create_workshop, auth_headers
):
    workshop = create_workshop(capacity=100)
    workshop_id = workshop.id
    _fill(db, workshop, create_user, waiting=-95)
    few, body = _queries_for_one_registration(db, client, count_queries, workshop_id, auth_headers(create_user()))
    assert body["status"] == "confirmed"
    _fill(db, db.session.get(type(workshop), workshop_id), create_user, waiting=-40)
    many, body = _queries_for_one_registration(db, client, count_queries, workshop_id, auth_headers(create_user()))
    assert body["status"] == "confirmed"
    assert many == few


def test_the_message_is_queued_unrendered_and_rendered_when_read(
    client, db, create_user, create_workshop, auth_headers
):
    workshop = create_workshop(capacity=1, title="Seats for all")
    register(workshop, actor=create_user())
    db.session.commit()
    person = create_user()
    headers = auth_headers(person)
    client.post(f"/api/v1/workshops/{workshop.id}/registrations", headers=headers)
    stored = db.session.scalar(sa.select(Notification).where(Notification.user_id == person.id))
    assert stored.subject == "" and stored.context == {"position": 1}
    [listed] = client.get("/api/v1/notifications", headers=headers).get_json()["items"]
    assert listed["subject"] == "On the waiting list: Seats for all"
    assert "waiting list at position 1" in listed["body"]
