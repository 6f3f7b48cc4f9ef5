"""The Delphi API: every route refuses the wrong role; odd input is a clear 4xx; round-2 changes by API."""

import io
from datetime import timedelta

import sqlalchemy as sa

from engage.delphi import services
from engage.delphi.models import DelphiRating, DisclosureMode
from engage.delphi.services.results import SUPPRESSED
from engage.timeutil import utcnow

API = "/api/v1/delphi"


def _ratings_count(db):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(DelphiRating))


def _manager_routes(survey, round_, item_id, user_id):
    s, r, i = f"{API}/surveys/{survey.id}", f"{API}/rounds/{round_.id}", item_id
    when = {"opens_at": "2030-01-01T00:00:00+00:00", "closes_at": "2030-01-08T00:00:00+00:00"}
    return [
        ("put", f"{s}/rule", {"json": {"threshold_percent": 80}}),
        ("get", f"{s}/items", {}),
        ("post", f"{s}/items", {"json": {"text": "New"}}),
        (
            "post",
            f"{s}/items/import",
            {"data": {"file": (io.BytesIO(b"text\nX\n"), "i.csv")}, "content_type": "multipart/form-data"},
        ),
        ("patch", f"{s}/items/{i}", {"json": {"text": "Changed"}}),
        ("get", f"{s}/panel", {}),
        ("post", f"{s}/panel", {"json": {"user_ids": [user_id]}}),
        ("delete", f"{s}/panel/{user_id}", {}),
        ("post", f"{s}/panel/invitations", {"json": {"email": "someone@example.org"}}),
        ("post", f"{s}/rounds", {"json": when}),
        ("patch", r, {"json": {"closes_at": when["closes_at"]}}),
        ("post", f"{r}/close", {}),
        ("post", f"{r}/items", {"json": {"text": "New", "reason": "why"}}),
        ("post", f"{r}/items/{i}/reword", {"json": {"text": "New", "reason": "why"}}),
        ("post", f"{r}/items/{i}/drop", {"json": {"reason": "why"}}),
        ("post", f"{r}/merge", {"json": {"item_ids": [i, i + 1], "text": "M", "reason": "why"}}),
        ("get", f"{s}/audit", {}),
        ("post", f"{s}/finalise", {}),
        ("get", f"{r}/results", {}),
        ("get", f"{r}/stability", {}),
        ("get", f"{r}/not-submitted", {}),
        ("get", f"{s}/participation", {}),
        ("get", f"{r}/results.csv", {}),
        ("get", f"{r}/responses.csv", {}),
    ]


def test_every_managing_route_is_403_for_panellists_404_for_others_401_anonymous(
    client, db, live, participant, auth_headers, assert_error
):
    from engage.delphi.models import DelphiAuditEntry

    survey, round_, panel, items = live()
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(DelphiAuditEntry))
    for method, url, kwargs in _manager_routes(survey, round_, items[0], panel[1].id):
        for user, status in ((panel[0], 403), (participant, 404), (None, 401)):
            headers = auth_headers(user) if user else {}
            if "data" in kwargs:
                kwargs = {**kwargs, "data": {"file": (io.BytesIO(b"text\nX\n"), "i.csv")}}
            response = getattr(client, method)(url, headers=headers, **kwargs)
            assert response.status_code == status, (method, url, status, response.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DelphiAuditEntry)) == audit_before


def test_panellist_routes_are_hidden_from_people_off_the_panel(client, live, participant, auth_headers, assert_error):
    _survey, round_, _panel, (a, _b) = live()
    headers = auth_headers(participant)
    for url in ("", "/items", "/my-response", "/feedback"):
        assert_error(client.get(f"{API}/rounds/{round_.id}{url}", headers=headers), 404)
    assert_error(client.get(f"{API}/rounds/424242", headers=headers), 404)


