"""List endpoints run a bounded number of queries: 30 rows cost as many as 3 (no N+1)."""

from datetime import timedelta

from engage.auth.models import Role
from engage.timeutil import utcnow
from engage.workshops.models import AgendaItem, Theme


def _grow(db, create_user, create_working_group, create_workshop, up_to: int) -> None:
    """Workshops up to `up_to`, each in its own working group with a lead, two themes and an agenda."""
    from engage.workshops.models import Workshop

    start = utcnow() + timedelta(days=3)
    have = db.session.query(Workshop).count()
    for n in range(have, up_to):
        group = create_working_group()
        group.themes.append(Theme(position=2, name=f"Theme {n}"))
        create_user(Role.LEAD, leads=group)
        create_workshop(
            group,
            title=f"Workshop {n}",
            starts_at=start + timedelta(hours=n),
            agenda_items=[AgendaItem(position=1, title="Welcome"), AgendaItem(position=2, title="Talk")],
        )
    db.session.commit()


def _count(db, count_queries, request) -> int:
    db.session.close()  # an empty identity map, as at the start of a real request
    with count_queries() as statements:
        response = request()
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(statements)


def _assert_bounded(db, count_queries, create_user, create_working_group, create_workshop, request, check=None):
    _grow(db, create_user, create_working_group, create_workshop, 3)
    request()  # warm-up, so nothing done once per process is counted
    few = _count(db, count_queries, request)
    _grow(db, create_user, create_working_group, create_workshop, 30)
    many = _count(db, count_queries, request)
    if check is not None:
        check(request())
    assert many == few, f"{few} queries for 3 rows but {many} for 30"


def test_workshop_list_api_query_count_is_bounded(
    client, db, count_queries, create_user, create_working_group, create_workshop
):
    def check(response):
        assert len(response.get_json()["items"]) == 30

    _assert_bounded(
        db,
        count_queries,
        create_user,
        create_working_group,
        create_workshop,
        lambda: client.get("/api/v1/workshops?per_page=100"),
        check,
    )


def test_working_groups_api_query_count_is_bounded(
    client, db, count_queries, create_user, create_working_group, create_workshop
):
    def check(response):
        groups = response.get_json()["items"]
        assert len(groups) == 30 and all(g["leads"] for g in groups)

    _assert_bounded(
        db,
        count_queries,
        create_user,
        create_working_group,
        create_workshop,
        lambda: client.get("/api/v1/working-groups?per_page=100"),
        check,
    )


def test_codebook_api_query_count_is_bounded(
    client, db, count_queries, create_user, create_working_group, create_workshop
):
    def check(response):
        assert len(response.get_json()) == 30
        assert all(len(p["working_group"]["themes"]) == 2 for p in response.get_json())

    _assert_bounded(
        db,
        count_queries,
        create_user,
        create_working_group,
        create_workshop,
        lambda: client.get("/api/v1/codebook"),
        check,
    )


def test_workshop_list_page_query_count_is_bounded(
    client, db, count_queries, create_user, create_working_group, create_workshop
):
    def check(response):
        html = response.get_data(as_text=True)
        assert all(f"Workshop {n}<" in html for n in range(30))

    _assert_bounded(
        db, count_queries, create_user, create_working_group, create_workshop, lambda: client.get("/workshops"), check
    )


def test_workshop_list_page_for_a_lead_query_count_is_bounded(
    client, db, login, count_queries, create_user, create_working_group, create_workshop, lead
):
    login(client, lead)
    _assert_bounded(
        db, count_queries, create_user, create_working_group, create_workshop, lambda: client.get("/workshops")
    )


def test_working_groups_page_query_count_is_bounded(
    client, db, count_queries, create_user, create_working_group, create_workshop
):
    _assert_bounded(
        db, count_queries, create_user, create_working_group, create_workshop, lambda: client.get("/working-groups")
    )
