"""The minutes API: happy paths, bad input (nothing changed), wrong roles."""

import io
from datetime import timedelta

import pypdf
import pytest

from engage.auth.models import Role
from engage.minutes import pdf as minutes_pdf
from engage.timeutil import utcnow


def _deadline(days=7):
    return (utcnow() + timedelta(days=days)).isoformat()


@pytest.fixture
def lead_h(auth_headers, lead):
    return auth_headers(lead)


@pytest.fixture
def started(client, workshop, lead_h):
    response = client.post(f"/api/v1/workshops/{workshop.id}/minutes", headers=lead_h)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _approved(client, workshop, lead_h, document, priority):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    assert client.put(url, json=document(p=priority.id), headers=lead_h).status_code == 200
    assert client.post(f"{url}/circulate", json={"comment_deadline_at": _deadline()}, headers=lead_h).status_code == 200
    response = client.post(f"{url}/approve", json={"change_note": "first"}, headers=lead_h)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_start_minutes_happy_wrong_role_and_twice(client, workshop, lead_h, auth_headers, participant, assert_error):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    assert_error(client.post(url, headers=auth_headers(participant)), 403)
    assert_error(client.post(url), 401)
    assert client.post(url, headers=lead_h).status_code == 201
    assert_error(client.post(url, headers=lead_h), 409, "minutes_exist")
    assert_error(client.post("/api/v1/workshops/999999/minutes", headers=lead_h), 404)


