"""The indicators API: coordinators write, everyone reads; bad input is a 422 that stores nothing."""

from datetime import date

import pytest
import sqlalchemy as sa

from engage.indicators.models import Indicator, Measurement, Unit
from engage.timeutil import utcnow


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _payload(action, **kw) -> dict:
    return {
        "roadmap_action_id": action.id, "name": "DPYD testing before fluoropyrimidine treatment", "unit": "percent",
        "direction": "higher", "baseline_low": 20, "baseline_high": 30, "baseline_on": "2023-01-01",
        "target_value": 70, "target_on": "2030-12-31", "scope": "overall", "data_source": "registries", **kw,
    }  # fmt: skip


def test_coordinator_creates_reads_updates_and_deletes_an_indicator(client, coordinator_h, action, db):
    created = client.post("/api/v1/indicators", json=_payload(action), headers=coordinator_h)
    body = created.get_json()
    assert created.status_code == 201, body
    assert (body["baseline_low"], body["baseline_high"], body["baseline_mid"]) == (20, 30, 25)
    assert body["roadmap_action_code"] == action.code
    url = f"/api/v1/indicators/{body['id']}"
    assert client.get(url).get_json()["name"].startswith("DPYD")
    assert [i["id"] for i in client.get(f"/api/v1/indicators?roadmap_action_id={action.id}").get_json()] == [body["id"]]
    patched = client.patch(url, json={"tolerance": 0.2, "owner": "WG 2"}, headers=coordinator_h)
    assert patched.status_code == 200 and patched.get_json()["tolerance"] == 0.2
    assert client.delete(url, headers=coordinator_h).status_code == 204
    assert _count(db, Indicator) == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"unit": "furlongs"}, "unit"),
        ({"target_on": "2020-01-01"}, "target_on"),
        ({"baseline_high": 10}, "baseline_high"),
        ({"target_value": 10}, "target_value"),
        ({"scope": "Atlantis"}, "scope"),
        ({"unit": "currency"}, "currency_code"),
        ({"currency_code": "euro", "unit": "currency"}, "currency_code"),
        ({"roadmap_action_id": 999999}, "roadmap_action_id"),
        ({"name": "x" * 201}, "name"),
        ({"baseline_low": "NaN"}, "baseline_low"),
        ({"tolerance": 2}, "tolerance"),
    ],
)
def test_bad_indicator_input_is_422_and_stores_nothing(client, coordinator_h, action, assert_error, db, change, field):
    body = assert_error(client.post("/api/v1/indicators", json=_payload(action, **change), headers=coordinator_h), 422)
    assert field in body["errors"]
    assert _count(db, Indicator) == 0


def test_bad_update_changes_nothing(client, coordinator_h, create_indicator, assert_error, db):
    indicator = create_indicator()
    url = f"/api/v1/indicators/{indicator.id}"
    assert_error(client.patch(url, json={"target_on": "2021-01-01"}, headers=coordinator_h), 422)
    db.session.expire_all()
    assert client.get(url).get_json()["target_on"] == "2030-01-01"


def test_only_coordinators_write_everyone_reads(
    client, participant_h, lead_h, action, create_indicator, assert_error, db
):
    indicator = create_indicator()
    base = f"/api/v1/indicators/{indicator.id}"
    for headers in (participant_h, lead_h):
        assert_error(client.post("/api/v1/indicators", json=_payload(action), headers=headers), 403)
        assert_error(client.patch(base, json={"name": "x"}, headers=headers), 403)
        assert_error(client.delete(base, headers=headers), 403)
        assert_error(
            client.post(f"{base}/measurements", json={"value": 40, "measured_on": "2025-01-01"}, headers=headers), 403
        )
        assert_error(
            client.post(f"{base}/measurements/import", data=b"measured_on,value\n2025-01-01,40\n", headers=headers), 403
        )
        assert client.get(base, headers=headers).status_code == 200
        assert client.get(f"{base}/status", headers=headers).status_code == 200
        assert client.get(f"{base}/measurements", headers=headers).status_code == 200
    assert_error(client.post("/api/v1/indicators", json=_payload(action)), 401)
    assert _count(db, Indicator) == 1 and _count(db, Measurement) == 0


def test_measurements_and_status_per_scope(client, coordinator_h, create_indicator, db):
    indicator = create_indicator()
    url = f"/api/v1/indicators/{indicator.id}"
    assert client.get(f"{url}/status").get_json()["status"] == "no_data"
    for scope, value in (("EU", 50), ("China", 30)):
        response = client.post(
            f"{url}/measurements",
            json={"value": value, "measured_on": "2026-01-01", "scope": scope},
            headers=coordinator_h,
        )
        assert response.status_code == 201, response.get_json()
    status = client.get(f"{url}/status").get_json()
    assert status["status"] == "off_track"
    assert (
        status["explanation"] == "China: 30 % on Jan 1, 2026; the path to 70 % by Jan 1, 2030 needed 47.5 %: off track."
    )
    assert {s["scope"]: s["status"] for s in status["scopes"]} == {"EU": "on_track", "China": "off_track"}
    listed = client.get(f"{url}/measurements").get_json()
    assert [(m["scope"], m["value"]) for m in listed] == [("EU", 50), ("China", 30)]
    first = listed[0]["id"]
    assert client.delete(f"{url}/measurements/{first}", headers=coordinator_h).status_code == 204
    assert client.delete(f"{url}/measurements/{first}", headers=coordinator_h).status_code == 404


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"value": 40}, "measured_on"),
        ({"value": "many", "measured_on": "2025-01-01"}, "value"),
        ({"value": 140, "measured_on": "2025-01-01"}, "value"),
        ({"value": 40, "measured_on": "2025-02-30"}, "measured_on"),
        ({"value": 40, "measured_on": "2025-01-01", "scope": "CN-BJ"}, "scope"),
        ({"value": 40, "measured_on": "2025-01-01", "note": "x" * 2001}, "note"),
    ],
)
def test_bad_measurement_is_422_and_stores_nothing(
    client, coordinator_h, create_indicator, assert_error, db, payload, field
):
    indicator = create_indicator(scope="EU")
    body = assert_error(
        client.post(f"/api/v1/indicators/{indicator.id}/measurements", json=payload, headers=coordinator_h), 422
    )
    assert field in body["errors"]
    assert _count(db, Measurement) == 0


