"""Indicators in two languages: name and definition per language through the API and the form, and the
indicator page, the scorecard and its PDF in the reader's language, the other one marked."""

import io

import pypdf
from flask_babel import force_locale

from engage.i18n import original_marker

ZH = {"Accept-Language": "zh-CN"}
PAYLOAD = {
    "unit": "percent", "direction": "higher", "baseline_low": 20, "baseline_on": "2023-01-01",
    "target_value": 70, "target_on": "2030-12-31",
}  # fmt: skip


def test_api_round_trips_both_wordings_and_needs_one_name(client, coordinator_h, action, assert_error):
    payload = {**PAYLOAD, "roadmap_action_id": action.id, "name_zh": "DPYD 检测", "definition_zh": "接受检测的患者比例"}
    created = client.post("/api/v1/indicators", json=payload, headers=coordinator_h)
    body = created.get_json()
    assert created.status_code == 201, body
    assert (body["name"], body["name_zh"], body["definition_zh"]) == ("", "DPYD 检测", "接受检测的患者比例")
    url = f"/api/v1/indicators/{body['id']}"
    patched = client.patch(url, json={"name": "DPYD testing"}, headers=coordinator_h).get_json()
    assert (patched["name"], patched["name_zh"]) == ("DPYD testing", "DPYD 检测")
    assert (
        "name"
        in assert_error(client.patch(url, json={"name": "", "name_zh": ""}, headers=coordinator_h), 422)["errors"]
    )
    neither = client.post("/api/v1/indicators", json={**PAYLOAD, "roadmap_action_id": action.id}, headers=coordinator_h)
    assert {"name", "name_zh"} <= set(assert_error(neither, 422)["errors"])
    too_long = {**payload, "name_zh": "长" * 201}
    assert (
        "name_zh"
        in assert_error(client.post("/api/v1/indicators", json=too_long, headers=coordinator_h), 422)["errors"]
    )
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Indicator"]["properties"]
    assert "Chinese" in schema["name_zh"]["description"] and "Chinese" in schema["definition_zh"]["description"]


def test_a_chinese_reader_sees_the_chinese_name_on_the_page_the_scorecard_and_its_pdf(
    db, client, action, create_indicator
):
    action.title_zh = "化疗前检测 DPYD"
    indicator = create_indicator(name="DPYD testing", name_zh="DPYD 检测率", definition="Share", definition_zh="比例")
    page = client.get(f"/indicators/{indicator.id}", headers=ZH).get_data(as_text=True)
    assert "<h1>DPYD 检测率</h1>" in page and "<p>比例</p>" in page and "化疗前检测 DPYD" in page
    scorecard = client.get("/scorecard", headers=ZH).get_data(as_text=True)
    assert "DPYD 检测率" in scorecard and "DPYD testing" not in scorecard
    pdf = client.get("/scorecard.pdf", headers=ZH).data
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "DPYD 检测率" in text and "DPYD testing" not in text


def test_an_indicator_without_chinese_is_marked_english_original_for_a_chinese_reader(app, client, create_indicator):
    indicator = create_indicator(name="DPYD testing")
    with app.test_request_context(), force_locale("zh_Hans"):
        marker = original_marker("en")
    page = client.get(f"/indicators/{indicator.id}", headers=ZH).get_data(as_text=True)
    assert f'<h1><span lang="en">DPYD testing</span> <small class="original-language">({marker})</small></h1>' in page


def test_the_form_edits_both_languages_side_by_side(client, login, coordinator, create_indicator, db):
    indicator = create_indicator(name="DPYD testing", name_zh="DPYD 检测")
    login(client, coordinator)
    form = client.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'name="name_zh" type="text" value="DPYD 检测"' in form and 'name="definition_zh"' in form
    data = {k: str(v) for k, v in PAYLOAD.items()} | {"roadmap_action_id": str(indicator.roadmap_action_id)}
    response = client.post(f"/indicators/{indicator.id}/edit", data={**data, "name": "", "name_zh": "检测率"})
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    assert (indicator.name, indicator.name_zh) == ("", "检测率")
    refused = client.post(f"/indicators/{indicator.id}/edit", data={**data, "name": "", "name_zh": ""})
    assert refused.status_code == 422 and 'id="field-name_zh-error"' in refused.get_data(as_text=True)
