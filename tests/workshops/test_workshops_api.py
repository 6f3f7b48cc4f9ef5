from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import Role
from engage.participation.services import register
from engage.timeutil import utcnow
from engage.workshops.models import Workshop, WorkshopStatus


def _workshop_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Workshop))


# --- codebook and working groups -------------------------------------------------------------------


def test_codebook_lists_pillar_theme_and_sub_topics_with_codes(client, create_working_group):
    create_working_group(number=2, name="WG2: Big data")
    response = client.get("/api/v1/codebook")
    assert response.status_code == 200
    [pillar] = response.get_json()
    assert pillar["number"] == 2
    theme = pillar["working_group"]["themes"][0]
    assert theme["name"] == "Adopting Big Data and ICT solutions"
    assert [(s["letter"], s["code"]) for s in theme["sub_topics"]] == [("a", "2.1.a"), ("b", "2.1.b")]


def test_working_groups_list_their_pillar_and_leads(client, lead, working_group, create_working_group):
    create_working_group(number=3)
    response = client.get("/api/v1/working-groups")
    assert response.status_code == 200
    assert response.get_json()["meta"]["total"] == 2
    groups = response.get_json()["items"]
    assert [g["pillar_number"] for g in groups] == [1, 3]
    assert groups[0]["name"] == working_group.name
    assert groups[0]["leads"] == [{"id": lead.id, "display_name": "Lea Lead"}]
    assert "email" not in groups[0]["leads"][0]


# --- listing -----------------------------------------------------------------------------------------


def test_workshop_list_is_paginated_with_meta(client, create_workshop, working_group):
    start = utcnow() + timedelta(days=5)
    for n in range(5):
        create_workshop(working_group, title=f"W{n}", starts_at=start + timedelta(days=n))
    response = client.get("/api/v1/workshops?per_page=2&page=2")
    assert response.status_code == 200
    body = response.get_json()
    assert [w["title"] for w in body["items"]] == ["W2", "W3"]
    assert body["meta"] == {"page": 2, "per_page": 2, "total": 5, "pages": 3}


def test_workshop_list_page_past_the_end_is_empty(client, create_workshop):
    create_workshop()
    body = client.get("/api/v1/workshops?page=9").get_json()
    assert body["items"] == [] and body["meta"]["total"] == 1


def test_upcoming_filter_leaves_out_ended_workshops(client, create_workshop):
    ended = create_workshop(title="Ended", starts_at=utcnow() - timedelta(days=2))
    coming = create_workshop(title="Coming", starts_at=utcnow() + timedelta(days=2))
    all_ids = [w["id"] for w in client.get("/api/v1/workshops").get_json()["items"]]
    upcoming_ids = [w["id"] for w in client.get("/api/v1/workshops?upcoming=true").get_json()["items"]]
    assert all_ids == [ended.id, coming.id]
    assert upcoming_ids == [coming.id]


def test_working_group_filter(client, create_workshop, create_working_group):
    group_a, group_b = create_working_group(), create_working_group()
    mine = create_workshop(group_a)
    create_workshop(group_b)
    items = client.get(f"/api/v1/workshops?working_group_id={group_a.id}").get_json()["items"]
    assert [w["id"] for w in items] == [mine.id]


def test_get_workshop_shows_local_times_and_calendar_link(client, create_workshop):
    workshop = create_workshop(timezone="Asia/Shanghai")
    body = client.get(f"/api/v1/workshops/{workshop.id}").get_json()
    assert body["starts_at_local"].endswith("+08:00")
    assert body["ics_url"].endswith(f"/workshops/{workshop.id}.ics") or str(workshop.id) in body["ics_url"]


def test_get_unknown_workshop_is_404(client, assert_error):
    assert_error(client.get("/api/v1/workshops/424242"), 404, "not_found")


# --- create -------------------------------------------------------------------------------------------