def test_a_second_measurement_for_the_same_scope_and_date_is_refused(
    client, coordinator_h, create_indicator, assert_error, db
):
    indicator = create_indicator(measurements=[("overall", date(2025, 1, 1), 30.0)])
    body = assert_error(
        client.post(
            f"/api/v1/indicators/{indicator.id}/measurements",
            json={"value": 31, "measured_on": "2025-01-01"},
            headers=coordinator_h,
        ),
        422,
    )
    assert "measured_on" in body["errors"] and _count(db, Measurement) == 1


def test_csv_import_stores_all_rows(client, coordinator_h, create_indicator, db):
    indicator = create_indicator()
    csv_text = (
        "measured_on,value,scope,source,note\n"
        "2024-06-30,33,EU,registry,\n2025-06-30,41,EU,registry,rising\n2025-06-30,27,China,,\n"
    )
    response = client.post(
        f"/api/v1/indicators/{indicator.id}/measurements/import",
        data=csv_text.encode(),
        headers={**coordinator_h, "Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"imported": 3}
    assert _count(db, Measurement) == 3


@pytest.mark.parametrize(
    "csv_text, reason",
    [
        ("measured_on,value\n2024-06-30,33\n2025-06-31,41\n", "Row 3: measured_on"),
        ("measured_on,value,scope\n2024-06-30,33,EU\n2025-06-30,41,Mars\n", "Row 3: scope"),
        ("measured_on,value\n2024-06-30,33\n2024-06-30,34\n", "Row 3: measured_on"),
        ("measured_on,value\n2024-06-30,33\n2025-06-30,abc\n", "Row 3: value"),
        ("measured_on,value\n2024-06-30,33,extra\n", "Row 2: too many columns"),
        ("date,amount\n2024-06-30,33\n", "The first row must name the columns"),
        ("measured_on,value\n", "no measurements"),
    ],
)
def test_csv_with_a_bad_row_is_rejected_whole(
    client, coordinator_h, create_indicator, assert_error, db, csv_text, reason
):
    indicator = create_indicator()
    body = assert_error(
        client.post(
            f"/api/v1/indicators/{indicator.id}/measurements/import", data=csv_text.encode(), headers=coordinator_h
        ),
        422,
    )
    assert reason in body["errors"]["file"][0]
    assert _count(db, Measurement) == 0


def test_csv_import_as_upload_and_not_utf8(client, coordinator_h, create_indicator, assert_error, db):
    import io

    indicator = create_indicator()
    url = f"/api/v1/indicators/{indicator.id}/measurements/import"
    ok = client.post(
        url, data={"file": (io.BytesIO(b"measured_on,value\n2024-06-30,33\n"), "m.csv")}, headers=coordinator_h
    )
    assert ok.status_code == 201
    assert_error(client.post(url, data=b"\xff\xfe\x00bad", headers=coordinator_h), 422)
    assert _count(db, Measurement) == 1


def test_unknown_indicator_is_404(client, coordinator_h, assert_error):
    assert_error(client.get("/api/v1/indicators/999"), 404)
    assert_error(
        client.post(
            "/api/v1/indicators/999/measurements", json={"value": 1, "measured_on": "2025-01-01"}, headers=coordinator_h
        ),
        404,
    )


def test_a_concurrent_duplicate_is_refused_by_the_database(coordinator, create_indicator, db):
    """The unique key decides when the read-then-check raced (another request stored the same day first)."""
    from engage.errors import ValidationError
    from engage.indicators import services

    indicator = create_indicator(measurements=[("overall", date(2025, 1, 1), 30.0)])
    duplicate = services._measurement(indicator, coordinator, {"value": 31, "measured_on": date(2025, 1, 1)}, utcnow())
    with pytest.raises(ValidationError) as refused:
        services._insert([duplicate])
    assert "measured_on" in refused.value.errors
    db.session.rollback()
    assert _count(db, Measurement) == 1


def test_changing_the_unit_must_fit_the_recorded_measurements(
    client, db, create_indicator, coordinator_h, assert_error
):
    indicator = create_indicator(measurements=[("overall", date(2024, 1, 1), 25.0)])
    url = f"/api/v1/indicators/{indicator.id}"
    body = assert_error(client.patch(url, json={"unit": "yes_no"}, headers=coordinator_h), 422)
    assert "unit" in body["errors"]
    db.session.expire_all()
    assert db.session.get(Indicator, indicator.id).unit is Unit.PERCENT


def test_dates_outside_1900_2200_are_refused(client, create_indicator, coordinator_h, assert_error):
    indicator = create_indicator()
    url = f"/api/v1/indicators/{indicator.id}"
    assert (
        "target_on"
        in assert_error(client.patch(url, json={"target_on": "9999-12-31"}, headers=coordinator_h), 422)["errors"]
    )
    assert (
        "baseline_on"
        in assert_error(client.patch(url, json={"baseline_on": "0001-01-01"}, headers=coordinator_h), 422)["errors"]
    )
