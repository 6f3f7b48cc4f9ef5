from datetime import timedelta

import sqlalchemy as sa

from engage.consultations.models import Audience, Consultation
from engage.participation.models import Comment
from engage.timeutil import utcnow

URL = "/api/v1/consultations"


def _payload(working_group, **kw):
    now = utcnow().replace(tzinfo=None, microsecond=0)
    data = {
        "working_group_id": working_group.id,
        "title": "Draft priorities",
        "body": "Read *this*.",
        "timezone": "Europe/Rome",
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=5)).isoformat(),
        "audience": "working_group",
    }
    data.update(kw)
    return data


def _count(db, model=Consultation):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_lead_creates_a_consultation_with_references(client, db, lead, working_group, auth_headers):
    response = client.post(
        URL,
        json=_payload(
            working_group,
            references=[{"kind": "roadmap"}, {"kind": "priority_list", "pillar_id": working_group.pillar_id}],
        ),
        headers=auth_headers(lead),
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "open" and body["timezone"] == "Europe/Rome"
    assert body["opens_at"].endswith("+00:00")
    assert [r["kind"] for r in body["references"]] == ["roadmap", "priority_list"]
    assert "<em>this</em>" in body["body_html"]


def test_bad_input_is_422_and_stores_nothing(client, db, lead, working_group, participant, auth_headers, assert_error):
    headers = auth_headers(lead)
    now = utcnow().replace(tzinfo=None)
    cases = [
        ({"closes_at": (now - timedelta(days=2)).isoformat()}, "closes_at"),
        ({"timezone": "Nowhere/City"}, "timezone"),
        ({"audience": "listed", "user_ids": []}, "user_ids"),
        ({"audience": "listed"}, "user_ids"),
        ({"audience": "working_group", "working_group_id": None}, "working_group_id"),
        ({"audience": "nobody"}, "audience"),
        ({"audience": "listed", "user_ids": [participant.id, 123456]}, "user_ids"),
        ({"references": [{"kind": "minutes", "minutes_id": 99999}]}, "references"),
        ({"opens_at": "not a date"}, "opens_at"),
        ({"title": " "}, "title"),
    ]
    for change, field in cases:
        body = assert_error(client.post(URL, json=_payload(working_group, **change), headers=headers), 422)
        assert field in body["errors"], (change, body)
    assert _count(db) == 0


def test_participant_cannot_create_and_lead_not_for_another_group(
    client, db, participant, lead, working_group, create_working_group, auth_headers, assert_error
):
    assert_error(client.post(URL, json=_payload(working_group), headers=auth_headers(participant)), 403)
    other = create_working_group()
    assert_error(client.post(URL, json=_payload(other), headers=auth_headers(lead)), 403)
    assert_error(client.post(URL, json=_payload(working_group)), 401)
    assert _count(db) == 0


def test_list_shows_a_participant_only_their_audience(client, create_consultation, member, participant, auth_headers):
    mine = create_consultation()
    create_consultation(audience=Audience.LISTED, user_ids=[participant.id])
    body = client.get(URL, headers=auth_headers(member)).get_json()
    assert [c["id"] for c in body["items"]] == [mine.id] and body["meta"]["total"] == 1


def test_get_is_for_audience_and_organisers(
    client, create_consultation, member, participant, coordinator, auth_headers, assert_error
):
    c = create_consultation()
    assert client.get(f"{URL}/{c.id}", headers=auth_headers(member)).status_code == 200
    assert client.get(f"{URL}/{c.id}", headers=auth_headers(coordinator)).status_code == 200
    assert_error(client.get(f"{URL}/{c.id}", headers=auth_headers(participant)), 404)
    assert_error(client.get(f"{URL}/999999", headers=auth_headers(member)), 404)
    # Nor through its IAP2 page: title and response note are the audience's.
    design = client.get(f"/api/v1/iap2/activities/consultation/{c.id}/design", headers=auth_headers(participant))
    assert_error(design, 404)
    assert (
        client.get(f"/api/v1/iap2/activities/consultation/{c.id}/design", headers=auth_headers(member)).status_code
        == 200
    )


def test_patch_before_open_only(client, db, create_consultation, lead, member, auth_headers, assert_error):
    scheduled = create_consultation(opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    response = client.patch(f"{URL}/{scheduled.id}", json={"title": "Renamed"}, headers=auth_headers(lead))
    assert response.status_code == 200 and response.get_json()["title"] == "Renamed"
    body = assert_error(
        client.patch(f"{URL}/{scheduled.id}", json={"closes_at": "2000-01-01T00:00"}, headers=auth_headers(lead)), 422
    )
    assert "closes_at" in body["errors"]
    assert_error(client.patch(f"{URL}/{scheduled.id}", json={"title": "Mine"}, headers=auth_headers(member)), 403)
    db.session.expire_all()
    assert db.session.get(Consultation, scheduled.id).title == "Renamed"
    opened = create_consultation()
    assert_error(client.patch(f"{URL}/{opened.id}", json={"title": "Late"}, headers=auth_headers(lead)), 409)


def test_comment_crud_for_the_author(client, db, create_consultation, member, auth_headers):
    c = create_consultation()
    headers = auth_headers(member)
    created = client.post(f"{URL}/{c.id}/comments", json={"body": "I agree **strongly**"}, headers=headers)
    assert created.status_code == 201
    comment_id = created.get_json()["id"]
    listed = client.get(f"{URL}/{c.id}/comments", headers=headers).get_json()
    assert [x["id"] for x in listed["items"]] == [comment_id]
    edited = client.patch(f"{URL}/{c.id}/comments/{comment_id}", json={"body": "Edited"}, headers=headers)
    assert edited.get_json()["body"] == "Edited"
    assert client.get(f"{URL}/{c.id}/comments/{comment_id}", headers=headers).status_code == 200
    assert client.delete(f"{URL}/{c.id}/comments/{comment_id}", headers=headers).status_code == 204
    assert client.get(f"{URL}/{c.id}/comments", headers=headers).get_json()["items"] == []


def test_comment_bad_input_and_wrong_people(
    client, db, create_consultation, member, participant, lead, auth_headers, assert_error
):
    c = create_consultation()
    assert_error(client.post(f"{URL}/{c.id}/comments", json={"body": "  "}, headers=auth_headers(member)), 422)
    assert_error(client.post(f"{URL}/{c.id}/comments", json={}, headers=auth_headers(member)), 422)
    assert_error(client.post(f"{URL}/{c.id}/comments", json={"body": "Hi"}, headers=auth_headers(participant)), 404)
    mine = client.post(f"{URL}/{c.id}/comments", json={"body": "Mine"}, headers=auth_headers(member))
    comment_id = mine.get_json()["id"]
    assert_error(
        client.patch(f"{URL}/{c.id}/comments/{comment_id}", json={"body": "X"}, headers=auth_headers(lead)), 403
    )
    assert_error(client.delete(f"{URL}/{c.id}/comments/{comment_id}", headers=auth_headers(lead)), 403)
    assert_error(client.get(f"{URL}/{c.id}/comments", headers=auth_headers(participant)), 404)
    assert _count(db, Comment) == 1


def test_comment_outside_the_window_is_409_with_a_message(
    client, db, create_consultation, member, auth_headers, assert_error
):
    scheduled = create_consultation(opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    body = assert_error(
        client.post(f"{URL}/{scheduled.id}/comments", json={"body": "Hi"}, headers=auth_headers(member)),
        409,
        "consultation_not_open",
    )
    assert "not open" in body["message"]
    closed = create_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    assert_error(
        client.post(f"{URL}/{closed.id}/comments", json={"body": "Hi"}, headers=auth_headers(member)),
        409,
        "consultation_closed",
    )
    assert _count(db, Comment) == 0


def test_response_after_close_by_the_organisers(client, create_consultation, lead, member, auth_headers, assert_error):
    closed = create_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    assert_error(client.put(f"{URL}/{closed.id}/response", json={"body": "Ok"}, headers=auth_headers(member)), 403)
    assert_error(client.put(f"{URL}/{closed.id}/response", json={"body": ""}, headers=auth_headers(lead)), 422)
    response = client.put(f"{URL}/{closed.id}/response", json={"body": "We heard *you*"}, headers=auth_headers(lead))
    assert response.status_code == 200 and "<em>you</em>" in response.get_json()["response_html"]
    opened = create_consultation()
    assert_error(client.put(f"{URL}/{opened.id}/response", json={"body": "Early"}, headers=auth_headers(lead)), 409)