def test_lead_creates_workshop_with_naive_time_in_its_zone(
    client, db, lead, working_group, auth_headers, workshop_payload
):
    response = client.post("/api/v1/workshops", json=workshop_payload(working_group.id), headers=auth_headers(lead))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["starts_at"] == "2027-03-01T09:00:00+00:00"
    assert body["starts_at_local"] == "2027-03-01T10:00:00+01:00"
    assert body["ends_at_local"] == "2027-03-01T13:00:00+01:00"
    assert body["status"] == "scheduled" and body["sequence"] == 0
    assert [a["title"] for a in body["agenda_items"]] == ["Welcome", "Discussion"]
    stored = db.session.get(Workshop, body["id"])
    assert stored.starts_at.isoformat() == "2027-03-01T09:00:00+00:00"


def test_lead_of_another_working_group_cannot_create(
    client, create_user, create_working_group, working_group, auth_headers, workshop_payload, assert_error
):
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    response = client.post(
        "/api/v1/workshops", json=workshop_payload(working_group.id), headers=auth_headers(other_lead)
    )
    assert_error(response, 403, "forbidden")


def test_participant_cannot_create(
    client, db, participant, working_group, auth_headers, workshop_payload, assert_error
):
    response = client.post(
        "/api/v1/workshops", json=workshop_payload(working_group.id), headers=auth_headers(participant)
    )
    assert_error(response, 403)
    assert _workshop_count(db) == 0


def test_anonymous_cannot_create(client, db, working_group, workshop_payload, assert_error):
    assert_error(client.post("/api/v1/workshops", json=workshop_payload(working_group.id)), 401, "unauthorized")
    assert _workshop_count(db) == 0


def test_coordinator_creates_for_any_working_group(client, coordinator, working_group, auth_headers, workshop_payload):
    response = client.post(
        "/api/v1/workshops", json=workshop_payload(working_group.id), headers=auth_headers(coordinator)
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2027-03-01T09:00"}, "ends_at"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"capacity": 0}, "capacity"),
        ({"venue": "", "video_url": ""}, "venue"),
        ({"video_url": "meet.example.org/room"}, "video_url"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"registration_closes_at": "2027-03-01T11:00"}, "registration_closes_at"),
        ({"agenda_items": [{"title": f"Item {n}"} for n in range(51)]}, "agenda_items"),
        ({"working_group_id": 999999}, "working_group_id"),
        ({"title": ""}, "title"),
        ({"capacity": "many"}, "capacity"),
        ({"starts_at": "next tuesday"}, "starts_at"),
    ],
)
def test_invalid_workshop_gets_field_errors_and_nothing_is_created(
    client, db, lead, working_group, auth_headers, workshop_payload, assert_error, overrides, field
):
    response = client.post(
        "/api/v1/workshops", json={**workshop_payload(working_group.id), **overrides}, headers=auth_headers(lead)
    )
    body = assert_error(response, 422, "validation_error")
    assert field in body["errors"], body
    assert _workshop_count(db) == 0


def test_missing_required_fields_are_all_named(client, lead, auth_headers, assert_error):
    body = assert_error(client.post("/api/v1/workshops", json={}, headers=auth_headers(lead)), 422)
    assert {"working_group_id", "title", "starts_at", "ends_at", "timezone", "capacity"} <= set(body["errors"])


# --- update -------------------------------------------------------------------------------------------


