"""Registration and comment lists run a bounded number of queries: 30 rows cost as many as 3."""

from datetime import timedelta

import sqlalchemy as sa

from engage.participation.models import Comment, Registration
from engage.participation.services import add_comment, register
from engage.timeutil import utcnow


def _count(db, count_queries, request) -> int:
    db.session.close()  # an empty identity map, as at the start of a real request
    with count_queries() as statements:
        response = request()
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(statements)


def _rows(db, model, workshop_id) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.workshop_id == workshop_id))


def _register_up_to(db, workshop_id, create_user, n):
    from engage.workshops.models import Workshop

    workshop = db.session.get(Workshop, workshop_id)
    for _ in range(_rows(db, Registration, workshop_id), n):
        register(workshop, actor=create_user())
    db.session.commit()


def _comment_up_to(db, workshop_id, create_user, n):
    from engage.workshops.models import Workshop

    workshop = db.session.get(Workshop, workshop_id)
    start = utcnow() - timedelta(minutes=5)
    for i in range(_rows(db, Comment, workshop_id), n):
        add_comment(workshop, actor=create_user(), body=f"Comment **{i}**", now=start + timedelta(seconds=i))
    db.session.commit()


def _assert_bounded(db, count_queries, grow, request, check=None):
    grow(3)
    request()  # warm-up, so nothing done once per process is counted
    few = _count(db, count_queries, request)
    grow(30)
    many = _count(db, count_queries, request)
    if check is not None:
        check(request())
    assert many == few, f"{few} queries for 3 rows but {many} for 30"


def test_registrations_api_for_a_lead_query_count_is_bounded(
    client, db, count_queries, lead, working_group, create_user, create_workshop, auth_headers
):
    workshop_id = create_workshop(working_group, capacity=10).id
    headers = auth_headers(lead)

    def check(response):
        items = response.get_json()["items"]
        assert len(items) == 30 and all(r["email"] for r in items)
        assert [r["waitlist_position"] for r in items if r["status"] == "waitlisted"] == list(range(1, 21))

    _assert_bounded(
        db,
        count_queries,
        lambda n: _register_up_to(db, workshop_id, create_user, n),
        lambda: client.get(f"/api/v1/workshops/{workshop_id}/registrations?per_page=100", headers=headers),
        check,
    )


def test_comments_api_query_count_is_bounded(
    client, db, count_queries, participant, create_user, create_workshop, auth_headers
):
    workshop_id = create_workshop().id
    headers = auth_headers(participant)

    def check(response):
        items = response.get_json()["items"]
        assert len(items) == 30 and all(c["author"]["display_name"] for c in items)

    _assert_bounded(
        db,
        count_queries,
        lambda n: _comment_up_to(db, workshop_id, create_user, n),
        lambda: client.get(f"/api/v1/workshops/{workshop_id}/comments?per_page=100", headers=headers),
        check,
    )


def test_workshop_page_with_comments_query_count_is_bounded(
    client, db, login, count_queries, participant, create_user, create_workshop
):
    workshop_id = create_workshop().id
    login(client, participant)
    _assert_bounded(
        db,
        count_queries,
        lambda n: _comment_up_to(db, workshop_id, create_user, n),
        lambda: client.get(f"/workshops/{workshop_id}"),
    )


def test_registrations_page_query_count_is_bounded(
    client, db, login, count_queries, lead, working_group, create_user, create_workshop
):
    workshop_id = create_workshop(working_group, capacity=10).id
    login(client, lead)
    _assert_bounded(
        db,
        count_queries,
        lambda n: _register_up_to(db, workshop_id, create_user, n),
        lambda: client.get(f"/manage/workshops/{workshop_id}/registrations"),
    )


def test_registrations_csv_query_count_is_bounded(
    client, db, login, count_queries, lead, working_group, create_user, create_workshop
):
    workshop_id = create_workshop(working_group, capacity=10).id
    login(client, lead)

    def check(response):
        assert len(response.get_data(as_text=True).splitlines()) == 31

    _assert_bounded(
        db,
        count_queries,
        lambda n: _register_up_to(db, workshop_id, create_user, n),
        lambda: client.get(f"/manage/workshops/{workshop_id}/registrations.csv"),
        check,
    )
