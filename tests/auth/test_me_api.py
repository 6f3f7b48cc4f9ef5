"""GET/PATCH /api/v1/me: your own profile; invalid values are refused field by field and change nothing."""

import pytest

from engage.auth.models import StakeholderCategory


def test_me_anonymous_is_401_with_error_contract(client, assert_error):
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_patch_me_anonymous_is_401(client, assert_error):
    assert_error(client.patch("/api/v1/me", json={"organisation": "X"}), 401)


def test_me_shows_own_profile_with_region_group(client, lead, working_group, auth_headers):
    body = client.get("/api/v1/me", headers=auth_headers(lead)).get_json()

    assert body["email"] == lead.email
    assert body["role"] == "lead"
    assert body["region"] == "IT" and body["region_group"] == "EU"
    assert body["led_working_groups"] == [{"id": working_group.id, "name": working_group.name}]
    assert "password_hash" not in body and "password" not in body


def test_patch_me_updates_profile(client, participant, auth_headers, db):
    changes = {
        "display_name": "  Wang Fang ",
        "organisation": "Peking University",
        "region": "CN-BJ",
        "category": "healthcare_professional",
        "timezone": "Asia/Shanghai",
        "locale": "zh",
    }

    response = client.patch("/api/v1/me", json=changes, headers=auth_headers(participant))

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["region_group"] == "China"
    db.session.expire_all()
    assert participant.display_name == "Wang Fang"
    assert participant.organisation == "Peking University"
    assert participant.region == "CN-BJ"
    assert participant.category is StakeholderCategory.HEALTHCARE_PROFESSIONAL
    assert participant.timezone == "Asia/Shanghai"
    assert participant.locale == "zh"


def test_patch_me_with_only_some_fields_keeps_the_others(client, participant, auth_headers, db):
    response = client.patch("/api/v1/me", json={"organisation": "New Org"}, headers=auth_headers(participant))

    assert response.status_code == 200
    db.session.expire_all()
    assert participant.organisation == "New Org"
    assert participant.region == "IT" and participant.timezone == "Europe/Rome"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("region", "XX"),
        ("region", "cn-bj"),
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", "../../etc/passwd"),
        ("locale", "fr"),
        ("category", "astronaut"),
        ("category", 7),
        ("display_name", ""),
        ("display_name", "   "),
        ("display_name", "x" * 121),
        ("organisation", "x" * 201),
    ],
)
def test_patch_me_with_invalid_value_is_422_for_that_field_and_changes_nothing(
    client, participant, auth_headers, assert_error, db, field, value
):
    before = {
        k: getattr(participant, k) for k in ("display_name", "organisation", "region", "category", "timezone", "locale")
    }
    # A valid change alongside the invalid one must not be applied either.
    payload = {"organisation": "Should not be saved", field: value} if field != "organisation" else {field: value}

    body = assert_error(client.patch("/api/v1/me", json=payload, headers=auth_headers(participant)), 422)

    assert list(body["errors"]) == [field]
    db.session.expire_all()
    assert {k: getattr(participant, k) for k in before} == before


def test_patch_me_with_several_invalid_values_reports_each_field(client, participant, auth_headers, assert_error):
    payload = {"region": "XX", "timezone": "Nowhere/Land", "locale": "fr"}

    body = assert_error(client.patch("/api/v1/me", json=payload, headers=auth_headers(participant)), 422)

    assert set(body["errors"]) == {"region", "timezone", "locale"}


def test_patch_me_with_unknown_field_is_422_and_cannot_change_role(client, participant, auth_headers, assert_error, db):
    body = assert_error(
        client.patch("/api/v1/me", json={"role": "coordinator"}, headers=auth_headers(participant)), 422
    )

    assert "role" in body["errors"]
    db.session.expire_all()
    assert participant.role.value == "participant"