def test_reschedule_bumps_sequence(client, lead, working_group, create_workshop, auth_headers):
    workshop = create_workshop(working_group)
    response = client.patch(
        f"/api/v1/workshops/{workshop.id}",
        json={"starts_at": "2027-04-01T10:00", "ends_at": "2027-04-01T12:00"},
        headers=auth_headers(lead),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["sequence"] == 1
    assert body["starts_at"] == "2027-04-01T08:00:00+00:00"


def test_title_only_edit_keeps_sequence(client, lead, working_group, create_workshop, auth_headers):
    workshop = create_workshop(working_group)
    response = client.patch(f"/api/v1/workshops/{workshop.id}", json={"title": "Renamed"}, headers=auth_headers(lead))
    assert response.status_code == 200
    assert response.get_json()["title"] == "Renamed"
    assert response.get_json()["sequence"] == 0


def test_other_working_group_lead_cannot_edit(
    client, create_user, create_working_group, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop(title="Original")
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    response = client.patch(
        f"/api/v1/workshops/{workshop.id}", json={"title": "Hijacked"}, headers=auth_headers(other_lead)
    )
    assert_error(response, 403)
    assert client.get(f"/api/v1/workshops/{workshop.id}").get_json()["title"] == "Original"


def test_participant_cannot_edit(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    assert_error(
        client.patch(f"/api/v1/workshops/{workshop.id}", json={"title": "x"}, headers=auth_headers(participant)), 403
    )


def test_anonymous_cannot_edit(client, create_workshop, assert_error):
    workshop = create_workshop()
    assert_error(client.patch(f"/api/v1/workshops/{workshop.id}", json={"title": "x"}), 401)


def test_capacity_below_confirmed_seats_is_refused(
    client, db, lead, working_group, create_workshop, create_user, auth_headers, assert_error
):
    workshop = create_workshop(working_group, capacity=5)
    for _ in range(3):
        register(workshop, actor=create_user())
    db.session.commit()
    body = assert_error(
        client.patch(f"/api/v1/workshops/{workshop.id}", json={"capacity": 2}, headers=auth_headers(lead)), 422
    )
    assert "capacity" in body["errors"]
    assert client.get(f"/api/v1/workshops/{workshop.id}").get_json()["capacity"] == 5


def test_patch_with_bad_time_zone_is_422(client, lead, working_group, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(working_group)
    body = assert_error(
        client.patch(f"/api/v1/workshops/{workshop.id}", json={"timezone": "Nowhere/Land"}, headers=auth_headers(lead)),
        422,
    )
    assert "timezone" in body["errors"]


def test_working_group_cannot_be_moved_by_patch(
    client, lead, working_group, create_workshop, create_working_group, auth_headers, assert_error
):
    workshop = create_workshop(working_group)
    other = create_working_group()
    response = client.patch(
        f"/api/v1/workshops/{workshop.id}", json={"working_group_id": other.id}, headers=auth_headers(lead)
    )
    assert_error(response, 422)
    assert client.get(f"/api/v1/workshops/{workshop.id}").get_json()["working_group_id"] == working_group.id


def test_coordinator_edits_any_workshop(client, coordinator, create_workshop, auth_headers):
    workshop = create_workshop()
    response = client.patch(
        f"/api/v1/workshops/{workshop.id}", json={"capacity": 40}, headers=auth_headers(coordinator)
    )
    assert response.status_code == 200 and response.get_json()["capacity"] == 40


def test_patch_unknown_workshop_is_404(client, lead, auth_headers, assert_error):
    assert_error(client.patch("/api/v1/workshops/424242", json={"title": "x"}, headers=auth_headers(lead)), 404)


# --- cancel -------------------------------------------------------------------------------------------


def test_delete_cancels_and_keeps_the_workshop_visible(client, lead, working_group, create_workshop, auth_headers):
    workshop = create_workshop(working_group)
    response = client.delete(f"/api/v1/workshops/{workshop.id}", headers=auth_headers(lead))
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    body = client.get(f"/api/v1/workshops/{workshop.id}").get_json()
    assert body["status"] == "cancelled" and body["sequence"] == 1


def test_cancelled_workshop_cannot_be_edited(client, lead, working_group, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(working_group)
    headers = auth_headers(lead)
    client.delete(f"/api/v1/workshops/{workshop.id}", headers=headers)
    body = assert_error(client.patch(f"/api/v1/workshops/{workshop.id}", json={"title": "Back"}, headers=headers), 409)
    assert "cancelled" in body["message"]


def test_other_working_group_lead_cannot_cancel(
    client, db, create_user, create_working_group, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(client.delete(f"/api/v1/workshops/{workshop.id}", headers=auth_headers(other_lead)), 403)
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status is WorkshopStatus.SCHEDULED


def test_coordinator_cancels_any_workshop(client, coordinator, create_workshop, auth_headers):
    workshop = create_workshop()
    response = client.delete(f"/api/v1/workshops/{workshop.id}", headers=auth_headers(coordinator))
    assert response.get_json()["status"] == "cancelled"


def test_anonymous_cannot_cancel(client, create_workshop, assert_error):
    workshop = create_workshop()
    assert_error(client.delete(f"/api/v1/workshops/{workshop.id}"), 401)


# --- nothing a client sends gives a 500 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "not json at all", "content_type": "text/plain"},
        {"data": "{broken", "content_type": "application/json"},
        {"json": []},
        {"json": ["working_group_id", 1]},
        {"json": "a string"},
        {"json": 42},
        {"json": None},
    ],
)
def test_malformed_create_bodies_are_4xx_with_the_contract(client, db, lead, auth_headers, assert_error, kwargs):
    response = client.post("/api/v1/workshops", headers=auth_headers(lead), **kwargs)
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)
    assert _workshop_count(db) == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"capacity": "10 seats"},
        {"capacity": 10**30},
        {"capacity": -1},
        {"round": 10**30},
        {"round": "first"},
        {"working_group_id": 10**30},
        {"working_group_id": 2**63},
        {"working_group_id": -5},
        {"working_group_id": "WG1"},
        {"working_group_id": None},
        {"title": {"en": "nested"}},
        {"title": "x" * 201},
        {"timezone": 12},
        {"timezone": "x" * 5000},
        {"starts_at": 1_700_000_000},
        {"starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30", "timezone": "America/New_York"},
        {"starts_at": "0001-01-01T00:00", "timezone": "Asia/Tokyo"},
        {"registration_closes_at": "0001-01-01T00:00+05:00"},
        {"agenda_items": "Welcome"},
        {"agenda_items": [{"title": "Welcome", "duration_minutes": 10**30}]},
        {"agenda_items": [{"duration_minutes": 10}]},
        {"agenda_items": [None]},
    ],
)
def test_bad_field_values_are_422_never_500(
    client, db, lead, working_group, auth_headers, workshop_payload, assert_error, overrides
):
    response = client.post(
        "/api/v1/workshops", json={**workshop_payload(working_group.id), **overrides}, headers=auth_headers(lead)
    )
    assert_error(response, 422, "validation_error")
    assert _workshop_count(db) == 0


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=1000",
        "per_page=-1",
        "page=99999999999999999999",
        "working_group_id=abc",
        "working_group_id=99999999999999999999",
        "upcoming=perhaps",
    ],
)
def test_bad_list_arguments_are_422(client, create_workshop, assert_error, query):
    create_workshop()
    assert_error(client.get(f"/api/v1/workshops?{query}"), 422)


