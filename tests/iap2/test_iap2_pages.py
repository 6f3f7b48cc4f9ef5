"""IAP2 pages: design and feedback forms, overdue promises, the report with CSV and SVG, briefings."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from engage.auth.models import Role
from engage.auth.models import StakeholderCategory as Cat
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.services import design_of
from engage.participation.models import RegistrationStatus

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def signed_in(app, login):
    def make(user):
        return login(app.test_client(), user)

    return make


def _page(workshop_id):
    return f"/iap2/activities/workshop/{workshop_id}"


def test_workshop_page_links_managers_to_the_iap2_page(
    client, signed_in, lead, participant, working_group, create_workshop
):
    workshop = create_workshop(working_group)
    assert _page(workshop.id) in signed_in(lead).get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert _page(workshop.id) not in signed_in(participant).get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_lead_saves_a_design_through_the_page_and_sees_the_flag(signed_in, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    browser = signed_in(lead)
    response = browser.post(
        f"{_page(workshop.id)}/design",
        data={"input_sought": "1", "iterative_throughout": "1", "declared_level": "empower"},
    )
    assert response.status_code == 302
    assert design_of(ActivityKind.WORKSHOP, workshop.id).derived_level is IAP2Level.INVOLVE
    html = browser.get(_page(workshop.id)).get_data(as_text=True)
    assert "declared Empower, design supports Involve" in html
    assert "IAP2 International Federation" in html


def test_design_page_bad_input_is_422_and_keeps_the_answers(signed_in, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    response = signed_in(lead).post(
        f"{_page(workshop.id)}/design", data={"input_sought": "1", "declared_level": "everything"}
    )
    assert response.status_code == 422
    assert design_of(ActivityKind.WORKSHOP, workshop.id) is None
    assert 'name="input_sought" value="1" checked' in response.get_data(as_text=True)


def test_design_page_refuses_participants_and_other_leads(
    signed_in, participant, create_user, create_working_group, working_group, create_workshop
):
    workshop = create_workshop(working_group)
    assert signed_in(participant).post(f"{_page(workshop.id)}/design", data={"input_sought": "1"}).status_code == 403
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert signed_in(other_lead).post(f"{_page(workshop.id)}/design", data={"input_sought": "1"}).status_code == 403
    assert signed_in(participant).get(_page(workshop.id)).status_code == 200  # reading is open
    assert signed_in(participant).get("/iap2/activities/party/1").status_code == 404


def test_feedback_page_publishes_and_rejects_empty(
    signed_in, lead, participant, working_group, create_workshop, set_design
):
    workshop = create_workshop(working_group)
    set_design(workshop, 2, actor=lead)
    browser = signed_in(lead)
    assert browser.post(f"{_page(workshop.id)}/feedback", data={"body": ""}).status_code == 422
    assert browser.post(f"{_page(workshop.id)}/feedback", data={"body": "We heard **you**"}).status_code == 302
    assert "<strong>you</strong>" in browser.get(_page(workshop.id)).get_data(as_text=True)
    assert signed_in(participant).post(f"{_page(workshop.id)}/feedback", data={"body": "x"}).status_code == 403


def test_overdue_promises_page(signed_in, lead, participant, working_group, create_workshop, set_design):
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=45)
    workshop = create_workshop(
        working_group, title="Round 1 in Rome", starts_at=ended - timedelta(hours=1), ends_at=ended
    )
    set_design(workshop, 2, actor=lead)
    assert "Round 1 in Rome" in signed_in(lead).get("/iap2/promises").get_data(as_text=True)
    assert signed_in(participant).get("/iap2/promises").status_code == 403


@pytest.fixture
def attended(coordinator, create_user, create_workshop, set_design, register_as):
    consult, empower = create_workshop(), create_workshop()
    set_design(consult, 2, actor=coordinator)
    set_design(empower, 5, actor=coordinator)
    for _ in range(3):
        register_as(consult, create_user(category=Cat.PATIENT_CITIZEN_ORGANISATION, region="CN-SH"))
    for _ in range(2):
        register_as(empower, create_user(category=Cat.PAYER, region="DE"))
    register_as(empower, create_user(category=Cat.PAYER, region="DE"), RegistrationStatus.CONFIRMED)


def test_report_page_csv_and_svg(signed_in, coordinator, attended):
    browser = signed_in(coordinator)
    html = browser.get("/iap2/reports/involvement").get_data(as_text=True)
    assert "5 people in total." in html and "involvement.svg" in html

    response = browser.get("/iap2/reports/involvement.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Stakeholder category", "Patient / citizen organisation", "0", "3", "0", "0", "0", "3"] in rows
    assert ["Region group", "China", "0", "3", "0", "0", "0", "3"] in rows
    assert ["Region group", "EU", "0", "0", "0", "0", "2", "2"] in rows

    response = browser.get("/iap2/reports/involvement.svg")
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{SVG}svg"
    cells = {(g.get("data-category"), g.get("data-level")): g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g")}
    assert len(cells) == len(Cat) * 5
    assert cells[("patient_citizen_organisation", "consult")] == "3"
    assert cells[("payer", "empower")] == "2"
    assert cells[("payer", "inform")] == "0"


def test_reports_are_not_for_participants(signed_in, participant):
    browser = signed_in(participant)
    for url in ("/iap2/reports/involvement", "/iap2/reports/involvement.csv", "/iap2/reports/involvement.svg"):
        assert browser.get(url).status_code == 403


def test_briefings_page(signed_in, lead, participant, working_group):
    browser = signed_in(lead)
    form = {
        "title": "Webinar on DPYD testing",
        "working_group_id": working_group.id,
        "channel": "webinar",
        "held_at": "2027-10-31T10:00",
        "timezone": "Europe/Rome",
    }
    response = browser.post("/iap2/briefings", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Webinar on DPYD testing" in browser.get("/iap2/briefings").get_data(as_text=True)
    assert browser.post("/iap2/briefings", data={**form, "held_at": "tomorrow"}).status_code == 422
    assert signed_in(participant).post("/iap2/briefings", data=form).status_code == 403
