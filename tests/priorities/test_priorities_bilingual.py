"""Priorities in two languages: `text_zh` beside `text` in the API, rewording either audited, the edit form
side by side, and the priority pages in the reader's language with the other one marked."""

from flask_babel import force_locale

from engage.i18n import original_marker

ZH = {"Accept-Language": "zh-CN"}


def test_the_api_rewords_each_language_audited_and_keeps_one(client, lead, priority, auth_headers, assert_error):
    headers = auth_headers(lead)
    url = f"/api/v1/priorities/{priority.id}"
    body = client.patch(url, json={"text_zh": "提高数字健康素养", "reason": "Chinese wording"}, headers=headers)
    assert body.status_code == 200, body.get_json()
    data = body.get_json()
    assert (data["text"], data["text_zh"]) == ("Promote digital health literacy", "提高数字健康素养")
    assert [(e["field"], e["old_value"], e["new_value"]) for e in data["edits"]] == [
        ("text_zh", "", "提高数字健康素养")
    ]
    assert client.patch(url, json={"text": "", "reason": "Chinese only"}, headers=headers).get_json()["text"] == ""
    refused = client.patch(url, json={"text_zh": "", "reason": "Nothing left"}, headers=headers)
    assert {"text", "text_zh"} <= set(assert_error(refused, 422)["errors"])
    assert client.get(url, headers=headers).get_json()["text_zh"] == "提高数字健康素养"
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Priority"]["properties"]
    assert "Chinese" in schema["text_zh"]["description"]


def test_a_chinese_reader_sees_the_chinese_wording_and_an_untranslated_one_marked(
    app, client, db, login, create_user, priority
):
    login(client, create_user(locale="zh"))
    with app.test_request_context(), force_locale("zh_Hans"):
        marker = original_marker("en")
    page = client.get("/priorities", headers=ZH).get_data(as_text=True)
    assert f'<span lang="en">Promote digital health literacy</span> <small class="original-language">({marker})' in page
    priority.text_zh = "提高数字健康素养"
    db.session.commit()
    page = client.get("/priorities", headers=ZH).get_data(as_text=True)
    assert "提高数字健康素养" in page
    trace = client.get(f"/priorities/{priority.id}/trace", headers=ZH)
    assert f"<h1>P-{priority.id}: 提高数字健康素养</h1>" in trace.get_data(as_text=True)


def test_the_edit_form_has_both_wordings_side_by_side(client, login, lead, priority):
    login(client, lead)
    page = client.get("/priorities").get_data(as_text=True)
    assert f'id="text-{priority.id}" name="text"' in page and f'id="text-{priority.id}_zh" name="text_zh"' in page
    response = client.post(
        f"/priorities/{priority.id}/edit", data={"text": priority.text, "text_zh": "提高数字健康素养", "reason": "zh"}
    )
    assert response.status_code == 302
    assert priority.text_zh == "提高数字健康素养" and priority.edits[-1].field == "text_zh"
