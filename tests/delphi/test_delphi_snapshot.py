"""A closed round's figures are written once and never move; groups are those at submission; the
next round's feedback reads the snapshot; paired stability; what panels are told about disclosure."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import StakeholderCategory as Cat
from engage.delphi import services
from engage.delphi.jobs import run_due_round_snapshots
from engage.delphi.models import DelphiRoundSnapshot, DisclosureMode
from engage.errors import DomainError
from engage.notifications.models import Notification, NotificationKind
from engage.notifications.services import render
from engage.timeutil import utcnow
from tests.delphi.conftest import T0, WEEK

API = "/api/v1/delphi"
AFTER = T0 + WEEK


def _snapshots(db) -> list[DelphiRoundSnapshot]:
    db.session.expire_all()
    return db.session.scalars(sa.select(DelphiRoundSnapshot)).all()


def test_closing_a_round_writes_its_snapshot_once(db, lead, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=("A",))
    panel = create_panel(survey, 5)
    round_ = open_round(survey)
    for user in panel:
        rate(round_, user, 4)
    services.close_round(round_, actor=lead, now=T0 + timedelta(days=2))
    db.session.commit()
    (snapshot,) = _snapshots(db)
    assert snapshot.results["items"][0]["overall"]["n_valid"] == 5
    assert run_due_round_snapshots(AFTER) == 0
    assert [s.written_at for s in _snapshots(db)] == [T0 + timedelta(days=2)]


def test_a_round_that_closed_on_schedule_is_frozen_by_the_scheduler(db, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=("A",))
    panel = create_panel(survey, 5)
    round_ = open_round(survey)
    for user in panel:
        rate(round_, user, 5)
    assert run_due_round_snapshots(AFTER - timedelta(seconds=1)) == 0
    assert run_due_round_snapshots(AFTER) == 1
    assert run_due_round_snapshots(AFTER + timedelta(minutes=1)) == 0
    assert _snapshots(db)[0].consensus_item_ids == [round_.round_items[0].item_id]


def test_no_answer_is_accepted_once_the_snapshot_exists(db, lead, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=("A",))
    early, late = create_panel(survey, 2)
    round_ = open_round(survey)
    rate(round_, early, 4)
    services.close_round(round_, actor=lead, now=T0 + timedelta(hours=2))
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        # A clock that still says "open" does not matter: the snapshot closed the round.
        rate(round_, late, 5, now=T0 + timedelta(hours=1))
    assert refused.value.code == "round_closed"


def test_a_response_counts_in_the_groups_of_its_submission(db, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=("A",))
    eu = create_panel(survey, 5, region="IT")
    china = create_panel(survey, 5, region="CN-SH", category=Cat.PAYER)
    round_ = open_round(survey)
    for user in eu + china:
        rate(round_, user, 5 if user in eu else 1)
    eu[0].region, eu[0].category = "CN-BJ", Cat.PAYER  # moves after submitting, before the close
    db.session.commit()
    item = services.round_results(round_, now=AFTER)["items"][0]
    assert item["by_region"]["EU"]["distribution"]["5"] == 5
    assert item["by_region"]["China"]["distribution"] == {"1": 5, "2": 0, "3": 0, "4": 0, "5": 0}


def test_the_round_two_rating_page_does_not_recompute_round_one(
    client, db, login, lead, create_survey, create_panel, rate, count_queries
):
    survey = create_survey(texts=("A", "B"))
    panel = create_panel(survey, 6)
    now = utcnow()
    first = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    for user, value in zip(panel, [1, 2, 3, 3, 5, 4], strict=True):
        rate(first, user, value, now=utcnow(), rationale="a reason")
    services.close_round(first, actor=lead)
    second = services.schedule_round(survey, actor=lead, opens_at=utcnow(), closes_at=utcnow() + WEEK)
    db.session.commit()
    login(client, panel[0])
    with count_queries() as statements:
        page = client.get(f"/delphi/rounds/{second.id}").get_data(as_text=True)
    assert "a reason" in page and "n = 6" in page
    ratings = [s for s in statements if "delphi_ratings" in s]
    assert not [s for s in ratings if "GROUP BY" in s or "count(" in s]
    assert all("response_id" in s for s in ratings), "only the panellist's own ratings are read, by response"


def test_paired_stability_counts_only_valid_ratings_in_both_rounds(
    db, lead, create_survey, create_panel, open_round, rate
):
    """B: nobody could rate it in round 1, so nobody is paired (formerly "100 % changed").
    A: one panellist answers "cannot rate" in round 2 and is left out of A's pairs."""
    survey = create_survey(texts=("A", "B"))
    panel = create_panel(survey, 6)
    first = open_round(survey)
    a, b = (ri.item_id for ri in first.round_items)
    for user, value in zip(panel, [1, 2, 2, 3, 3, 3], strict=True):
        rate(first, user, {a: value, b: None})
    second = open_round(survey, now=AFTER)
    for user, value in zip(panel, [1, 2, 3, 4, 3, None], strict=True):
        rate(second, user, {a: value, b: 4})
    rows = {r["item_id"]: r for r in services.stability(second, now=second.closes_at)}
    assert (rows[b]["paired_panellists"], rows[b]["changed_percent"]) == (0, None)
    assert (rows[a]["paired_panellists"], rows[a]["changed_percent"]) == (5, 40.0)