def test_panellists_see_the_round_items_only_once_it_opened(
    client, db, lead, create_survey, create_panel, auth_headers, assert_error
):
    survey = create_survey(texts=("A",))
    (member,) = create_panel(survey, 1)
    now = utcnow()
    round_ = services.schedule_round(
        survey, actor=lead, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8), now=now
    )
    db.session.commit()
    assert_error(client.get(f"{API}/rounds/{round_.id}/items", headers=auth_headers(member)), 404)
    assert [
        i["text"] for i in client.get(f"{API}/rounds/{round_.id}/items", headers=auth_headers(lead)).get_json()
    ] == ["A"]
    assert client.get(f"{API}/rounds/{round_.id}", headers=auth_headers(member)).get_json()["state"] == "scheduled"


def test_response_matrix_refused_with_fewer_than_five_respondents(
    submit_all, client, live, lead, auth_headers, assert_error
):
    _survey, round_, panel, items = live(disclosure_mode=DisclosureMode.RESPONSE_MATRIX)
    submit_all(round_, panel[:4], items, [5, 4, 3, 2])
    client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead))
    assert_error(
        client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(lead)), 409, "too_few_respondents"
    )
    results = client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(lead)).get_json()
    assert results["is_suppressed"] and results["items"][0]["overall"] == SUPPRESSED


def test_unreadable_csv_and_blank_text_are_422(client, lead, create_survey, auth_headers, assert_error):
    survey = create_survey(texts=())
    headers = auth_headers(lead)
    for body in (b"text\n\x00bad\n", b"\xff\xfe\x00", b"origin\nworkshop\n", b"text\n"):
        assert_error(
            client.post(
                f"{API}/surveys/{survey.id}/items/import",
                headers=headers,
                data={"file": (io.BytesIO(body), "i.csv")},
                content_type="multipart/form-data",
            ),
            422,
        )
    assert_error(client.post(f"{API}/surveys/{survey.id}/items", headers=headers, json={"text": "   "}), 422)
    assert client.get(f"{API}/surveys/{survey.id}/items", headers=headers).get_json() == []


def test_merge_and_add_in_round_two_by_api(submit_all, client, db, live, lead, auth_headers, assert_error):
    survey, first, panel, (a, b) = live()
    submit_all(first, panel, [a, b], [3, 3, 3, 3, 3, 3])
    headers = auth_headers(lead)
    client.post(f"{API}/rounds/{first.id}/close", headers=headers)
    now = utcnow()
    second = client.post(
        f"{API}/surveys/{survey.id}/rounds",
        headers=headers,
        json={"opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=8)).isoformat()},
    )
    round_id = second.get_json()["id"]
    merged = client.post(
        f"{API}/rounds/{round_id}/merge",
        headers=headers,
        json={"item_ids": [a, b], "text": "A and B", "reason": "Same idea"},
    )
    assert merged.status_code == 201 and merged.get_json()["text"] == "A and B"
    assert_error(client.post(f"{API}/rounds/{round_id}/items", headers=headers, json={"text": "C"}), 422)
    added = client.post(
        f"{API}/rounds/{round_id}/items",
        headers=headers,
        json={"text": "C", "origin": "panellist", "reason": "Suggested in round 1"},
    )
    assert added.status_code == 201
    listed = client.get(f"{API}/rounds/{round_id}/items", headers=headers).get_json()
    assert [(i["text"], i["change"]) for i in listed] == [("A and B", "merged"), ("C", "new")]
    assert_error(
        client.post(f"{API}/rounds/{first.id}/items/{a}/drop", headers=headers, json={"reason": "x"}),
        409,
        "not_a_later_round",
    )


def test_text_with_nul_characters_is_422_everywhere(client, live, lead, auth_headers, assert_error):
    survey, round_, panel, (a, _b) = live()
    headers = auth_headers(lead)
    assert_error(
        client.post(
            f"{API}/surveys", headers=headers, json={"working_group_id": survey.working_group_id, "title": "x\u0000"}
        ),
        422,
    )
    assert_error(
        client.patch(f"{API}/surveys/{survey.id}/items/{a}", headers=headers, json={"explanation": "\u0000"}), 422
    )
    assert_error(
        client.put(
            f"{API}/rounds/{round_.id}/my-response",
            headers=auth_headers(panel[0]),
            json={"ratings": [{"item_id": a, "value": 3, "rationale": "a\u0000b"}]},
        ),
        422,
    )