def test_save_minutes_with_links(client, workshop, started, lead_h, document, make_priority):
    priority = make_priority()
    response = client.put(
        f"/api/v1/workshops/{workshop.id}/minutes",
        json={**document(p=priority.id), "revision": started["revision"]},
        headers=lead_h,
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["linked_priority_ids"] == [priority.id]
    assert body["sections"][1]["actions"][0]["owner"] == "王丽"
    assert f"/priorities/{priority.id}/trace" in body["sections"][1]["discussion_html"]


def test_save_minutes_unknown_reference_is_422_with_the_field_and_changes_nothing(
    client, workshop, started, lead_h, document, assert_error, db
):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    body = assert_error(client.put(url, json=document(p=4242), headers=lead_h), 422, "validation_error")
    assert "[[P-4242]]" in " ".join(body["errors"]["sections.1.discussion"])
    assert_error(client.put(url, json={"sections": "nope"}, headers=lead_h), 422)
    assert_error(client.put(url, json={"sections": []}, headers=lead_h), 422)
    assert_error(client.put(url, json={"sections": [{"title": ""}]}, headers=lead_h), 422)
    current = client.get(url, headers=lead_h).get_json()
    assert current["revision"] == started["revision"]
    assert current["sections"][1]["discussion"] == ""


def test_draft_is_private_to_editors(
    client, workshop, started, auth_headers, participant, attend, assert_error, create_user
):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    attend(workshop, participant)
    assert_error(client.get(url, headers=auth_headers(participant)), 404)
    assert_error(client.put(url, json={"sections": [{"title": "x"}]}, headers=auth_headers(participant)), 404)
    other_lead = create_user(Role.LEAD)
    assert_error(client.get(url, headers=auth_headers(other_lead)), 404)


def test_circulate_comment_approve_publish_correct(
    client,
    workshop,
    started,
    lead_h,
    auth_headers,
    participant,
    attend,
    document,
    make_priority,
    assert_error,
    create_user,
):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    priority = make_priority()
    attend(workshop, participant)
    p_h = auth_headers(participant)
    client.put(url, json=document(p=priority.id), headers=lead_h)
    assert_error(client.post(f"{url}/circulate", json={"comment_deadline_at": "tomorrow"}, headers=lead_h), 422)
    assert_error(client.post(f"{url}/circulate", json={"comment_deadline_at": _deadline(-1)}, headers=lead_h), 422)
    assert_error(client.post(f"{url}/circulate", json={"comment_deadline_at": _deadline()}, headers=p_h), 404)
    assert client.post(f"{url}/circulate", json={"comment_deadline_at": _deadline()}, headers=lead_h).status_code == 200

    assert client.get(url, headers=p_h).status_code == 200
    assert_error(client.put(url, json=document(p=priority.id), headers=p_h), 403)
    assert_error(client.post(f"{url}/comments", json={"body": ""}, headers=p_h), 422)
    assert_error(client.post(f"{url}/comments", json={"body": "x", "section_id": 999999}, headers=p_h), 422)
    stranger = auth_headers(create_user())
    assert_error(client.post(f"{url}/comments", json={"body": "Hi"}, headers=stranger), 404)
    assert client.post(f"{url}/comments", json={"body": "Add the EU view"}, headers=p_h).status_code == 201
    assert [c["body"] for c in client.get(f"{url}/comments", headers=lead_h).get_json()] == ["Add the EU view"]

    assert_error(client.post(f"{url}/approve", json={}, headers=p_h), 403)
    assert_error(client.post(f"{url}/approve", json={"change_note": "x" * 1001}, headers=lead_h), 422)
    version = client.post(f"{url}/approve", json={}, headers=lead_h).get_json()
    assert version["number"] == 1 and len(version["content_hash"]) == 64
    assert_error(client.post(f"{url}/comments", json={"body": "late"}, headers=p_h), 409, "comments_closed")

    assert_error(client.get(f"{url}/versions/1"), 404)  # not public before publication
    assert_error(client.post(f"{url}/publish", headers=p_h), 403)
    assert client.post(f"{url}/publish", headers=lead_h).get_json()["status"] == "published"
    assert_error(client.post(f"{url}/publish", headers=lead_h), 409, "wrong_status")
    assert client.get(f"{url}/versions/1").get_json()["content_hash"] == version["content_hash"]
    assert [v["number"] for v in client.get(f"{url}/versions").get_json()] == [1]

    assert client.post(f"{url}/correct", headers=lead_h).get_json()["status"] == "draft"
    client.put(url, json=document(p=priority.id, discussion="Corrected [[P-{p}]]"), headers=lead_h)
    assert client.post(f"{url}/approve", json={"change_note": "typo"}, headers=lead_h).get_json()["number"] == 2
    assert [v["number"] for v in client.get(f"{url}/versions").get_json()] == [1]  # v2 not published yet
    assert [v["number"] for v in client.get(f"{url}/versions", headers=p_h).get_json()] == [1, 2]
    events = client.get(f"{url}/events", headers=lead_h).get_json()
    assert [e["kind"] for e in events] == [
        "created",
        "circulated",
        "approved",
        "published",
        "correction_started",
        "approved",
    ]
    assert_error(client.get(f"{url}/events", headers=p_h), 403)


def test_editors_route(client, workshop, started, lead_h, auth_headers, participant, assert_error):
    url = f"/api/v1/workshops/{workshop.id}/minutes/editors"
    assert_error(client.put(url, json={"user_ids": [999999]}, headers=lead_h), 422)
    assert_error(client.put(url, json={"user_ids": "x"}, headers=lead_h), 422)
    assert (
        client.put(url, json={"user_ids": [participant.id]}, headers=lead_h).get_json()["editors"][0]["id"]
        == participant.id
    )
    assert_error(client.put(url, json={"user_ids": []}, headers=auth_headers(participant)), 403)


def _text(pdf: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_approving_or_publishing_minutes_of_an_upcoming_workshop_is_409(
    client, db, workshop, started, lead_h, document, make_priority, assert_error
):
    approved = _approved(client, workshop, lead_h, document, make_priority())
    workshop.starts_at, workshop.ends_at = utcnow() + timedelta(days=5), utcnow() + timedelta(days=5, hours=3)
    db.session.commit()  # postponed after its minutes were approved
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    body = assert_error(client.post(f"{url}/publish", headers=lead_h), 409, "workshop_not_started")
    assert body["message"].startswith("Minutes are published once the workshop has taken place.")
    assert "(Asia/Shanghai)" in body["message"]
    client.post(f"{url}/correct", headers=lead_h)
    client.put(url, json=document(p=make_priority(text="Another").id), headers=lead_h)
    assert_error(client.post(f"{url}/approve", json={}, headers=lead_h), 409, "workshop_not_started")
    minutes = client.get(url, headers=lead_h).get_json()
    assert minutes["status"] == "draft" and minutes["published_version_number"] is None
    assert [v["number"] for v in client.get(f"{url}/versions", headers=lead_h).get_json()] == [approved["number"]]


def test_version_pdf_contents(client, workshop, started, lead_h, document, make_priority, attend, create_user):
    priority = make_priority(text="推广数字健康素养 Promote digital health literacy")
    attend(workshop, create_user(display_name="王丽", consent_named=True, region="CN-BJ"))
    attend(workshop, create_user(display_name="Nameless Person", region="IT"))
    version = _approved(client, workshop, lead_h, document, priority)
    client.post(f"/api/v1/workshops/{workshop.id}/minutes/publish", headers=lead_h)
    response = client.get(f"/api/v1/workshops/{workshop.id}/minutes/versions/1/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader, text = _text(response.data)
    assert "Round 1: data exchange" in text
    assert "数据交换 Data exchange" in text and "王丽" in text
    assert "Nameless Person" not in text
    assert f"P-{priority.id}" in text and "推广数字健康素养" in text and "85.0 % agreement" in text
    assert version["content_hash"][:40] in text.replace("\n", "")
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "(Asia/Shanghai)" in text
    assert not reader.attachments


def test_version_pdf_names_the_consortium_from_the_settings(
    client, workshop, started, lead_h, document, make_priority, coordinator, auth_headers
):
    _approved(client, workshop, lead_h, document, make_priority())
    url = f"/api/v1/workshops/{workshop.id}/minutes/versions/1/pdf"
    _reader, before = _text(client.get(url, headers=lead_h).data)
    assert "Consortium WG1: Shaping sustainable healthcare" in before and "Engage · Pillar 1" in before
    client.put("/api/v1/settings", json={"consortium_name": "IC2PerMed"}, headers=auth_headers(coordinator))
    _reader, after = _text(client.get(url, headers=lead_h).data)
    assert "Consortium IC2PerMed · WG1: Shaping sustainable healthcare" in after
    assert "IC2PerMed · Pillar 1 · WG1" in after and "Engage · Pillar" not in after


def test_version_pdf_is_cached_by_content_hash(client, workshop, started, lead_h, document, make_priority, monkeypatch):
    _approved(client, workshop, lead_h, document, make_priority())
    calls = []
    real = minutes_pdf.render_pdf
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, **kw: calls.append(1) or real(html, **kw))
    url = f"/api/v1/workshops/{workshop.id}/minutes/versions/1/pdf"
    first = client.get(url, headers=lead_h).data
    second = client.get(url, headers=lead_h).data
    assert first == second and len(calls) == 1


def test_version_pdf_wrong_role_and_unknown_version(
    client, workshop, started, lead_h, document, make_priority, auth_headers, create_user, assert_error
):
    _approved(client, workshop, lead_h, document, make_priority())
    url = f"/api/v1/workshops/{workshop.id}/minutes/versions"
    assert_error(client.get(f"{url}/1/pdf", headers=auth_headers(create_user())), 404)
    assert_error(client.get(f"{url}/7/pdf", headers=lead_h), 404)


def test_priority_links_route(
    client, workshop, started, lead_h, document, make_priority, auth_headers, create_user, assert_error
):
    priority = make_priority()
    _approved(client, workshop, lead_h, document, priority)
    url = f"/api/v1/priorities/{priority.id}/minutes-links"
    assert [link["kind"] for link in client.get(url, headers=lead_h).get_json()] == ["discussion", "decision"]
    assert client.get(url, headers=auth_headers(create_user())).get_json() == []  # approved but not published
    client.post(f"/api/v1/workshops/{workshop.id}/minutes/publish", headers=lead_h)
    assert len(client.get(url, headers=auth_headers(create_user())).get_json()) == 2
    assert_error(client.get(url), 401)
    assert_error(client.get("/api/v1/priorities/999999/minutes-links", headers=lead_h), 404)


def test_version_pdf_shows_the_workshops_iap2_level_and_promise(
    client, db, workshop, started, lead_h, document, make_priority
):
    from engage.iap2.levels import IAP2Level
    from engage.iap2.models import ActivityDesign, ActivityKind

    db.session.add(
        ActivityDesign(
            activity_kind=ActivityKind.WORKSHOP,
            activity_id=workshop.id,
            is_input_sought=True,
            working_group_id=workshop.working_group_id,
            derived_level=IAP2Level.CONSULT,
        )
    )
    db.session.commit()
    _approved(client, workshop, lead_h, document, make_priority())
    _reader, text = _text(client.get(f"/api/v1/workshops/{workshop.id}/minutes/versions/1/pdf", headers=lead_h).data)
    assert "IAP2 level Consult" in text and "tell you how your input influenced" in text.replace("\n", " ")


def test_cached_pdf_is_renewed_when_a_linked_priority_joins_a_roadmap_action(
    client, db, workshop, working_group, started, lead_h, document, make_priority, monkeypatch
):
    from engage.roadmap.models import RoadmapAction

    priority = make_priority()
    _approved(client, workshop, lead_h, document, priority)
    calls = []
    real = minutes_pdf.render_pdf
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, **kw: calls.append(1) or real(html, **kw))
    url = f"/api/v1/workshops/{workshop.id}/minutes/versions/1/pdf"
    assert "Literacy roadmap" not in _text(client.get(url, headers=lead_h).data)[1]
    db.session.add(
        RoadmapAction(
            sub_topic_id=working_group.themes[0].sub_topics[0].id,
            title="Literacy roadmap action",
            priorities=[priority],
        )
    )
    db.session.commit()
    assert "1.1.a Literacy roadmap action" in _text(client.get(url, headers=lead_h).data)[1].replace("\n", " ")
    assert len(calls) == 2


def test_a_malformed_agenda_item_id_is_a_field_error_not_a_crash(client, workshop, started, lead_h, assert_error):
    url = f"/api/v1/workshops/{workshop.id}/minutes"
    for bad in ({"a": 1}, [1], "1", True):
        body = assert_error(
            client.put(url, json={"sections": [{"title": "x", "agenda_item_id": bad}]}, headers=lead_h), 422
        )
        assert "sections.0.agenda_item_id" in body["errors"]


def test_the_approver_is_named_only_with_consent(db, create_user, working_group):
    from engage.auth.models import Role
    from engage.minutes.models import MinutesVersion

    named = create_user(Role.LEAD, display_name="Nia Named", consent_named=True)
    unnamed = create_user(Role.LEAD, display_name="Uma Unnamed")
    assert MinutesVersion(approved_by=named).approver_label == "Nia Named"
    assert MinutesVersion(approved_by=unnamed).approver_label == "Working-group lead"
