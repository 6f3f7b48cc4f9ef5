"""IAP2 API: every route's happy path, bad input and wrong role."""

from datetime import UTC, datetime, timedelta

import pytest

from engage.auth.models import Role

DESIGN = {"input_sought": True, "iterative_throughout": False, "shape_alternatives": False, "decision_delegated": False}


@pytest.fixture
def api(client, auth_headers):
    def call(method, url, user=None, **kw):
        headers = auth_headers(user) if user is not None else {}
        return client.open(url, method=method, headers=headers, **kw)

    return call


def _design_url(workshop_id, kind="workshop"):
    return f"/api/v1/iap2/activities/{kind}/{workshop_id}/design"


def test_levels_are_public_with_goal_promise_and_attribution(api):
    body = api("GET", "/api/v1/iap2/levels").get_json()
    assert [level["value"] for level in body["levels"]] == ["inform", "consult", "involve", "collaborate", "empower"]
    assert all(level["goal"] and level["promise"] for level in body["levels"])
    assert "IAP2 International Federation" in body["attribution"]


def test_lead_sets_a_design_and_sees_the_flag(api, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    response = api("PUT", _design_url(workshop.id), lead, json={**DESIGN, "declared_level": "collaborate"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["derived_level"] == "consult" and body["declared_level"] == "collaborate"
    assert body["is_declared_above_derived"] is True
    assert body["flag"] == "declared Collaborate, design supports Consult"
    assert body["rationale"].startswith("Consult: participants' input is sought")
    assert body["promise_status"] == "pending"
    assert api("GET", _design_url(workshop.id)).get_json()["derived_level"] == "consult"


@pytest.mark.parametrize(
    "payload",
    [
        {"input_sought": True},
        {**DESIGN, "declared_level": "shout"},
        {**DESIGN, "input_sought": "perhaps"},
    ],
)
def test_bad_design_input_is_422(api, assert_error, lead, working_group, create_workshop, payload):
    workshop = create_workshop(working_group)
    assert_error(api("PUT", _design_url(workshop.id), lead, json=payload), 422, "validation_error")


def test_design_of_unknown_activity_is_404(api, assert_error, lead):
    assert_error(api("PUT", _design_url(999), lead, json=DESIGN), 404)
    assert_error(api("PUT", _design_url(1, kind="party"), lead, json=DESIGN), 404)
    assert_error(api("GET", _design_url(1, kind="delphi_round")), 404)


def test_activity_without_profile_is_404(api, assert_error, create_workshop):
    assert_error(api("GET", _design_url(create_workshop().id)), 404)


def test_participant_and_other_lead_cannot_set_a_design(
    api, assert_error, participant, create_user, create_working_group, working_group, create_workshop
):
    workshop = create_workshop(working_group)
    assert_error(api("PUT", _design_url(workshop.id), participant, json=DESIGN), 403, "forbidden")
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(api("PUT", _design_url(workshop.id), other_lead, json=DESIGN), 403, "forbidden")
    assert_error(api("PUT", _design_url(workshop.id), json=DESIGN), 401)


def test_feedback_note_is_published_and_sanitised(api, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    api("PUT", _design_url(workshop.id), lead, json=DESIGN)
    url = f"/api/v1/iap2/activities/workshop/{workshop.id}/feedback"
    response = api("PUT", url, lead, json={"body": "We heard *you*. <img src=x onerror=alert(1)>"})
    assert response.status_code == 200, response.get_data(as_text=True)
    note = response.get_json()["feedback_note"]
    assert "<em>you</em>" in note["body_html"] and "<img" not in note["body_html"]
    assert response.get_json()["promise_status"] == "kept"


def test_feedback_bad_input_wrong_role_and_no_promise(
    api, assert_error, lead, participant, working_group, create_workshop
):
    workshop = create_workshop(working_group)
    url = f"/api/v1/iap2/activities/workshop/{workshop.id}/feedback"
    assert_error(api("PUT", url, lead, json={"body": "x"}), 404)  # no design yet
    api("PUT", _design_url(workshop.id), lead, json={**DESIGN, "input_sought": False})
    assert_error(api("PUT", url, lead, json={"body": "x"}), 409, "no_promise")
    api("PUT", _design_url(workshop.id), lead, json=DESIGN)
    assert_error(api("PUT", url, lead, json={"body": ""}), 422)
    assert_error(api("PUT", url, lead, json={"body": "x" * 20001}), 422)
    assert_error(api("PUT", url, participant, json={"body": "x"}), 403)


def test_overdue_promises_for_lead_and_not_for_participants(
    api, assert_error, lead, participant, working_group, create_workshop
):
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)
    workshop = create_workshop(working_group, starts_at=ended - timedelta(hours=2), ends_at=ended)
    api("PUT", _design_url(workshop.id), lead, json=DESIGN)
    body = api("GET", "/api/v1/iap2/promises/overdue", lead).get_json()
    assert [p["activity_id"] for p in body] == [workshop.id]
    assert body[0]["level"] == "consult"
    assert_error(api("GET", "/api/v1/iap2/promises/overdue", participant), 403)


def test_involvement_report_json_for_coordinator_only(
    api, assert_error, coordinator, participant, lead, working_group, create_workshop, register_as
):
    workshop = create_workshop(working_group)
    api("PUT", _design_url(workshop.id), lead, json=DESIGN)
    register_as(workshop, participant)
    body = api("GET", "/api/v1/iap2/reports/involvement", coordinator).get_json()
    assert body["people"] == 1
    academia = next(r for r in body["by_category"] if r["key"] == "academia_research")
    assert academia["counts"]["consult"] == 1
    assert_error(api("GET", "/api/v1/iap2/reports/involvement", participant), 403)


def test_own_involvement_and_coordinators_view_of_others(
    api, assert_error, coordinator, participant, lead, working_group, create_workshop, register_as
):
    workshop = create_workshop(working_group)
    api("PUT", _design_url(workshop.id), lead, json={**DESIGN, "iterative_throughout": True})
    register_as(workshop, participant)
    mine = api("GET", "/api/v1/iap2/involvement/me", participant).get_json()
    assert mine["highest_level"] == "involve" and mine["activities_per_level"]["involve"] == 1
    assert api("GET", f"/api/v1/iap2/involvement/users/{participant.id}", coordinator).get_json() == mine
    assert_error(api("GET", f"/api/v1/iap2/involvement/users/{participant.id}", lead), 403)
    assert_error(api("GET", "/api/v1/iap2/involvement/users/99999", coordinator), 404)


def test_briefings_are_created_at_inform_by_their_groups_lead(
    api, assert_error, lead, participant, create_user, create_working_group, working_group
):
    payload = {
        "working_group_id": working_group.id,
        "title": "Newsletter #1",
        "channel": "newsletter",
        "held_at": "2027-03-28T10:00",
        "timezone": "Europe/Rome",
    }
    response = api("POST", "/api/v1/iap2/briefings", lead, json=payload)
    assert response.status_code == 201, response.get_data(as_text=True)
    briefing = response.get_json()
    assert briefing["held_at"] == "2027-03-28T08:00:00+00:00"  # CEST began at 02:00 that morning
    assert api("GET", _design_url(briefing["id"], "briefing")).get_json()["derived_level"] == "inform"
    assert api("GET", "/api/v1/iap2/briefings").get_json()["meta"]["total"] == 1
    assert_error(api("GET", "/api/v1/iap2/briefings?per_page=1000"), 422)
    assert_error(api("POST", "/api/v1/iap2/briefings", lead, json={**payload, "timezone": "Mars/Olympus"}), 422)
    assert_error(api("POST", "/api/v1/iap2/briefings", lead, json={**payload, "title": ""}), 422)
    assert_error(api("POST", "/api/v1/iap2/briefings", lead, json={**payload, "held_at": "soon"}), 422)
    assert_error(api("POST", "/api/v1/iap2/briefings", participant, json=payload), 403)
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(api("POST", "/api/v1/iap2/briefings", other_lead, json=payload), 403)
