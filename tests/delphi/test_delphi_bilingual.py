"""Bilingual Delphi content: both wordings in the API, frozen with the round, reworded with an audit, shown
to each panellist in their language, and each response's language recorded."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.delphi import services
from engage.delphi.models import (
    DEFAULT_SCALE_LABELS,
    AuditAction,
    DelphiAuditEntry,
    DelphiResponse,
    DelphiRoundItem,
    ItemOrigin,
)
from engage.errors import DomainError, ValidationError
from engage.i18n import in_language, original_marker
from engage.priorities.models import Priority
from engage.timeutil import utcnow
from tests.delphi.conftest import T0, WEEK

API = "/api/v1/delphi"
ROUND2 = T0 + WEEK
ZH_LABELS = ["不相关", "稍微相关", "中等相关", "非常相关", "极其相关"]


def test_survey_items_and_scale_labels_round_trip_in_both_languages(client, lead, working_group, auth_headers):
    headers = auth_headers(lead)
    survey = client.post(
        f"{API}/surveys",
        headers=headers,
        json={
            "working_group_id": working_group.id,
            "title": "Pillar I Delphi",
            "title_zh": "第一支柱德尔菲调查",
            "description": "Rate each statement.",
            "description_zh": "请为每项陈述评分。",
        },
    )
    assert survey.status_code == 201, survey.get_data(as_text=True)
    body = survey.get_json()
    assert (body["title_zh"], body["description_zh"]) == ("第一支柱德尔菲调查", "请为每项陈述评分。")
    sid = body["id"]
    item = client.post(
        f"{API}/surveys/{sid}/items",
        headers=headers,
        json={"text": "Train staff", "text_zh": "培训员工", "explanation": "Why", "explanation_zh": "原因"},
    )
    assert item.status_code == 201 and (item.get_json()["text_zh"], item.get_json()["explanation_zh"]) == (
        "培训员工",
        "原因",
    )
    edited = client.patch(
        f"{API}/surveys/{sid}/items/{item.get_json()['id']}", headers=headers, json={"text_zh": "培训工作人员"}
    )
    assert edited.get_json()["text_zh"] == "培训工作人员" and edited.get_json()["text"] == "Train staff"
    rule = client.put(f"{API}/surveys/{sid}/rule", headers=headers, json={"scale_labels_zh": ZH_LABELS})
    assert rule.status_code == 200 and rule.get_json()["scale_labels_zh"] == ZH_LABELS
    assert client.get(f"{API}/surveys/{sid}", headers=headers).get_json()["rule"]["scale_labels_zh"] == ZH_LABELS
    listed = client.get(f"{API}/surveys/{sid}/items", headers=headers).get_json()
    assert [(i["text"], i["text_zh"]) for i in listed] == [("Train staff", "培训工作人员")]


def test_chinese_scale_labels_need_one_per_point(client, lead, create_survey, auth_headers, assert_error):
    survey = create_survey()
    body = assert_error(
        client.put(
            f"{API}/surveys/{survey.id}/rule", headers=auth_headers(lead), json={"scale_labels_zh": ["不相关", "相关"]}
        ),
        422,
    )
    assert "scale_labels_zh" in body["errors"]
    assert survey.rule.scale_labels_zh is None


def test_new_english_labels_drop_the_chinese_ones_given_for_the_old(db, lead, create_survey):
    survey = create_survey()
    services.update_rule(survey, actor=lead, data={"scale_labels_zh": ZH_LABELS}, now=T0)
    services.update_rule(survey, actor=lead, data={"scale_labels": list("abcde")}, now=T0)
    assert survey.rule.scale_labels_zh is None


def test_both_wordings_are_frozen_when_round_one_opens(db, lead, create_survey, create_panel, open_round):
    survey = create_survey(texts=("Train staff",))
    item = survey.items[0]
    create_panel(survey, 5)
    services.schedule_round(survey, actor=lead, opens_at=T0 + timedelta(days=1), closes_at=T0 + WEEK, now=T0)
    # Before it opens, a Chinese wording given to the item is the one the round will ask.
    services.edit_item(item, actor=lead, data={"text_zh": "培训员工", "explanation_zh": "说明"}, now=T0)
    db.session.commit()
    round_item = db.session.get(DelphiRoundItem, (survey.rounds[0].id, item.id))
    assert (round_item.text_zh, round_item.explanation_zh) == ("培训员工", "说明")
    # Once it has opened, neither language's wording can change: that is a rewording for the next round.
    for change in ({"text_zh": "培训工作人员"}, {"explanation_zh": "新说明"}, {"text": "Train all staff"}):
        with pytest.raises(DomainError) as refused:
            services.edit_item(item, actor=lead, data=change, now=T0 + timedelta(days=2))
        assert refused.value.code == "round_open"
    db.session.rollback()
    round_item = db.session.get(DelphiRoundItem, (survey.rounds[0].id, item.id))
    assert (round_item.text, round_item.text_zh) == ("Train staff", "培训员工")


@pytest.fixture
def three_rounds(db, lead, create_survey, create_panel, open_round, rate):
    """Round 1 (item A in both languages, no consensus: all 3) closed; round 2 scheduled, not open."""
    survey = create_survey(texts=(), rounds_planned=3)
    services.add_item(survey, actor=lead, data={"text": "A", "text_zh": "甲", "origin": ItemOrigin.LITERATURE}, now=T0)
    panel = create_panel(survey, 5)
    first = open_round(survey)
    for user in panel:
        rate(first, user, 3)
    second = open_round(survey, now=ROUND2 + timedelta(days=1))
    return survey, panel, first, second, first.round_items[0].item_id


def test_carried_items_keep_their_chinese_wording(three_rounds):
    _survey, _panel, _first, second, a = three_rounds
    (carried,) = second.round_items
    assert (carried.item_id, carried.text, carried.text_zh, carried.change.value) == (a, "A", "甲", "carried")


def test_rewording_only_the_chinese_wording_is_audited_and_carried_forward(db, lead, three_rounds, rate):
    survey, panel, first, second, a = three_rounds
    services.reword_item(second, a, actor=lead, text_zh="甲（更清楚）", reason="译文不清楚", now=ROUND2)
    db.session.commit()
    reworded = db.session.get(DelphiRoundItem, (second.id, a))
    assert (reworded.text, reworded.text_zh, reworded.change.value) == ("A", "甲（更清楚）", "reworded")
    assert db.session.get(DelphiRoundItem, (first.id, a)).text_zh == "甲"  # round 1 keeps what it asked
    entry = db.session.scalars(
        sa.select(DelphiAuditEntry).where(DelphiAuditEntry.action == AuditAction.ITEM_REWORDED)
    ).one()
    assert (entry.actor_id, entry.reason, entry.item_id) == (lead.id, "译文不清楚", a)
    assert (entry.details["before"]["text_zh"], entry.details["after"]["text_zh"]) == ("甲", "甲（更清楚）")
    # Round 2 runs without consensus; round 3 asks the new Chinese wording.
    opened = second.opens_at
    for user in panel:
        rate(second, user, 3, now=opened + timedelta(hours=1))
    third = services.schedule_round(
        survey,
        actor=lead,
        opens_at=second.closes_at + timedelta(days=1),
        closes_at=second.closes_at + 2 * WEEK,
        now=second.closes_at + timedelta(hours=1),
    )
    assert [(ri.text, ri.text_zh, ri.change.value) for ri in third.round_items] == [("A", "甲（更清楚）", "carried")]


def test_a_rewording_must_change_something(db, lead, three_rounds):
    _survey, _panel, _first, second, a = three_rounds
    with pytest.raises(ValidationError):
        services.reword_item(second, a, actor=lead, text="A", text_zh="甲", reason="none", now=ROUND2)
    with pytest.raises(ValidationError):
        services.reword_item(second, a, actor=lead, reason="nothing given", now=ROUND2)


def test_reword_api_takes_the_chinese_wording_alone(client, db, lead, three_rounds, auth_headers):
    _survey, _panel, _first, second, a = three_rounds
    response = client.post(
        f"{API}/rounds/{second.id}/items/{a}/reword",
        headers=auth_headers(lead),
        json={"text_zh": "甲二", "reason": "更准确"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.get_json()["text"], response.get_json()["text_zh"]) == ("A", "甲二")


# --- the rating page in the panellist's language ---------------------------------------------------------


@pytest.fixture
def bilingual_round(db, lead, create_survey, create_panel, create_user):
    """An open round: item 1 in both languages, item 2 in English only; Chinese scale labels; a zh panellist."""
    survey = create_survey(texts=())
    services.add_item(
        survey,
        actor=lead,
        data={"text": "Train staff", "text_zh": "培训员工", "explanation": "For all", "explanation_zh": "面向所有人"},
        now=T0,
    )
    services.add_item(survey, actor=lead, data={"text": "Fund long-term data storage"}, now=T0)
    services.update_rule(survey, actor=lead, data={"scale_labels_zh": ZH_LABELS}, now=T0)
    reader = create_user(region="CN-BJ", locale="zh")
    services.add_panellists(survey, actor=lead, user_ids=[reader.id])
    panel = create_panel(survey, 4)
    now = utcnow()
    round_ = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    return survey, round_, reader, panel


def test_a_chinese_reader_sees_chinese_statements_and_labels_and_english_marked_as_such(client, login, bilingual_round):
    _survey, round_, reader, _panel = bilingual_round
    login(client, reader)
    page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
    assert "培训员工" in page and "面向所有人" in page
    assert "Train staff" not in page and "For all" not in page
    assert all(label in page for label in ZH_LABELS) and "Very relevant" not in page
    with in_language("zh"):
        marker = original_marker("en")
    # The item without a Chinese wording is shown in English, in a span marked as English, with the marker.
    assert (
        f'<span lang="en">Fund long-term data storage</span> <small class="original-language">({marker})</small>'
        in page
    )


def test_an_english_reader_sees_the_english_wording(client, login, bilingual_round):
    _survey, round_, _reader, panel = bilingual_round
    login(client, panel[0])
    page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
    assert "Train staff" in page and "培训员工" not in page and "Very relevant" in page


def test_default_scale_labels_go_through_the_catalogue_not_marked_english(db, create_survey):
    rule = create_survey().rule
    assert rule.scale_labels == DEFAULT_SCALE_LABELS and rule.scale_labels_zh is None
    with in_language("zh"):
        labels = rule.labels_in()
    assert [label.language for label in labels] == ["zh"] * 5 and not any(label.is_fallback for label in labels)
    # Custom English labels without a Chinese version are shown in English, marked as such.
    rule.scale_labels = ["Never", "Rarely", "Sometimes", "Often", "Always"]
    with in_language("zh"):
        labels = rule.labels_in()
    assert all(label.is_fallback and label.language == "en" for label in labels)


def test_the_response_records_the_language_it_was_answered_in(client, db, login, auth_headers, bilingual_round):
    _survey, round_, reader, _panel = bilingual_round
    items = [ri.item_id for ri in round_.round_items]
    login(client, reader)
    client.post(f"/delphi/rounds/{round_.id}", data={f"value-{items[0]}": "4", "action": "draft"})
    response = db.session.scalars(sa.select(DelphiResponse).where(DelphiResponse.panellist_id == reader.id)).one()
    assert response.language == "zh"
    # The API answers in the request's language: a save with Accept-Language: en records English.
    body = {"ratings": [{"item_id": i, "value": 4} for i in items], "submit": True}
    saved = client.put(
        f"{API}/rounds/{round_.id}/my-response", json=body, headers={**auth_headers(reader), "Accept-Language": "en"}
    )
    assert saved.status_code == 200 and saved.get_json()["language"] == "en"
    db.session.expire_all()
    assert db.session.get(DelphiResponse, response.id).language == "en"


def test_rationales_keep_their_language_in_the_next_rounds_feedback(
    client, db, lead, login, create_survey, create_panel, create_user, rate
):
    survey = create_survey(texts=("A",))
    reader = create_user(region="CN-BJ", locale="zh")
    services.add_panellists(survey, actor=lead, user_ids=[reader.id])
    panel = create_panel(survey, 4)
    now = utcnow()
    first = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    (a,) = [ri.item_id for ri in first.round_items]
    with in_language("zh"):
        services.save_response(
            first, actor=reader, ratings=[{"item_id": a, "value": 3, "rationale": "成本太高"}], submit=True
        )
    db.session.commit()
    for user in panel:
        rate(first, user, 3, now=utcnow(), rationale="Too costly")
    services.close_round(first, actor=lead)
    db.session.commit()
    now = utcnow()
    second = services.schedule_round(survey, actor=lead, opens_at=now, closes_at=now + WEEK, now=now)
    db.session.commit()
    login(client, reader)
    page = client.get(f"/delphi/rounds/{second.id}").get_data(as_text=True)
    assert '<li lang="zh-Hans">成本太高</li>' in page and '<li lang="en">Too costly</li>' in page


def test_finalising_copies_both_wordings_into_the_priority(db, lead, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=(), rounds_planned=1)
    services.add_item(survey, actor=lead, data={"text": "A", "text_zh": "甲"}, now=T0)
    panel = create_panel(survey, 5)
    first = open_round(survey)
    for user in panel:
        rate(first, user, 5)
    (priority,) = services.finalise_survey(survey, actor=lead, now=first.closes_at + timedelta(hours=1))
    db.session.commit()
    stored = db.session.get(Priority, priority.id)
    assert (stored.text, stored.text_zh) == ("A", "甲")


def test_a_fallback_title_is_plain_text_in_the_browser_title(client, login, bilingual_round):
    _survey, round_, reader, _panel = bilingual_round
    login(client, reader)
    page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Pillar I Delphi" in title and "<span" not in title


def test_lead_edits_both_wordings_side_by_side_until_round_one_opens(
    client, db, login, lead, create_survey, participant
):
    survey = create_survey(texts=("Train staff",))
    item = survey.items[0]
    login(client, lead)
    page = client.get(f"/manage/delphi/surveys/{survey.id}").get_data(as_text=True)
    assert 'name="text_zh" rows="2" maxlength="2000" lang="zh-Hans">' in page and 'name="scale_labels_zh"' in page
    response = client.post(
        f"/manage/delphi/surveys/{survey.id}/items/{item.id}",
        data={"text": "Train staff", "text_zh": "培训员工", "explanation": "", "explanation_zh": "说明"},
        follow_redirects=True,
    )
    assert "Item saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert (item.text, item.text_zh, item.explanation_zh) == ("Train staff", "培训员工", "说明")
    assert '<td lang="zh-Hans">培训员工</td>' in response.get_data(as_text=True)
    # An empty English statement is refused with a message, and nothing changes.
    refused = client.post(
        f"/manage/delphi/surveys/{survey.id}/items/{item.id}", data={"text": "", "text_zh": "x"}, follow_redirects=True
    )
    assert "text:" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert item.text_zh == "培训员工"
    client.post("/logout")
    login(client, participant)
    assert client.post(f"/manage/delphi/surveys/{survey.id}/items/{item.id}", data={"text_zh": "y"}).status_code == 404


def test_lead_rewords_the_chinese_wording_by_page(client, db, login, lead, three_rounds):
    _survey, _panel, _first, second, a = three_rounds
    login(client, lead)
    # Round 2 opens in 2027: it is still being prepared now.
    response = client.post(
        f"/manage/delphi/rounds/{second.id}/items/{a}/reword",
        data={"text": "A", "text_zh": "甲（新）", "reason": "译文更准确"},
        follow_redirects=True,
    )
    assert "both wordings are kept" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DelphiRoundItem, (second.id, a)).text_zh == "甲（新）"


def test_panel_e_mails_name_the_survey_in_the_recipients_language(db, lead, working_group, create_user):
    from engage.notifications.models import Notification, NotificationKind

    survey = services.create_survey(
        working_group, actor=lead, data={"title": "Pillar I Delphi", "title_zh": "第一支柱德尔菲调查"}
    )
    reader, english = create_user(region="CN-BJ", locale="zh"), create_user()
    services.add_panellists(survey, actor=lead, user_ids=[reader.id, english.id])
    db.session.commit()
    titles = {
        n.user_id: n.context["survey_title"]
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.kind == NotificationKind.DELPHI_PANEL_ADDED)
        )
    }
    assert titles == {reader.id: "第一支柱德尔菲调查", english.id: "Pillar I Delphi"}