def test_the_stability_fields_are_documented_in_the_api_schema(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    row = schemas["StabilityRow"]["properties"]
    assert "valid rating" in row["paired_panellists"]["description"]
    assert all(row[name].get("description") for name in ("changed_percent", "agreement_change", "is_stable"))


# --- what the panel is told ------------------------------------------------------------------------


def test_the_disclosure_mode_is_fixed_once_someone_is_on_the_panel(
    client, db, lead, participant, create_survey, create_panel, auth_headers, assert_error
):
    survey = create_survey()
    path = f"{API}/surveys/{survey.id}/disclosure"
    body = client.put(path, json={"disclosure_mode": "response_matrix"}, headers=auth_headers(lead)).get_json()
    assert body["disclosure_mode"] == "response_matrix" and "pseudonymous" in body["disclosure_statement"]
    assert_error(client.put(path, json={"disclosure_mode": "everything"}, headers=auth_headers(lead)), 422)
    assert_error(client.put(path, json={"disclosure_mode": "group_results"}, headers=auth_headers(participant)), 404)
    (member,) = create_panel(survey, 1)
    assert_error(client.put(path, json={"disclosure_mode": "group_results"}, headers=auth_headers(member)), 403)
    assert_error(
        client.put(path, json={"disclosure_mode": "group_results"}, headers=auth_headers(lead)), 409, "disclosure_fixed"
    )
    db.session.expire_all()
    assert survey.disclosure_mode is DisclosureMode.RESPONSE_MATRIX


def test_panellists_are_told_how_their_answers_are_published(db, lead, create_survey, create_panel):
    survey = create_survey(disclosure_mode=DisclosureMode.RESPONSE_MATRIX)
    (member,) = create_panel(survey, 1)
    services.invite_to_panel(survey, actor=lead, email="newcomer@example.org")
    db.session.commit()
    added = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.DELPHI_PANEL_ADDED)
    ).one()
    invited = db.session.scalars(sa.select(Notification).where(Notification.kind == NotificationKind.INVITATION)).one()
    render(added)  # queued with its facts, written when delivered or read
    assert added.user_id == member.id and "Pillar I Delphi" in added.subject
    for message in (added, invited):
        assert "response matrix" in message.body_text and "changes every round" in message.body_text
    assert "panel of the Delphi survey “Pillar I Delphi”" in invited.body_text


def test_the_rating_page_and_the_methods_report_state_the_disclosure(
    client, db, login, lead, create_survey, create_panel, submit_all, auth_headers
):
    survey = create_survey(texts=("A", "B"), disclosure_mode=DisclosureMode.RESPONSE_MATRIX)
    panel = create_panel(survey, 5)
    now = utcnow()
    round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    login(client, panel[0])
    assert "releases a response matrix" in client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
    submit_all(round_, panel, [ri.item_id for ri in round_.round_items], [5, 4, 4, 3, 5])
    headers = auth_headers(lead)
    client.post(f"{API}/rounds/{round_.id}/close", headers=headers)
    assert client.get(f"{API}/rounds/{round_.id}/responses.csv", headers=headers).status_code == 200
    client.post("/logout")
    login(client, lead)
    report = client.get(f"/manage/delphi/surveys/{survey.id}/methods").get_data(as_text=True)
    assert "Disclosure control" in report and "releases a response matrix" in report
    assert "Response matrix downloads" in report and lead.display_name in report
    assert "valid rating (not “cannot rate”) in both rounds" in report
