"""Workshops in two languages: `title`/`title_zh` (and description, agenda) through the API, the form, the
pages, and the calendar files, each reader seeing their language and the other one marked as fallback."""

from flask_babel import force_locale
from icalendar import Calendar

from engage.i18n import original_marker
from engage.workshops.models import AgendaItem

TITLE_ZH = "第二轮：数据交换"
ZH, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}


def _marker(app, language: str, reader: str) -> str:
    with app.test_request_context(), force_locale("zh_Hans" if reader == "zh" else "en"):
        return original_marker(language)


def test_api_round_trips_both_wordings_of_title_description_and_agenda(
    client, lead, working_group, auth_headers, workshop_payload
):
    payload = workshop_payload(
        working_group.id,
        title_zh=TITLE_ZH,
        description="Sharing health data",
        description_zh="共享健康数据",
        agenda_items=[{"title": "Welcome", "title_zh": "欢迎", "description_zh": "开场"}, {"title_zh": "讨论"}],
    )
    created = client.post("/api/v1/workshops", json=payload, headers=auth_headers(lead))
    assert created.status_code == 201, created.get_json()
    body = client.get(f"/api/v1/workshops/{created.get_json()['id']}").get_json()
    assert (body["title"], body["title_zh"]) == ("Round 2: data exchange", TITLE_ZH)
    assert (body["description"], body["description_zh"]) == ("Sharing health data", "共享健康数据")
    assert [(i["title"], i["title_zh"], i["description_zh"]) for i in body["agenda_items"]] == [
        ("Welcome", "欢迎", "开场"),
        ("", "讨论", ""),
    ]
    listed = client.get("/api/v1/workshops").get_json()["items"]
    assert listed[0]["title_zh"] == TITLE_ZH and listed[0]["agenda_items"][1]["title_zh"] == "讨论"


def test_a_workshop_with_only_a_chinese_title_is_accepted_and_one_with_neither_names_both(
    client, db, lead, working_group, auth_headers, workshop_payload, assert_error
):
    headers = auth_headers(lead)
    only_zh = client.post(
        "/api/v1/workshops", json=workshop_payload(working_group.id, title="", title_zh=TITLE_ZH), headers=headers
    )
    assert only_zh.status_code == 201 and only_zh.get_json()["title"] == ""
    neither = assert_error(
        client.post("/api/v1/workshops", json=workshop_payload(working_group.id, title=" "), headers=headers), 422
    )
    assert {"title", "title_zh"} <= set(neither["errors"])
    too_long = assert_error(
        client.post("/api/v1/workshops", json=workshop_payload(working_group.id, title_zh="长" * 201), headers=headers),
        422,
    )
    assert "title_zh" in too_long["errors"]
    workshop_id = only_zh.get_json()["id"]
    cleared = client.patch(f"/api/v1/workshops/{workshop_id}", json={"title_zh": ""}, headers=headers)
    assert "title" in assert_error(cleared, 422)["errors"]


def test_openapi_documents_the_chinese_fields(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    for name in ("Workshop", "WorkshopInput", "AgendaItem", "WorkingGroup", "Pillar"):
        zh_fields = [key for key in schemas[name]["properties"] if key.endswith("_zh")]
        assert zh_fields, name
        for key in zh_fields:
            assert "Chinese" in schemas[name]["properties"][key]["description"], (name, key)


def test_a_chinese_reader_sees_the_chinese_title_on_the_list_and_the_page(app, client, create_workshop):
    workshop = create_workshop(
        title="Data exchange", title_zh="数据交换", description="Why", description_zh="为什么",
        agenda_items=[AgendaItem(position=1, title="Welcome", title_zh="欢迎")],
    )  # fmt: skip
    page = client.get(f"/workshops/{workshop.id}", headers=ZH).get_data(as_text=True)
    assert "<h1>数据交换</h1>" in page and "为什么" in page and "<strong>欢迎</strong>" in page
    assert "Data exchange" not in page
    listing = client.get("/workshops", headers=ZH).get_data(as_text=True)
    assert "数据交换" in listing and ">Data exchange<" not in listing


def test_without_a_chinese_title_a_chinese_reader_sees_the_english_one_marked(app, client, create_workshop):
    workshop = create_workshop(title="Data exchange")
    page = client.get(f"/workshops/{workshop.id}", headers=ZH).get_data(as_text=True)
    assert (
        f'<h1><span lang="en">Data exchange</span> <small class="original-language">({_marker(app, "en", "zh")})'
        in page
    )
    assert "<title>Data exchange" in page  # the window title is plain text


def test_an_english_reader_sees_a_chinese_only_title_marked_chinese_original(app, client, create_workshop):
    workshop = create_workshop(title="", title_zh="数据交换")
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert '<span lang="zh-Hans">数据交换</span> <small class="original-language">(Chinese original)' in page


def test_the_form_edits_both_languages_side_by_side(client, login, lead, working_group, create_workshop):
    workshop = create_workshop(
        working_group, title="Data exchange", agenda_items=[AgendaItem(position=1, title="Welcome")]
    )
    login(client, lead)
    form = client.get(f"/manage/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert 'name="title"' in form and 'name="title_zh"' in form and 'name="agenda_zh"' in form
    assert form.index('name="title"') < form.index('name="title_zh"') < form.index('name="description"')
    page = client.get(f"/manage/workshops/{workshop.id}/edit")
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = {
        "csrf_token": csrf, "title": "Data exchange", "title_zh": "数据交换", "description_zh": "为什么",
        "timezone": "Europe/Rome", "starts_at": "2027-03-01T10:00", "ends_at": "2027-03-01T13:00",
        "venue": "Rome", "capacity": "10", "round": "1",
        "agenda": "Welcome | 15\nDiscussion", "agenda_zh": "欢迎 | 开场\n讨论",
    }  # fmt: skip
    response = client.post(f"/manage/workshops/{workshop.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert (workshop.title_zh, workshop.description_zh) == ("数据交换", "为什么")
    assert [(i.title, i.title_zh, i.description_zh) for i in workshop.agenda_items] == [
        ("Welcome", "欢迎", "开场"),
        ("Discussion", "讨论", ""),
    ]
    blank = client.post(f"/manage/workshops/{workshop.id}/edit", data={**data, "title": "", "title_zh": ""})
    assert blank.status_code == 422
    text = blank.get_data(as_text=True)
    assert 'id="field-title-error"' in text and 'id="field-title_zh-error"' in text


def test_the_ics_download_is_in_the_readers_language(client, create_workshop):
    workshop = create_workshop(title="Data exchange", title_zh="数据交换", description="Why", description_zh="为什么")
    [event] = Calendar.from_ical(client.get(f"/workshops/{workshop.id}.ics", headers=ZH).data).walk("VEVENT")
    assert (str(event["SUMMARY"]), str(event["DESCRIPTION"])) == ("数据交换", "为什么")
    [event] = Calendar.from_ical(client.get(f"/workshops/{workshop.id}.ics", headers=EN).data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Data exchange"


def test_a_personal_feed_is_in_its_owners_language_whoever_fetches_it(
    app, client, db, create_user, create_workshop, auth_headers
):
    from engage.participation.services import register

    reader = create_user(locale="zh")
    workshop = create_workshop(title="Data exchange", title_zh="数据交换")
    register(workshop, actor=reader)
    db.session.commit()
    path = client.post("/api/v1/me/calendar-feed", headers=auth_headers(reader)).get_json()["url"]
    path = "/" + path.split("/", 3)[3]
    calendar_app = app.test_client()  # no cookie, no account: a calendar application
    [event] = Calendar.from_ical(calendar_app.get(path).data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "数据交换"
