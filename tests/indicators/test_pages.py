"""Pages: the indicator page and its measurement form, the scorecard and its PDF, the dashboard, the trace."""

import io
from datetime import date, timedelta

import pypdf
import sqlalchemy as sa

from engage.indicators.models import Indicator, Measurement
from engage.priorities.services import create_priority
from engage.timeutil import utcnow

ON_PATH = [("overall", date(2026, 1, 1), 47.5)]


def test_indicator_page_shows_action_priorities_chart_and_status(client, db, action, working_group, create_indicator):
    priority = create_priority(pillar_id=working_group.pillar_id, text="Test before you treat", sub_topic_ids=[])
    action.priorities.append(priority)
    db.session.commit()
    indicator = create_indicator(measurements=ON_PATH)
    page = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    assert action.title in page and "Test before you treat" in page
    assert 'data-status="on_track"' in page
    assert "47.5 % on Jan 1, 2026; the path to 70 % by Jan 1, 2030 needed 47.5 %: on track." in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart"' in page
    assert "the path starts at the midpoint" in page
    assert 'id="measurement-form"' not in page  # visitors read only


def test_coordinator_adds_a_measurement_through_the_form(client, login, coordinator, create_indicator, db):
    indicator = create_indicator(measurements=ON_PATH)
    login(client, coordinator)
    response = client.post(
        f"/indicators/{indicator.id}/measurements", data={"value": "20", "measured_on": "2026-06-30"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="off_track"' in page and "Measurement added." in page


def test_bad_measurement_form_shows_errors_and_stores_nothing(client, login, coordinator, create_indicator, db):
    indicator = create_indicator()
    login(client, coordinator)
    response = client.post(
        f"/indicators/{indicator.id}/measurements", data={"value": "lots", "measured_on": "2026-06-30"}
    )
    assert response.status_code == 422
    assert 'value="lots"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Measurement)) == 0


def test_participants_cannot_add_measurements(client, login, participant, create_indicator, db):
    indicator = create_indicator()
    login(client, participant)
    assert (
        client.post(
            f"/indicators/{indicator.id}/measurements", data={"value": "40", "measured_on": "2026-06-30"}
        ).status_code
        == 403
    )
    assert client.post("/indicators/999/measurements", data={"value": "4"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Measurement)) == 0


def test_scorecard_page_and_pdf_show_indicators_by_action(client, action, create_indicator):
    create_indicator(measurements=ON_PATH)
    create_indicator(name="Guidelines with PM", measurements=[("overall", date(2026, 1, 1), 10.0)])
    page = client.get("/scorecard").get_data(as_text=True)
    assert f"{action.code} {action.title}" in page
    assert page.count('class="sparkline"') == 2
    assert 'data-status="on_track"' in page and 'data-status="off_track"' in page
    response = client.get("/scorecard.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Guidelines with PM" in text and "off track" in text


def test_dashboard_is_for_coordinators(
    app, client, db, login, coordinator, lead, participant, create_workshop, create_indicator
):
    from engage.minutes.models import Minutes, MinutesStatus

    workshop = create_workshop(title="Round 3 workshop")
    create_workshop(title="Past workshop", starts_at=utcnow() - timedelta(days=30))
    db.session.add(Minutes(workshop_id=workshop.id, status=MinutesStatus.CIRCULATED))
    db.session.commit()
    create_indicator(name="Lagging indicator", measurements=[("overall", date(2026, 1, 1), 10.0)])
    create_indicator(name="Healthy indicator", measurements=ON_PATH)
    for user in (participant, lead):
        assert login(app.test_client(), user).get("/dashboard").status_code == 403
    assert client.get("/dashboard").status_code in (302, 401)
    login(client, coordinator)
    page = client.get("/dashboard").get_data(as_text=True)
    for tile in ("tile-workshops", "tile-delphi", "tile-promises", "tile-minutes", "tile-indicators"):
        assert f'id="{tile}"' in page
    assert "Lagging indicator" in page and "Healthy indicator" not in page
    workshops = page.split('id="tile-workshops"')[1].split("</section>")[0]
    assert "Round 3 workshop" in workshops and "Past workshop" not in workshops
    minutes = page.split('id="tile-minutes"')[1].split("</section>")[0]
    assert f'href="/workshops/{workshop.id}/minutes">Round 3 workshop</a>' in minutes


def test_priority_trace_lists_the_indicators_it_feeds(
    client, login, coordinator, db, action, working_group, create_indicator
):
    priority = create_priority(pillar_id=working_group.pillar_id, text="Test before you treat", sub_topic_ids=[])
    action.priorities.append(priority)
    db.session.commit()
    indicator = create_indicator()
    login(client, coordinator)
    page = client.get(f"/priorities/{priority.id}/trace").get_data(as_text=True)
    assert f'class="trace-indicator" href="/indicators/{indicator.id}">DPYD testing</a>' in page


def test_dashboard_tiles_show_response_rates(app, db, login, coordinator, participant, working_group, create_user):
    from engage.consultations.models import Audience, Consultation
    from engage.delphi.models import DelphiPanelMember, DelphiResponse, DelphiRound, DelphiSurvey, ResponseStatus
    from engage.participation.models import Comment

    now = utcnow()
    survey = DelphiSurvey(working_group_id=working_group.id, title="Pillar survey")
    others = [create_user() for _ in range(3)]
    db.session.add(survey)
    db.session.flush()
    db.session.add_all([DelphiPanelMember(survey_id=survey.id, user_id=u.id) for u in [participant, *others]])
    round_ = DelphiRound(survey=survey, number=1, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=6))
    db.session.add(round_)
    db.session.flush()
    db.session.add(DelphiResponse(round_id=round_.id, panellist_id=participant.id, status=ResponseStatus.SUBMITTED))
    db.session.add(DelphiResponse(round_id=round_.id, panellist_id=others[0].id, status=ResponseStatus.DRAFT))
    consultation = Consultation(
        title="Draft roadmap", body="Comment", body_html="<p>Comment</p>", timezone="Europe/Rome",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=3), audience=Audience.EVERYONE,
    )  # fmt: skip
    db.session.add(consultation)
    db.session.flush()
    db.session.add(Comment(consultation_id=consultation.id, author_id=participant.id, body="x", body_html="x"))
    db.session.commit()
    page = login(app.test_client(), coordinator).get("/dashboard").get_data(as_text=True)
    assert "Pillar survey · round 1</a> ·\n    1 of 4 responded (25 %)" in page
    audience = 2 + 3  # coordinator, participant and three more people, all active
    assert f"1 of {audience} commented ({round(100 / audience)} %)" in page


FORM = {
    "name": "DPYD testing", "unit": "percent", "direction": "higher", "baseline_low": "20", "baseline_high": "30",
    "baseline_on": "2023-01-01", "target_value": "70", "target_on": "2030-12-31", "scope": "overall",
    "tolerance": "0.1", "currency_code": "",
}  # fmt: skip


def _indicators(db) -> list[Indicator]:
    return db.session.scalars(sa.select(Indicator)).all()


def test_coordinator_defines_and_edits_an_indicator_through_the_form(client, login, coordinator, action, db):
    login(client, coordinator)
    page = client.get(f"/indicators/new?roadmap_action_id={action.id}").get_data(as_text=True)
    assert f'<option value="{action.id}" selected>' in page
    response = client.post("/indicators/new", data={**FORM, "roadmap_action_id": str(action.id)})
    assert response.status_code == 303, response.get_data(as_text=True)
    (indicator,) = _indicators(db)
    assert (indicator.baseline_mid, indicator.currency_code) == (25, None)
    edited = client.post(f"/indicators/{indicator.id}/edit", data={**FORM, "baseline_high": "", "name": "DPYD tests"})
    assert edited.status_code == 303
    db.session.expire_all()
    assert (indicator.name, indicator.baseline_high) == ("DPYD tests", None)


def test_bad_indicator_form_shows_errors_and_stores_nothing(client, login, coordinator, action, db):
    login(client, coordinator)
    response = client.post(
        "/indicators/new", data={**FORM, "roadmap_action_id": str(action.id), "target_on": "2020-01-01"}
    )
    assert response.status_code == 422
    assert 'id="field-target_on-error"' in response.get_data(as_text=True)
    assert _indicators(db) == []


def test_only_coordinators_open_the_indicator_form(app, login, participant, lead, action, db):
    for user in (participant, lead):
        client = login(app.test_client(), user)
        assert client.get("/indicators/new").status_code == 403
        assert client.post("/indicators/new", data={**FORM, "roadmap_action_id": str(action.id)}).status_code == 403
    assert _indicators(db) == []


def test_csv_upload_on_the_page_is_all_or_nothing(app, client, login, coordinator, participant, create_indicator, db):
    indicator = create_indicator()
    url = f"/indicators/{indicator.id}/measurements/import"
    bad = b"measured_on,value\n2024-06-30,33\n2025-06-30,-4\n"
    assert login(app.test_client(), participant).post(url, data={"file": (io.BytesIO(bad), "m.csv")}).status_code == 403
    login(client, coordinator)
    refused = client.post(url, data={"file": (io.BytesIO(bad), "m.csv")})
    assert refused.status_code == 422 and "Row 3: value" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Measurement)) == 0
    good = b"measured_on,value\n2024-06-30,33\n2025-06-30,44\n"
    response = client.post(url, data={"file": (io.BytesIO(good), "m.csv")})
    assert response.status_code == 303
    assert "2 measurements imported." in client.get(response.headers["Location"]).get_data(as_text=True)
