"""The Delphi API: happy paths, bad input (clear 4xx, nothing stored) and the wrong role (403/404)."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import Role
from engage.delphi.models import DelphiRating, DisclosureMode
from engage.timeutil import utcnow

API = "/api/v1/delphi"


def _ratings_count(db):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(DelphiRating))


# --- surveys, rule, items, panel -------------------------------------------------------------------


def test_lead_creates_a_survey_with_the_default_rule(client, lead, working_group, auth_headers):
    response = client.post(
        f"{API}/surveys", json={"working_group_id": working_group.id, "title": "Pillar I"}, headers=auth_headers(lead)
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["rule"]["threshold_percent"] == 70 and body["rule"]["agreeing_values"] == [4, 5]
    assert body["rule"]["frozen_at"] is None and body["rounds"] == []


def test_creating_a_survey_bad_input_and_wrong_role(
    client, participant, lead, working_group, auth_headers, assert_error
):
    assert_error(
        client.post(f"{API}/surveys", json={"working_group_id": working_group.id}, headers=auth_headers(lead)), 422
    )
    assert_error(
        client.post(f"{API}/surveys", json={"working_group_id": 424242, "title": "x"}, headers=auth_headers(lead)), 404
    )
    assert_error(
        client.post(
            f"{API}/surveys",
            json={"working_group_id": working_group.id, "title": "x"},
            headers=auth_headers(participant),
        ),
        403,
    )
    assert_error(client.post(f"{API}/surveys", json={"working_group_id": working_group.id, "title": "x"}), 401)


def test_rule_update_then_frozen_after_round_one_opens(client, lead, live, auth_headers, assert_error):
    survey, *_ = live()
    body = assert_error(
        client.put(f"{API}/surveys/{survey.id}/rule", json={"threshold_percent": 60}, headers=auth_headers(lead)),
        409,
        "rule_frozen",
    )
    assert "frozen" in body["message"]
    rule = client.get(f"{API}/surveys/{survey.id}/rule", headers=auth_headers(lead)).get_json()
    assert rule["threshold_percent"] == 70 and rule["is_frozen"] and rule["frozen_at"]


def test_rule_update_before_round_one(client, lead, create_survey, auth_headers, assert_error, participant):
    survey = create_survey()
    response = client.put(
        f"{API}/surveys/{survey.id}/rule",
        json={"veto_max_percent": 15, "min_valid_ratings": 5},
        headers=auth_headers(lead),
    )
    assert response.status_code == 200 and response.get_json()["veto_max_percent"] == 15
    assert_error(
        client.put(f"{API}/surveys/{survey.id}/rule", json={"threshold_percent": 101}, headers=auth_headers(lead)), 422
    )
    assert_error(
        client.put(f"{API}/surveys/{survey.id}/rule", json={"agreeing_values": [9]}, headers=auth_headers(lead)), 422
    )
    assert_error(
        client.put(
            f"{API}/surveys/{survey.id}/rule", json={"threshold_percent": 50}, headers=auth_headers(participant)
        ),
        404,
    )


def test_items_add_import_and_edit(client, lead, create_survey, auth_headers, assert_error):
    survey = create_survey(texts=())
    headers = auth_headers(lead)
    code = survey.working_group.themes[0].sub_topics[1]
    added = client.post(
        f"{API}/surveys/{survey.id}/items",
        headers=headers,
        json={"text": "Cross-border data", "origin": "workshop", "sub_topic_ids": [code.id]},
    )
    assert added.status_code == 201 and added.get_json()["codes"] == [f"{survey.working_group.pillar.number}.1.b"]
    csv_body = b"text,origin,codes\nTrain staff,literature,\nPatient portals,panellist,1.1.a\n"
    imported = client.post(
        f"{API}/surveys/{survey.id}/items/import",
        headers=headers,
        data={"file": (io.BytesIO(csv_body), "items.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 201, imported.get_data(as_text=True)
    assert [i["text"] for i in imported.get_json()] == ["Train staff", "Patient portals"]
    bad = client.post(
        f"{API}/surveys/{survey.id}/items/import",
        headers=headers,
        data={"file": (io.BytesIO(b"text,origin\nX,nonsense\n"), "items.csv")},
        content_type="multipart/form-data",
    )
    assert assert_error(bad, 422)["errors"] == {
        "rows.2.origin": [
            "Row 2, origin: “nonsense” is not an origin; use literature, workshop or panellist"
            " (empty means literature)."
        ]
    }
    edited = client.patch(
        f"{API}/surveys/{survey.id}/items/{added.get_json()['id']}",
        headers=headers,
        json={"text": "Cross-border data exchange"},
    )
    assert edited.get_json()["text"] == "Cross-border data exchange"
    assert len(client.get(f"{API}/surveys/{survey.id}/items", headers=headers).get_json()) == 3
    assert_error(client.post(f"{API}/surveys/{survey.id}/items", headers=headers, json={"text": ""}), 422)


def test_panel_add_list_remove_and_roles(client, lead, create_user, create_survey, auth_headers, assert_error):
    survey = create_survey()
    expert, outsider = create_user(), create_user()
    headers = auth_headers(lead)
    added = client.post(f"{API}/surveys/{survey.id}/panel", json={"user_ids": [expert.id]}, headers=headers)
    assert added.status_code == 201 and added.get_json()[0]["user_id"] == expert.id
    assert_error(client.post(f"{API}/surveys/{survey.id}/panel", json={"user_ids": [424242]}, headers=headers), 422)
    # A panellist sees the survey but cannot manage it; someone else does not see it at all.
    assert_error(client.get(f"{API}/surveys/{survey.id}/panel", headers=auth_headers(expert)), 403)
    assert_error(client.get(f"{API}/surveys/{survey.id}", headers=auth_headers(outsider)), 404)
    assert client.get(f"{API}/surveys/{survey.id}", headers=auth_headers(expert)).status_code == 200
    assert client.delete(f"{API}/surveys/{survey.id}/panel/{expert.id}", headers=headers).status_code == 204
    assert client.get(f"{API}/surveys/{survey.id}/panel", headers=headers).get_json() == []


def test_panel_invitation_returns_a_signup_link_once(client, lead, create_survey, auth_headers):
    survey = create_survey()
    response = client.post(
        f"{API}/surveys/{survey.id}/panel/invitations", json={"email": "Expert@Example.org"}, headers=auth_headers(lead)
    )
    assert response.status_code == 201
    assert response.get_json()["email"] == "expert@example.org" and "/signup/inv_" in response.get_json()["signup_url"]


def test_scheduling_rounds_and_bad_times(client, lead, create_survey, create_panel, auth_headers, assert_error):
    survey = create_survey()
    create_panel(survey, 1)
    headers = auth_headers(lead)
    now = utcnow()
    body = {"opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": now.isoformat()}
    assert_error(client.post(f"{API}/surveys/{survey.id}/rounds", json=body, headers=headers), 422)
    assert_error(client.post(f"{API}/surveys/{survey.id}/rounds", json={"opens_at": "soon"}, headers=headers), 422)
    body = {"opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=8)).isoformat()}
    created = client.post(f"{API}/surveys/{survey.id}/rounds", json=body, headers=headers)
    assert created.status_code == 201 and created.get_json()["state"] == "scheduled"
    assert created.get_json()["item_count"] == 1


# --- answering -------------------------------------------------------------------------------------


def test_panellist_saves_a_draft_and_submits(client, live, auth_headers):
    _survey, round_, panel, (a, b) = live()
    headers = auth_headers(panel[0])
    url = f"{API}/rounds/{round_.id}/my-response"
    draft = client.put(url, json={"ratings": [{"item_id": a, "value": 4, "rationale": "Important"}]}, headers=headers)
    assert draft.status_code == 200 and draft.get_json()["status"] == "draft"
    submitted = client.put(
        url, json={"ratings": [{"item_id": b, "cannot_rate": True}], "submit": True}, headers=headers
    )
    assert submitted.get_json()["status"] == "submitted"
    mine = client.get(url, headers=headers).get_json()
    assert [(r["item_id"], r["value"], r["cannot_rate"], r["rationale"]) for r in mine["ratings"]] == [
        (a, 4, False, "Important"),
        (b, None, True, ""),
    ]


@pytest.mark.parametrize("rating", [{"value": 6}, {"value": 0}, {"value": "five"}, {"item_id": 999999, "value": 3}])
def test_bad_rating_is_422_and_stores_nothing(client, db, live, auth_headers, assert_error, rating):
    _survey, round_, panel, (a, _b) = live()
    body = {"ratings": [{"item_id": a, **rating}]}
    assert_error(client.put(f"{API}/rounds/{round_.id}/my-response", json=body, headers=auth_headers(panel[0])), 422)
    assert _ratings_count(db) == 0


def test_not_on_the_panel_is_403_or_404_and_stores_nothing(
    client, db, live, lead, participant, auth_headers, assert_error
):
    _survey, round_, _panel, (a, _b) = live()
    body = {"ratings": [{"item_id": a, "value": 3}]}
    assert_error(
        client.put(f"{API}/rounds/{round_.id}/my-response", json=body, headers=auth_headers(lead)), 403, "not_on_panel"
    )
    assert_error(client.put(f"{API}/rounds/{round_.id}/my-response", json=body, headers=auth_headers(participant)), 404)
    assert _ratings_count(db) == 0


def test_after_close_409_and_the_draft_survives(client, db, live, lead, auth_headers, assert_error):
    _survey, round_, panel, (a, b) = live()
    headers = auth_headers(panel[0])
    url = f"{API}/rounds/{round_.id}/my-response"
    client.put(url, json={"ratings": [{"item_id": a, "value": 2}]}, headers=headers)
    assert client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead)).status_code == 200
    late = {"ratings": [{"item_id": a, "value": 5}, {"item_id": b, "value": 5}], "submit": True}
    assert_error(client.put(url, json=late, headers=headers), 409, "round_closed")
    mine = client.get(url, headers=headers).get_json()
    assert mine["status"] == "draft" and [(r["item_id"], r["value"]) for r in mine["ratings"]] == [(a, 2)]


# --- anonymity and results -------------------------------------------------------------------------


def test_lead_and_coordinator_get_only_aggregates(
    submit_all, client, db, live, lead, coordinator, auth_headers, assert_error
):
    _survey, round_, panel, items = live()
    submit_all(round_, panel, items, [5, 5, 4, 4, 3, 1])
    client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead))
    for manager in (lead, coordinator):
        headers = auth_headers(manager)
        results = client.get(f"{API}/rounds/{round_.id}/results", headers=headers)
        assert results.status_code == 200
        text = results.get_data(as_text=True)
        for person in panel:
            assert person.display_name not in text and person.email not in text
        assert "says" not in text  # rationales are not part of the lead's results
        overall = results.get_json()["items"][0]["overall"]
        assert overall["distribution"] == {"1": 1, "2": 0, "3": 1, "4": 2, "5": 2}
        assert results.get_json()["items"][0]["by_region"]["EU"]["n_valid"] == 6
        # "my response" is always the caller's own: a manager gets nothing of anyone else's.
        assert client.get(f"{API}/rounds/{round_.id}/my-response", headers=headers).get_json()["ratings"] == []


def test_no_route_exposes_another_panellists_ratings(submit_all, client, app, live, lead, auth_headers):
    _survey, round_, panel, items = live()
    submit_all(round_, panel, items, [5, 4, 3, 2, 1, 5])
    other = client.get(f"{API}/rounds/{round_.id}/my-response", headers=auth_headers(panel[1])).get_json()
    assert [r["value"] for r in other["ratings"]] == [4, 4]
    rules = [r.rule for r in app.url_map.iter_rules() if r.rule.startswith(API)]
    assert not any("panellist" in rule or "responses/<" in rule or "ratings" in rule for rule in rules)


def test_results_refused_before_close_and_to_panellists(client, live, participant, auth_headers, assert_error, lead):
    _survey, round_, panel, _items = live()
    assert_error(client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(lead)), 409, "round_not_closed")
    assert_error(client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(panel[0])), 403)
    assert_error(client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(participant)), 404)
    assert_error(client.get(f"{API}/rounds/{round_.id}/results.csv", headers=auth_headers(panel[0])), 403)
    assert_error(client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(panel[0])), 403)


def test_not_submitted_list_for_the_lead(submit_all, client, live, lead, auth_headers, assert_error):
    _survey, round_, panel, items = live()
    submit_all(round_, panel[:4], items, [5, 5, 5, 5])
    listing = client.get(f"{API}/rounds/{round_.id}/not-submitted", headers=auth_headers(lead)).get_json()
    assert (listing["submitted"], listing["not_submitted"]) == (4, 2)
    assert sorted(p["id"] for p in listing["people"]) == sorted(u.id for u in panel[4:])
    assert "value" not in str(listing)
    assert_error(client.get(f"{API}/rounds/{round_.id}/not-submitted", headers=auth_headers(panel[0])), 403)


def _rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = [line for line in response.get_data(as_text=True).lstrip("\ufeff").splitlines() if not line.startswith("#")]
    return list(csv.reader(lines))


def test_results_csv_blanks_suppressed_groups_and_states_the_frozen_rule(submit_all, client, live, lead, auth_headers):
    _survey, round_, panel, items = live()
    submit_all(round_, panel, items, [5, 5, 4, 4, 3, 1])
    client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead))
    response = client.get(f"{API}/rounds/{round_.id}/results.csv", headers=auth_headers(lead))
    assert "frozen at 20" in response.get_data(as_text=True)
    header, first, _second = _rows(response)
    row = dict(zip(header, first, strict=True))
    assert row["All: median"] == "4" and row["All: % agreement"] == "66.6667"
    assert row["EU: valid ratings"] == "6"
    assert row["China: valid ratings"] == "" and row["Industry: median"] == ""
    assert not any("_" in heading for heading in header), "the header row is for people, not code names"


def test_a_survey_publishing_group_results_has_no_response_matrix(
    submit_all, client, live, lead, auth_headers, assert_error
):
    _survey, round_, panel, items = live()
    submit_all(round_, panel, items, [5, 5, 4, 4, 3, 1])
    client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead))
    body = assert_error(
        client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(lead)), 409, "matrix_not_released"
    )
    assert "not told" in body["message"]


def test_declared_response_matrix_is_pseudonymous_per_round_stable_and_audited(
    app, submit_all, client, db, live, lead, coordinator, auth_headers
):
    survey, round_, panel, items = live(disclosure_mode=DisclosureMode.RESPONSE_MATRIX)
    submit_all(round_, panel, items, [5, 5, 4, 4, 3, 1])
    client.post(f"{API}/rounds/{round_.id}/close", headers=auth_headers(lead))
    first = client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(lead))
    text = first.get_data(as_text=True)
    for person in panel:
        assert person.display_name not in text and person.email not in text
    header, *rows = _rows(first)
    assert header == ["respondent", "language"] + [f"item_{i}" for i in items]
    assert sorted(r[2] for r in rows) == ["1", "3", "4", "4", "5", "5"]
    assert {r[1] for r in rows} == {"en"}  # each row says the language it was answered in
    assert [r[0] for r in rows] == sorted(r[0] for r in rows) and all(r[0].startswith("R1-") for r in rows)
    # The codes are stored with the round's figures: rotating the secret key changes nothing.
    app.config["SECRET_KEY"] = "a-rotated-secret"
    try:
        again = _rows(client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=auth_headers(coordinator)))
    finally:
        app.config["SECRET_KEY"] = "test-secret"
    assert again == [header, *rows]
    # No group figures beside the rows, and every download is in the audit trail.
    results = client.get(f"{API}/rounds/{round_.id}/results", headers=auth_headers(lead)).get_json()
    assert results["items"][0]["by_region"]["EU"]["reason"] == "not_published"
    audit = client.get(f"{API}/surveys/{survey.id}/audit", headers=auth_headers(lead)).get_json()
    downloads = [e for e in audit if e["action"] == "matrix_downloaded"]
    assert [d["actor"] for d in downloads] == [lead.display_name, coordinator.display_name]
    assert downloads[0]["round_id"] == round_.id


# --- next round, feedback, finalise, priorities ------------------------------------------------------


def test_two_rounds_end_to_end_to_priorities(client, db, live, lead, participant, auth_headers, assert_error):
    survey, first, panel, (a, b) = live()
    for user in panel:
        client.put(
            f"{API}/rounds/{first.id}/my-response",
            json={"ratings": [{"item_id": a, "value": 5}, {"item_id": b, "value": 3}], "submit": True},
            headers=auth_headers(user),
        )
    lead_headers = auth_headers(lead)
    client.post(f"{API}/rounds/{first.id}/close", headers=lead_headers)
    now = utcnow()
    second = client.post(
        f"{API}/surveys/{survey.id}/rounds",
        headers=lead_headers,
        json={"opens_at": (now + timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=8)).isoformat()},
    )
    second_id = second.get_json()["id"]
    reworded = client.post(
        f"{API}/rounds/{second_id}/items/{b}/reword",
        headers=lead_headers,
        json={"text": "B, clearer", "reason": "ambiguous"},
    )
    assert reworded.status_code == 200 and reworded.get_json()["change"] == "reworded"
    assert_error(
        client.post(f"{API}/rounds/{second_id}/items/{b}/reword", headers=lead_headers, json={"text": "B"}), 422
    )
    assert_error(
        client.post(f"{API}/rounds/{second_id}/items/{b}/drop", headers=auth_headers(panel[0]), json={"reason": "x"}),
        403,
    )
    client.patch(f"{API}/rounds/{second_id}", headers=lead_headers, json={"opens_at": utcnow().isoformat()})
    feedback = client.get(f"{API}/rounds/{second_id}/feedback", headers=auth_headers(panel[0])).get_json()
    assert [(i["item_id"], i["statistics"]["median"], i["own_rating"]["value"]) for i in feedback["items"]] == [
        (b, 3.0, 3)
    ]
    for user in panel:
        client.put(
            f"{API}/rounds/{second_id}/my-response",
            json={"ratings": [{"item_id": b, "value": 4}], "submit": True},
            headers=auth_headers(user),
        )
    client.post(f"{API}/rounds/{second_id}/close", headers=lead_headers)
    stability = client.get(f"{API}/rounds/{second_id}/stability", headers=lead_headers).get_json()
    assert stability["items"][0]["changed_percent"] == 100.0 and stability["items"][0]["is_stable"] is False
    finalised = client.post(f"{API}/surveys/{survey.id}/finalise", headers=lead_headers)
    assert finalised.status_code == 200 and len(finalised.get_json()["priority_ids"]) == 2
    listing = client.get("/api/v1/priorities", headers=auth_headers(participant)).get_json()
    assert [p["text"] for p in listing["items"]] == ["A", "B, clearer"]
    audit = client.get(f"{API}/surveys/{survey.id}/audit", headers=lead_headers).get_json()
    assert {"item_reworded", "item_settled", "item_carried", "survey_finalised"} <= {e["action"] for e in audit}
    participation = client.get(f"{API}/surveys/{survey.id}/participation", headers=lead_headers).get_json()
    assert [r["overall"]["respondents"] for r in participation["rounds"]] == [6, 6]
    assert participation["rounds"][1]["overall"]["attrition"] == 0.0


def test_survey_list_shows_only_your_surveys(client, create_survey, create_panel, create_user, auth_headers):
    survey = create_survey()
    (member,) = create_panel(survey, 1)
    assert [s["id"] for s in client.get(f"{API}/surveys", headers=auth_headers(member)).get_json()] == [survey.id]
    assert client.get(f"{API}/surveys", headers=auth_headers(create_user())).get_json() == []
    assert (
        client.get(f"{API}/surveys", headers=auth_headers(create_user(Role.COORDINATOR))).get_json()[0]["id"]
        == survey.id
    )
