"""Delphi pages: the panellist's rating page (with round-1 feedback in round 2) and the lead's pages."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import StakeholderCategory as Cat
from engage.delphi import services
from engage.delphi.models import DelphiRating, DelphiSurvey, ResponseStatus
from engage.timeutil import utcnow


@pytest.fixture
def open_now(db, lead, create_survey, create_panel):
    survey = create_survey(texts=("Promote digital literacy", "Fund long-term data storage"))
    panel = create_panel(survey, 5, region="IT", category=Cat.ACADEMIA_RESEARCH)
    now = utcnow()
    round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + timedelta(days=7), now=now)
    db.session.commit()
    return survey, round_, panel, [ri.item_id for ri in round_.round_items]


def _stored(db, round_, user):
    db.session.expire_all()
    return {
        r.item_id: r.value
        for r in db.session.scalars(
            sa.select(DelphiRating).where(DelphiRating.round_id == round_.id, DelphiRating.panellist_id == user.id)
        )
    }


def test_rating_page_saves_a_draft_then_submits(client, db, login, open_now):
    _survey, round_, panel, (a, b) = open_now
    login(client, panel[0])
    page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
    assert "Promote digital literacy" in page and f'name="value-{a}" value="5"' in page and "Cannot rate" in page
    response = client.post(
        f"/delphi/rounds/{round_.id}",
        data={f"value-{a}": "4", f"rationale-{a}": "Basis", "action": "draft"},
        follow_redirects=True,
    )
    assert "Draft saved" in response.get_data(as_text=True)
    assert _stored(db, round_, panel[0]) == {a: 4}
    response = client.post(
        f"/delphi/rounds/{round_.id}",
        data={f"value-{a}": "4", f"value-{b}": "cannot", "action": "submit"},
        follow_redirects=True,
    )
    assert "Your answers are submitted" in response.get_data(as_text=True)
    assert services.my_response(round_, panel[0])[0].status is ResponseStatus.SUBMITTED


def test_incomplete_submit_shows_the_form_again_with_answers_kept(client, db, login, open_now):
    _survey, round_, panel, (a, b) = open_now
    login(client, panel[0])
    response = client.post(
        f"/delphi/rounds/{round_.id}", data={f"value-{a}": "2", f"rationale-{a}": "Too costly", "action": "submit"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Rate this item or choose “cannot rate”." in html
    assert f'name="value-{a}" value="2" checked' in html and "Too costly" in html
    assert _stored(db, round_, panel[0]) == {}


def test_out_of_scale_value_from_a_page_is_422_nothing_stored(client, db, login, open_now):
    _survey, round_, panel, (a, _b) = open_now
    login(client, panel[0])
    response = client.post(f"/delphi/rounds/{round_.id}", data={f"value-{a}": "9", "action": "draft"})
    assert response.status_code == 422 and "Rate from 1 to 5." in response.get_data(as_text=True)
    assert _stored(db, round_, panel[0]) == {}


def test_rating_page_is_not_for_people_off_the_panel(client, login, open_now, participant, lead):
    _survey, round_, *_ = open_now
    login(client, participant)
    assert client.get(f"/delphi/rounds/{round_.id}").status_code == 404
    client.post("/logout")
    login(client, lead)
    assert client.get(f"/delphi/rounds/{round_.id}").status_code == 404


def test_round_two_page_shows_the_round_one_chart_with_own_answer(client, db, login, lead, open_now, rate):
    survey, first, panel, (a, b) = open_now
    for user, value in zip(panel, [1, 2, 3, 3, 5], strict=True):
        rate(first, user, {a: value, b: 5}, now=utcnow(), rationale="why not")
    services.close_round(first, actor=lead)
    db.session.commit()
    now = utcnow()
    second = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + timedelta(days=7), now=now)
    db.session.commit()
    login(client, panel[1])
    html = client.get(f"/delphi/rounds/{second.id}").get_data(as_text=True)
    chart = html.split('class="distribution-bar"')[1].split("</svg>")[0]
    assert "Ratings 1: 1, 2: 1, 3: 2, 4: 0, 5: 1; 20 % agree, consensus needs 70 %." in chart
    assert 'class="consensus-line"' in chart
    # Their own round-1 answer (2) is marked under its segment.
    own = chart.split('data-value="2"')[1]
    assert 'class="own-answer"' in own.split('data-value="3"')[0] and "your answer" in own
    assert "Median 3, interquartile range 1, 20.0 % agreement (n = 5)." in html
    assert "why not" in html and panel[0].display_name not in html
    assert "Fund long-term data storage" not in html  # item B reached consensus and is settled


def test_lead_pages_set_up_control_and_results(client, db, login, lead, open_now, rate):
    survey, round_, panel, (a, b) = open_now
    login(client, lead)
    html = client.get(f"/manage/delphi/surveys/{survey.id}").get_data(as_text=True)
    assert "Frozen since" in html and "0 / 5" in html and panel[0].display_name in html
    for user, value in zip(panel, [4, 4, 5, 5, 3], strict=True):
        rate(round_, user, {a: value, b: value}, now=utcnow())
    assert client.post(f"/manage/delphi/rounds/{round_.id}/close").status_code == 302
    results = client.get(f"/manage/delphi/rounds/{round_.id}/results").get_data(as_text=True)
    assert "n &lt; 5" in results and "80.0 % ✓" in results
    report = client.get(f"/manage/delphi/surveys/{survey.id}/methods").get_data(as_text=True)
    assert "Hyndman &amp; Fan type 7" in report and "Rule frozen at" in report and "100.0 %" in report


def test_lead_creates_a_survey_and_sets_the_rule_by_page(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post(
        "/manage/delphi/surveys/new", data={"working_group_id": working_group.id, "title": "Pillar I Delphi"}
    )
    assert response.status_code == 302
    survey = db.session.scalar(sa.select(DelphiSurvey))
    response = client.post(
        f"/manage/delphi/surveys/{survey.id}/rule",
        data={
            "scale_min": "1",
            "scale_max": "5",
            "agreeing_values": "4, 5",
            "threshold_percent": "75",
            "disagreeing_values": "1,2",
            "veto_max_percent": "15",
            "min_valid_ratings": "5",
            "rounds_planned": "2",
            "allows_cannot_rate": "1",
        },
        follow_redirects=True,
    )
    assert "Consensus rule saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (survey.rule.threshold_percent, survey.rule.veto_max_percent) == (75, 15)
    bad = client.post(f"/manage/delphi/surveys/{survey.id}/rule", data={"agreeing_values": "7"}, follow_redirects=True)
    assert "Agreeing values must be points of the scale." in bad.get_data(as_text=True)


def test_manage_pages_are_refused_to_panellists_and_hidden_from_others(client, login, open_now, participant):
    survey, round_, panel, _items = open_now
    login(client, panel[0])
    assert client.get(f"/manage/delphi/surveys/{survey.id}").status_code == 403
    assert client.get(f"/manage/delphi/rounds/{round_.id}/results").status_code == 403
    client.post("/logout")
    login(client, participant)
    assert client.get(f"/manage/delphi/surveys/{survey.id}").status_code == 404
    assert client.get(f"/manage/delphi/surveys/{survey.id}/methods").status_code == 404


def test_my_surveys_lists_rounds_to_answer(client, login, open_now):
    survey, round_, panel, _items = open_now
    login(client, panel[0])
    html = client.get("/delphi").get_data(as_text=True)
    assert survey.title in html and f"/delphi/rounds/{round_.id}" in html


def test_after_close_the_page_refuses_changes_and_keeps_the_draft(client, db, login, lead, open_now):
    _survey, round_, panel, (a, b) = open_now
    login(client, panel[0])
    client.post(f"/delphi/rounds/{round_.id}", data={f"value-{a}": "3", "action": "draft"})
    services.close_round(round_, actor=lead)
    db.session.commit()
    response = client.post(
        f"/delphi/rounds/{round_.id}", data={f"value-{a}": "5", f"value-{b}": "5", "action": "submit"}
    )
    assert response.status_code == 409 and "Your saved answers are kept." in response.get_data(as_text=True)
    assert _stored(db, round_, panel[0]) == {a: 3}
    assert "This round is closed" in client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)


def test_lead_prepares_round_two_by_page(client, db, login, lead, open_now, rate):
    survey, first, panel, (a, b) = open_now
    for user in panel:
        rate(first, user, 3, now=utcnow())
    login(client, lead)
    client.post(f"/manage/delphi/rounds/{first.id}/close")
    response = client.post(
        f"/manage/delphi/surveys/{survey.id}/rounds",
        data={"opens_at": "2099-01-01T09:00", "closes_at": "2099-01-08T09:00"},
        follow_redirects=True,
    )
    assert "Round 2 scheduled." in response.get_data(as_text=True)
    second = survey.rounds[-1]
    html = client.get(f"/manage/delphi/surveys/{survey.id}").get_data(as_text=True)
    assert "Prepare round 2" in html and "Merge items into one" in html
    response = client.post(
        f"/manage/delphi/rounds/{second.id}/items/{a}/reword",
        data={"text": "A, clearer", "reason": ""},
        follow_redirects=True,
    )
    assert "reason: Say why" in response.get_data(as_text=True)
    response = client.post(
        f"/manage/delphi/rounds/{second.id}/merge",
        data={"item_ids": [str(a), str(b)], "text": "A and B", "reason": "Overlap"},
        follow_redirects=True,
    )
    assert "Items merged into one." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [ri.text for ri in second.round_items] == ["A and B"]
    assert second.opens_at.isoformat() == "2099-01-01T08:00:00+00:00"  # entered in the lead's zone (Rome)


def test_round_two_results_page_shows_stability(client, db, login, lead, open_now, rate):
    survey, first, panel, (a, b) = open_now
    for user in panel:
        rate(first, user, {a: 3, b: 2}, now=utcnow())
    services.close_round(first, actor=lead)
    now = utcnow()
    second = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + timedelta(days=7), now=now)
    db.session.commit()
    for user, value in zip(panel, [4, 4, 4, 4, 3], strict=True):
        rate(second, user, {a: value, b: 2}, now=utcnow())
    services.close_round(second, actor=lead)
    db.session.commit()
    login(client, lead)
    html = client.get(f"/manage/delphi/rounds/{second.id}/results").get_data(as_text=True)
    assert "Changed ratings" in html and "80.0 %" in html and "no (+80.0)" in html and "yes (+0.0)" in html


def test_methods_report_downloads_as_pdf_with_the_frozen_rule(client, db, login, lead, open_now, participant):
    from io import BytesIO

    from pypdf import PdfReader

    survey, round_, panel, _items = open_now
    login(client, lead)
    response = client.get(f"/manage/delphi/surveys/{survey.id}/methods.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Methods report" in text and "Hyndman" in text and "Rule frozen at" in text
    assert not reader.attachments
    client.post("/logout")
    login(client, panel[0])
    assert client.get(f"/manage/delphi/surveys/{survey.id}/methods.pdf").status_code == 403
    client.post("/logout")
    login(client, participant)
    assert client.get(f"/manage/delphi/surveys/{survey.id}/methods.pdf").status_code == 404


def test_methods_report_pdf_fits_the_page(client, db, login, lead, open_now, read_pdf):
    """Every column of the rounds tables is on the A4 page (one table of 14 columns ran off it)."""
    survey, _round, _panel, _items = open_now
    login(client, lead)
    pages = read_pdf(client.get(f"/manage/delphi/surveys/{survey.id}/methods.pdf").data)
    text = " ".join(" ".join(p["text"].split()) for p in pages)
    for heading in (
        "Response rate",
        "Attrition",
        "Reworded",
        "Dropped",
        "Settled after the round",
        "Academia / research",
    ):
        assert heading in text
    assert "academia_research" not in text
    assert [p["outside"] for p in pages if p["outside"]] == []


def test_survey_page_summarises_response_and_consensus_per_round(client, db, login, lead, open_now, rate):
    survey, round_, panel, items = open_now
    for person in panel:
        rate(round_, person, {items[0]: 5, items[1]: 2})
    services.close_round(round_, actor=lead)
    db.session.commit()
    login(client, lead)
    page = client.get(f"/manage/delphi/surveys/{survey.id}").get_data(as_text=True)
    summary = page.split('id="round-summary"')[1].split("</div>")[0]
    assert "5 of 5" in summary and "1 of 2 items" in summary
    assert summary.count('class="bar-list"') == 2


def test_csv_import_page_lists_the_columns_and_names_each_bad_row(client, db, login, lead, create_survey):
    from io import BytesIO

    survey = create_survey(texts=())
    login(client, lead)
    page = client.get(f"/manage/delphi/surveys/{survey.id}").get_data(as_text=True)
    assert "origin — literature, workshop or panellist (empty means literature)" in page
    bad = b"text,origin,codes\nFirst,literature,1.1.a\nSecond,expert,1.1.a\n,,\n"
    response = client.post(
        f"/manage/delphi/surveys/{survey.id}/items/import",
        data={"file": (BytesIO(bad), "items.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Row 3, origin: “expert” is not an origin; use literature, workshop or panellist" in page
    assert "Row 4, text: the statement is missing." in page
    assert "{&#39;" not in page and "rows:" not in page
    db.session.expire_all()
    assert db.session.get(DelphiSurvey, survey.id).items == []
