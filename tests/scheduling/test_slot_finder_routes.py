"""Slot finder API and page: happy path, clear 422s, wrong role."""

import pytest

from engage.auth.models import Role
from engage.participation.models import Registration, RegistrationStatus

MARCH = {"starts_on": "2027-03-26", "ends_on": "2027-03-29", "duration_minutes": "60", "timezone": "UTC"}


@pytest.fixture
def rome_and_shanghai(create_user):
    return (create_user(timezone="Europe/Rome", region="IT"), create_user(timezone="Asia/Shanghai", region="CN-SH"))


def _get(client, auth_headers, user, **params):
    return client.get("/api/v1/scheduling/slots", query_string=params, headers=auth_headers(user))


def test_slots_for_a_list_of_people_in_every_zone(client, auth_headers, lead, rome_and_shanghai):
    ids = ",".join(str(u.id) for u in rome_and_shanghai)
    response = _get(client, auth_headers, lead, user_ids=ids, **MARCH)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    best = body["slots"][0]
    assert (best["starts_at"], best["available"], best["total"]) == ("2027-03-26T08:00:00+00:00", 2, 2)
    locals_ = {lt["timezone"]: lt for lt in best["local_times"]}
    assert locals_["Europe/Rome"]["starts_at"] == "2027-03-26T09:00:00+01:00"
    assert locals_["Asia/Shanghai"]["starts_at"] == "2027-03-26T16:00:00+08:00"
    assert body["range_start"] == "2027-03-26T00:00:00+00:00" and body["range_end"] == "2027-03-30T00:00:00+00:00"


def test_slots_for_a_working_group_take_its_leads_and_registered_people(
    db, client, auth_headers, lead, working_group, create_workshop, create_user, rome_and_shanghai
):
    workshop = create_workshop(working_group)
    rome, shanghai = rome_and_shanghai
    gone = create_user(timezone="America/New_York")
    for user, status in ((shanghai, RegistrationStatus.WAITLISTED), (gone, RegistrationStatus.CANCELLED)):
        db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status=status))
    db.session.commit()
    body = _get(client, auth_headers, lead, working_group_id=working_group.id, **MARCH).get_json()
    assert sorted(p["id"] for p in body["participants"]) == sorted([lead.id, shanghai.id])
    assert rome.id not in [p["id"] for p in body["participants"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({**MARCH, "ends_on": "2027-03-25"}, "ends_on"),
        ({**MARCH, "ends_on": "2027-04-26"}, "ends_on"),
        ({**MARCH, "duration_minutes": "0"}, "duration_minutes"),
        ({**MARCH, "duration_minutes": "481"}, "duration_minutes"),
        ({**MARCH, "timezone": "Mars/Olympus"}, "timezone"),
        ({**MARCH, "starts_on": "26/03/2027"}, "starts_on"),
        ({**MARCH, "user_ids": "1,two"}, "user_ids"),
    ],
)
def test_bad_input_is_a_clear_422(client, auth_headers, assert_error, lead, rome_and_shanghai, params, field):
    params.setdefault("user_ids", ",".join(str(u.id) for u in rome_and_shanghai))
    body = assert_error(_get(client, auth_headers, lead, **params), 422)
    assert field in body["errors"]


def test_unknown_user_ids_are_named(client, auth_headers, assert_error, lead, rome_and_shanghai):
    ids = f"{rome_and_shanghai[0].id},99998,99999"
    body = assert_error(_get(client, auth_headers, lead, user_ids=ids, **MARCH), 422)
    assert body["errors"]["user_ids"] == ["Unknown user ids: 99998, 99999."]


def test_nobody_or_both_sources_is_422(client, auth_headers, assert_error, coordinator, create_working_group, lead):
    empty_group = create_working_group()
    assert_error(_get(client, auth_headers, coordinator, working_group_id=empty_group.id, **MARCH), 422)
    assert_error(_get(client, auth_headers, coordinator, user_ids="", **MARCH), 422)
    assert_error(_get(client, auth_headers, coordinator, **MARCH), 422)
    assert_error(
        _get(client, auth_headers, coordinator, working_group_id=empty_group.id, user_ids=str(lead.id), **MARCH), 422
    )


def test_participants_and_other_leads_are_refused(
    client, auth_headers, assert_error, participant, create_user, create_working_group, working_group, lead
):
    assert_error(_get(client, auth_headers, participant, user_ids=str(lead.id), **MARCH), 403)
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(_get(client, auth_headers, other_lead, working_group_id=working_group.id, **MARCH), 403)
    assert_error(_get(client, auth_headers, other_lead, working_group_id=99999, **MARCH), 404)
    assert_error(client.get("/api/v1/scheduling/slots", query_string=MARCH), 401)


def test_slot_finder_page(app, login, lead, participant, rome_and_shanghai):
    browser = login(app.test_client(), lead)
    assert browser.get("/scheduling/slots").status_code == 200
    ids = ",".join(str(u.id) for u in rome_and_shanghai)
    html = browser.get("/scheduling/slots", query_string={**MARCH, "user_ids": ids}).get_data(as_text=True)
    assert "Fri, Mar 26, 2027, 08:00–09:00" in html and "Fri, Mar 26, 2027, 09:00–10:00 (UTC+0100)" in html
    assert "Mon, Mar 29, 2027, 15:00–16:00 (UTC+0800)" in html
    bad = browser.get("/scheduling/slots", query_string={**MARCH, "user_ids": ids, "ends_on": "2027-03-01"})
    assert bad.status_code == 422 and "The end date must not be before the start date." in bad.get_data(as_text=True)
    assert login(app.test_client(), participant).get("/scheduling/slots").status_code == 403
