"""Erasing an account: identity gone from every table, what the results are made of unchanged."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from engage.audit.models import AuditAction, AuditEvent
from engage.auth.models import Role, StakeholderCategory, User
from engage.auth.services import issue_api_token, rotate_calendar_token
from engage.delphi import services as delphi
from engage.delphi.models import ItemOrigin
from engage.delphi.services.report import methods_report
from engage.delphi.services.snapshot import round_results
from engage.minutes import services as minutes_services
from engage.participation import services as participation
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.privacy.erasure import erase_account
from engage.workshops.models import AgendaItem
from tests.conftest import PASSWORD

T0 = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
NAME, EMAIL, ORGANISATION = "Zhou Xiaoming", "zhou.xiaoming@example.org", "Beijing Patients' Alliance"


@pytest.fixture
def person(create_user):
    return create_user(
        display_name=NAME,
        email=EMAIL,
        organisation=ORGANISATION,
        region="CN-BJ",
        category=StakeholderCategory.PATIENT_CITIZEN_ORGANISATION,
        consent_named=True,
    )


@pytest.fixture
def closed_round(db, lead, working_group, create_user, person):
    """A closed Delphi round rated by 7 panellists, the person among them (ratings differ per person)."""
    survey = delphi.create_survey(working_group, actor=lead, data={"title": "Pillar I Delphi"}, now=T0)
    for text in ("Promote digital health literacy", "Fund PM trials"):
        delphi.add_item(survey, actor=lead, data={"text": text, "origin": ItemOrigin.LITERATURE}, now=T0)
    panel = [person] + [create_user(region="CN-BJ" if i % 2 else "IT") for i in range(6)]
    delphi.add_panellists(survey, actor=lead, user_ids=[u.id for u in panel], now=T0)
    round_ = delphi.schedule_round(survey, actor=lead, opens_at=T0, closes_at=T0 + timedelta(days=7), now=T0)
    db.session.commit()
    for n, user in enumerate(panel):
        ratings = [
            {"item_id": ri.item_id, "value": 1 + (n + k) % 5, "cannot_rate": False, "rationale": f"reason {n}"}
            for k, ri in enumerate(round_.round_items)
        ]
        delphi.save_response(round_, actor=user, ratings=ratings, submit=True, now=T0 + timedelta(hours=1 + n))
    db.session.commit()
    return survey, round_


@pytest.fixture
def published_minutes(db, lead, working_group, create_workshop, person, create_user):
    """Published minutes of a workshop the person attended and commented on, naming them (with consent)."""
    workshop = create_workshop(
        working_group,
        starts_at=T0 - timedelta(days=3),
        agenda_items=[AgendaItem(position=1, title="Welcome")],
    )
    for user in (person, create_user(consent_named=True, display_name="Named Colleague")):
        db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status=RegistrationStatus.ATTENDED))
    db.session.commit()
    participation.add_comment(workshop, actor=person, body="I think data should be shared.")
    minutes = minutes_services.start_minutes(workshop, actor=lead)
    minutes_services.save_minutes(
        minutes,
        actor=lead,
        data={
            "revision": minutes.revision,
            "sections": [
                {
                    "title": "Welcome",
                    "discussion": f"{NAME} opened the round.",
                    "decisions": [],
                    "actions": [
                        {"description": "Collect cases", "owner": NAME, "due_on": "2027-03-31", "status": "open"}
                    ],
                }
            ],
        },
    )
    minutes_services.circulate(minutes, actor=lead, deadline=T0 + timedelta(days=30), now=T0)
    minutes_services.approve(minutes, actor=lead, now=T0)
    minutes_services.publish(minutes, actor=lead, now=T0)
    db.session.commit()
    return workshop, minutes


def _every_text_in_the_database(db) -> str:
    """Every value of every row of every table, as text (outbox, audit log and all)."""
    chunks = []
    # The test's own session: on SQLite it may hold the write lock (reads outside a request begin IMMEDIATE).
    connection = db.session.connection()
    for table in db.metadata.sorted_tables:
        for row in connection.execute(sa.select(table)):
            chunks.extend(json.dumps(value, default=str, ensure_ascii=False) for value in row)
    db.session.commit()
    return "\n".join(chunks)


def test_erasure_removes_the_identity_from_every_table_and_keeps_results_identical(
    app, db, login, person, closed_round, published_minutes
):
    survey, round_ = closed_round
    workshop, minutes = published_minutes
    after_close = T0 + timedelta(days=8)
    results_before = json.dumps(round_results(round_, now=after_close), default=str, sort_keys=True)
    report_before = json.dumps(methods_report(survey), default=str, sort_keys=True)
    rotate_calendar_token(person)
    issue_api_token(person, name=f"{NAME}'s laptop")
    db.session.commit()
    client = login(app.test_client(), person)
    assert NAME in _every_text_in_the_database(db) and EMAIL in _every_text_in_the_database(db)

    response = client.post("/account/erase", data={"password": PASSWORD, "confirm": "1"})
    assert response.status_code == 302

    db.session.expire_all()
    everything = _every_text_in_the_database(db)
    for identity in (NAME, EMAIL, ORGANISATION):
        assert identity not in everything, identity
    # What the results are made of is unchanged.
    assert json.dumps(round_results(round_, now=after_close), default=str, sort_keys=True) == results_before
    assert json.dumps(methods_report(survey), default=str, sort_keys=True) == report_before
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Registration).where(Registration.workshop_id == workshop.id)
        )
        == 2
    )
    # The browser that erased the account is signed out, and the account can no longer sign in.
    assert client.get("/account").status_code == 302
    assert app.test_client().post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 401
    erased = db.session.get(User, person.id)
    assert erased.is_erased and erased.display_name.startswith("Former participant ")


def test_comments_read_as_a_former_participant_and_minutes_get_a_correction(
    app, db, login, person, lead, published_minutes, create_user
):
    workshop, minutes = published_minutes
    erase_account(person, password=PASSWORD)
    db.session.commit()

    reader = login(app.test_client(), create_user())
    page = reader.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "a former participant" in page and "I think data should be shared." in page
    api = reader.get(f"/api/v1/workshops/{workshop.id}/comments").get_json()["items"][0]
    assert api["author"] is None and api["author_name"] == "a former participant"

    db.session.expire_all()
    versions = reader.get(f"/api/v1/workshops/{workshop.id}/minutes/versions").get_json()
    assert [v["number"] for v in versions] == [2]
    assert reader.get(f"/api/v1/workshops/{workshop.id}/minutes/versions/1").status_code == 404
    corrected = reader.get(f"/api/v1/workshops/{workshop.id}/minutes/versions/2").get_json()
    text = json.dumps(corrected, ensure_ascii=False)
    assert NAME not in text and "Named Colleague" in text
    assert corrected["content"]["attendees"]["total"] == 2  # still counted, no longer named
    public = app.test_client().get(f"/workshops/{workshop.id}/minutes").get_data(as_text=True)
    assert NAME not in public
    pdf = reader.get(f"/api/v1/workshops/{workshop.id}/minutes/versions/2/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_removal_on_request_replaces_the_comment_text(app, db, login, person, published_minutes, create_user):
    workshop, _minutes = published_minutes
    erase_account(person, password=PASSWORD, remove_comments=True)
    db.session.commit()

    page = login(app.test_client(), create_user()).get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "[removed at the author&#39;s request]" in page or "[removed at the author's request]" in page
    assert "I think data should be shared." not in page
    assert db.session.scalar(sa.select(Comment.body).where(Comment.workshop_id == workshop.id)) == ""


def test_erasure_is_idempotent_and_audited_without_identity(db, person):
    assert erase_account(person, password=PASSWORD) is True
    db.session.commit()
    assert erase_account(person, password="anything") is False
    db.session.commit()

    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == AuditAction.ACCOUNT_ERASED)).all()
    assert len(events) == 1
    assert events[0].actor_id is None and events[0].ip_address == "" and events[0].target_id == person.id


def test_erasure_needs_the_password_and_the_confirmation(app, db, login, person):
    client = login(app.test_client(), person)
    assert client.post("/account/erase", data={"password": "wrong", "confirm": "1"}).status_code == 422
    assert client.post("/account/erase", data={"password": PASSWORD}).status_code == 422
    db.session.expire_all()
    assert not db.session.get(User, person.id).is_erased
    assert app.test_client().post("/account/erase").status_code == 302  # sign-in first


def test_api_erasure(client, db, person, auth_headers, assert_error):
    headers = auth_headers(person)
    assert_error(client.post("/api/v1/me/erase", json={"password": "wrong"}, headers=headers), 422)
    assert_error(client.post("/api/v1/me/erase", json={}, headers=headers), 422)
    assert client.post("/api/v1/me/erase", json={"password": PASSWORD}, headers=headers).get_json() == {"erased": True}
    assert_error(client.get("/api/v1/me", headers=headers), 401)  # its tokens went with it
    assert_error(client.post("/api/v1/me/erase", json={"password": PASSWORD}), 401)


def test_an_erased_account_cannot_be_changed_by_a_coordinator(
    client, db, person, coordinator, auth_headers, assert_error
):
    erase_account(person, password=PASSWORD)
    db.session.commit()
    response = client.patch(
        f"/api/v1/users/{person.id}", json={"role": Role.LEAD.value}, headers=auth_headers(coordinator)
    )
    assert_error(response, 409, "account_erased")
