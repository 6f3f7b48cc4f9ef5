"""Roadmap actions: coordinators build them from priorities; the roadmap is Table 1 from the data."""

import io

import pypdf
import pytest
import sqlalchemy as sa

from engage.auth.models import Role
from engage.priorities.services import create_priority
from engage.roadmap.models import RoadmapAction


@pytest.fixture
def coordinator_h(auth_headers, coordinator):
    return auth_headers(coordinator)


@pytest.fixture
def priorities(db, working_group):
    made = [
        create_priority(pillar_id=working_group.pillar_id, text=text, sub_topic_ids=[])
        for text in ("Promote digital health literacy", "Train professionals in genomics")
    ]
    db.session.commit()
    return made


def _sub_topic(working_group):
    return working_group.themes[0].sub_topics[1]


def test_create_update_and_list_actions(client, coordinator_h, working_group, priorities):
    response = client.post(
        "/api/v1/roadmap-actions",
        headers=coordinator_h,
        json={
            "sub_topic_id": _sub_topic(working_group).id,
            "title": "Secure data",
            "description": "**Now**",
            "priority_ids": [priorities[1].id, priorities[0].id],
        },
    )
    body = response.get_json()
    assert response.status_code == 201, body
    assert body["code"] == f"{working_group.pillar.number}.1.b"
    assert [p["code"] for p in body["priorities"]] == [f"P-{priorities[0].id}", f"P-{priorities[1].id}"]
    assert body["description_html"] == "<p><strong>Now</strong></p>\n"
    patched = client.patch(
        f"/api/v1/roadmap-actions/{body['id']}", json={"title": "Secure all data"}, headers=coordinator_h
    ).get_json()
    assert patched["title"] == "Secure all data" and len(patched["priorities"]) == 2
    assert [a["title"] for a in client.get("/api/v1/roadmap-actions").get_json()] == ["Secure all data"]


def test_action_bad_input_changes_nothing(client, coordinator_h, working_group, assert_error, db):
    url = "/api/v1/roadmap-actions"
    assert_error(client.post(url, json={"sub_topic_id": 999999, "title": "x"}, headers=coordinator_h), 422)
    body = assert_error(
        client.post(
            url,
            json={"sub_topic_id": _sub_topic(working_group).id, "title": "x", "priority_ids": [424242]},
            headers=coordinator_h,
        ),
        422,
    )
    assert "P-424242" in body["errors"]["priority_ids"][0]
    assert_error(client.post(url, json={"title": ""}, headers=coordinator_h), 422)
    assert_error(client.patch(f"{url}/999999", json={"title": "x"}, headers=coordinator_h), 404)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadmapAction)) == 0


def test_only_coordinators_change_actions(client, auth_headers, lead, participant, working_group, assert_error, db):
    data = {"sub_topic_id": _sub_topic(working_group).id, "title": "x"}
    assert_error(client.post("/api/v1/roadmap-actions", json=data, headers=auth_headers(lead)), 403)
    assert_error(client.post("/api/v1/roadmap-actions", json=data, headers=auth_headers(participant)), 403)
    assert_error(client.post("/api/v1/roadmap-actions", json=data), 401)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoadmapAction)) == 0


def test_merge_takes_over_priorities_and_hides_the_merged(
    client, coordinator_h, auth_headers, lead, working_group, priorities, assert_error
):
    sub_topic = _sub_topic(working_group).id
    ids = [
        client.post(
            "/api/v1/roadmap-actions",
            headers=coordinator_h,
            json={"sub_topic_id": sub_topic, "title": f"Action {n}", "priority_ids": [p.id]},
        ).get_json()["id"]
        for n, p in enumerate(priorities)
    ]
    url = f"/api/v1/roadmap-actions/{ids[0]}/merge"
    assert_error(client.post(url, json={"source_ids": [ids[1]]}, headers=auth_headers(lead)), 403)
    assert_error(client.post(url, json={"source_ids": [999999]}, headers=coordinator_h), 422)
    assert_error(client.post(url, json={"source_ids": []}, headers=coordinator_h), 422)
    merged = client.post(url, json={"source_ids": [ids[1]]}, headers=coordinator_h).get_json()
    assert [p["id"] for p in merged["priorities"]] == [p.id for p in priorities]
    assert [a["id"] for a in client.get("/api/v1/roadmap-actions").get_json()] == [ids[0]]
    assert_error(client.patch(f"/api/v1/roadmap-actions/{ids[1]}", json={"title": "y"}, headers=coordinator_h), 409)


def test_roadmap_pdf_has_table_1_and_each_action_with_its_priorities(client, coordinator_h, working_group, priorities):
    client.post(
        "/api/v1/roadmap-actions",
        headers=coordinator_h,
        json={
            "sub_topic_id": _sub_topic(working_group).id,
            "title": "数据安全 Secure data",
            "priority_ids": [priorities[0].id],
        },
    )
    for url in ("/api/v1/roadmap.pdf", "/roadmap.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(response.data))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert "Adopting Big Data and ICT solutions" in text and "b. Privacy" in text
        assert "数据安全 Secure data" in text and f"P-{priorities[0].id}: Promote digital health literacy" in text
        assert not reader.attachments


def test_roadmap_form_pages(client, login, coordinator, lead, working_group, priorities, db):
    login(client, lead)
    assert client.get("/roadmap/actions/new").status_code == 403
    client.post("/logout")
    login(client, coordinator)
    assert client.get("/roadmap/actions/new").status_code == 200
    response = client.post("/roadmap/actions/new", data={"sub_topic_id": "999999", "title": "Kept title"})
    assert response.status_code == 422 and "Kept title" in response.get_data(as_text=True)
    response = client.post(
        "/roadmap/actions/new",
        data={
            "sub_topic_id": str(_sub_topic(working_group).id),
            "title": "From the form",
            "priority_ids": [str(priorities[0].id)],
        },
    )
    assert response.status_code == 302
    action = db.session.scalar(sa.select(RoadmapAction))
    assert action.title == "From the form" and [p.id for p in action.priorities] == [priorities[0].id]
    assert client.post(f"/roadmap/actions/{action.id}/edit", data={"title": ""}).status_code == 422
    assert client.post(f"/roadmap/actions/{action.id}/merge", data={"source_ids": ["999999"]}).status_code == 303
    page = client.get("/roadmap").get_data(as_text=True)
    assert "From the form" in page and "Choose other actions" in page


def test_roadmap_merge_page_is_for_coordinators(client, login, participant, coordinator, working_group, db):
    action = RoadmapAction(sub_topic_id=_sub_topic(working_group).id, title="x")
    db.session.add(action)
    db.session.commit()
    login(client, participant)
    assert client.post(f"/roadmap/actions/{action.id}/merge", data={"source_ids": ["1"]}).status_code == 403
    assert client.get(f"/roadmap/actions/{action.id}/edit").status_code == 403
    assert client.get("/roadmap").status_code == 200


@pytest.mark.parametrize("role", [Role.LEAD, Role.PARTICIPANT])
def test_trace_page_shows_roadmap_actions_of_a_priority(
    client, login, create_user, role, working_group, priorities, db
):
    db.session.add(
        RoadmapAction(sub_topic_id=_sub_topic(working_group).id, title="Literacy action", priorities=[priorities[0]])
    )
    db.session.commit()
    login(client, create_user(role))
    page = client.get(f"/priorities/{priorities[0].id}/trace").get_data(as_text=True)
    assert "Literacy action" in page
