"""Roadmap actions in two languages: title and Markdown description per language through the API (each
description sanitised to its own HTML), edited side by side, shown on the roadmap and in its PDF in the
reader's language, the other one marked."""

import io

import pypdf
import pytest
from flask_babel import force_locale

from engage.i18n import original_marker
from engage.roadmap.models import RoadmapAction

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def coordinator_h(auth_headers, coordinator):
    return auth_headers(coordinator)


@pytest.fixture
def action(db, working_group, coordinator):
    made = RoadmapAction(
        sub_topic=working_group.themes[0].sub_topics[0],
        title="Secure data",
        title_zh="保护数据",
        description="Now",
        description_html="<p>Now</p>\n",
        description_zh="现在",
        description_html_zh="<p>现在</p>\n",
        created_by_id=coordinator.id,
    )
    db.session.add(made)
    db.session.commit()
    return made


def test_api_round_trips_both_wordings_and_sanitises_each_description(
    client, coordinator_h, working_group, assert_error
):
    sub_topic = working_group.themes[0].sub_topics[1]
    payload = {
        "sub_topic_id": sub_topic.id,
        "title_zh": "保护数据",
        "description": "**Now**",
        "description_zh": "**现在** <script>alert(1)</script>",
    }
    created = client.post("/api/v1/roadmap-actions", json=payload, headers=coordinator_h)
    body = created.get_json()
    assert created.status_code == 201, body
    assert (body["title"], body["title_zh"]) == ("", "保护数据")
    assert (
        body["description_html_zh"].startswith("<p><strong>现在</strong>")
        and "<script>" not in body["description_html_zh"]
    )
    assert body["description_html"] == "<p><strong>Now</strong></p>\n"
    patched = client.patch(
        f"/api/v1/roadmap-actions/{body['id']}", json={"title": "Secure data"}, headers=coordinator_h
    )
    assert (patched.get_json()["title"], patched.get_json()["title_zh"]) == ("Secure data", "保护数据")
    neither = client.post(
        "/api/v1/roadmap-actions", json={"sub_topic_id": sub_topic.id, "title": ""}, headers=coordinator_h
    )
    assert {"title", "title_zh"} <= set(assert_error(neither, 422)["errors"])
    cleared = client.patch(
        f"/api/v1/roadmap-actions/{body['id']}", json={"title": "", "title_zh": " "}, headers=coordinator_h
    )
    assert "title" in assert_error(cleared, 422)["errors"]
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["RoadmapAction"]["properties"]
    assert "Chinese" in schema["title_zh"]["description"] and "Chinese" in schema["description_html_zh"]["description"]


def test_a_chinese_reader_sees_the_chinese_action_on_the_roadmap_and_in_its_pdf(client, action):
    page = client.get("/roadmap", headers=ZH).get_data(as_text=True)
    assert "保护数据" in page and "<p>现在</p>" in page and "Secure data" not in page
    pdf = client.get("/roadmap.pdf", headers=ZH).data
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "保护数据" in text and "Secure data" not in text


def test_an_action_without_chinese_is_shown_to_a_chinese_reader_marked_english_original(app, db, client, action):
    action.title_zh, action.description_zh, action.description_html_zh = "", "", ""
    db.session.commit()
    with app.test_request_context(), force_locale("zh_Hans"):
        marker = original_marker("en")
    page = client.get("/roadmap", headers=ZH).get_data(as_text=True)
    assert f'<span lang="en">Secure data</span> <small class="original-language">({marker})</small>' in page
    assert f'<div lang="en"><p><small class="original-language">({marker})</small></p><p>Now</p>' in page


def test_the_action_form_edits_both_languages(client, login, coordinator, action):
    login(client, coordinator)
    form = client.get(f"/roadmap/actions/{action.id}/edit").get_data(as_text=True)
    assert 'name="title_zh" type="text" value="保护数据"' in form and ">现在</textarea>" in form
    csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": csrf, "sub_topic_id": action.sub_topic_id, "title": "", "title_zh": "数据安全"}
    response = client.post(f"/roadmap/actions/{action.id}/edit", data={**data, "description_zh": "*以后*"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert (action.title, action.title_zh, action.description_html_zh) == ("", "数据安全", "<p><em>以后</em></p>\n")
    refused = client.post(f"/roadmap/actions/{action.id}/edit", data={**data, "title_zh": ""})
    assert refused.status_code == 422 and 'id="field-title_zh-error"' in refused.get_data(as_text=True)