@pytest.mark.parametrize(
    "workshop_id", ["0", "999999999", "2147483647", "2147483648", "9223372036854775808", "99999999999999999999999"]
)
def test_ids_out_of_range_are_404(client, lead, auth_headers, assert_error, workshop_id):
    headers = auth_headers(lead)
    assert_error(client.get(f"/api/v1/workshops/{workshop_id}"), 404)
    assert_error(client.patch(f"/api/v1/workshops/{workshop_id}", json={"title": "x"}, headers=headers), 404)
    assert_error(client.delete(f"/api/v1/workshops/{workshop_id}", headers=headers), 404)


@pytest.mark.parametrize("path", ["/api/v1/workshops/-1", "/api/v1/workshops/abc", "/api/v1/nothing-here"])
def test_unknown_api_paths_are_json_404(client, assert_error, path):
    assert_error(client.get(path), 404)


def test_wrong_method_is_json_405(client, assert_error):
    assert_error(client.put("/api/v1/codebook", json={}), 405)


def test_patch_with_array_body_is_422(client, lead, working_group, create_workshop, auth_headers, assert_error):
    workshop = create_workshop(working_group)
    assert_error(
        client.patch(f"/api/v1/workshops/{workshop.id}", json=[{"title": "x"}], headers=auth_headers(lead)), 422
    )


def test_oversized_body_is_413(client, lead, working_group, auth_headers, workshop_payload, assert_error):
    payload = workshop_payload(working_group.id, description="x" * (3 * 1024 * 1024))
    assert_error(client.post("/api/v1/workshops", json=payload, headers=auth_headers(lead)), 413)


def test_bad_bearer_token_is_401(client, working_group, workshop_payload, assert_error):
    response = client.post(
        "/api/v1/workshops", json=workshop_payload(working_group.id), headers={"Authorization": "Bearer not-a-token"}
    )
    assert_error(response, 401)
