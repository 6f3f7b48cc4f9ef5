"""Consultations in two languages: title and document per language through the API and the form (each
document sanitised into its own HTML), the page in the reader's language with the other marked, and the
opening notice's title in each recipient's language."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from engage.consultations.jobs import run_due_consultation_notices
from engage.consultations.models import Audience, Consultation
from engage.i18n import original_marker
from engage.notifications.models import Notification
from engage.notifications.services import render
from engage.timeutil import utcnow

ZH = {"Accept-Language": "zh-CN"}


def _payload(working_group, **kw):
    now = utcnow().replace(tzinfo=None, microsecond=0)
    return {
        "working_group_id": working_group.id, "title": "Draft priorities", "body": "Read *this*.",
        "timezone": "Europe/Rome", "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=5)).isoformat(), "audience": "working_group", **kw,
    }  # fmt: skip


def test_api_round_trips_both_wordings_and_sanitises_the_chinese_document(
    client, lead, working_group, auth_headers, assert_error
):
    headers = auth_headers(lead)
    payload = _payload(working_group, title_zh="优先事项草案", body_zh="请阅读**这份**文件。<script>x()</script>")
    created = client.post("/api/v1/consultations", json=payload, headers=headers)
    body = created.get_json()
    assert created.status_code == 201, body
    assert (body["title_zh"], body["body_zh"]) == ("优先事项草案", "请阅读**这份**文件。<script>x()</script>")
    assert "<strong>这份</strong>" in body["body_html_zh"] and "<script>" not in body["body_html_zh"]
    again = client.get(f"/api/v1/consultations/{body['id']}", headers=headers).get_json()
    assert again["title_zh"] == "优先事项草案" and again["body_html"] == body["body_html"]
    only_zh = client.post(
        "/api/v1/consultations",
        json=_payload(working_group, title="", body="", title_zh="草案", body_zh="文件"),
        headers=headers,
    )
    assert only_zh.status_code == 201, only_zh.get_json()
    neither = client.post("/api/v1/consultations", json=_payload(working_group, title="", body=""), headers=headers)
    assert {"title", "title_zh", "body", "body_zh"} <= set(assert_error(neither, 422)["errors"])
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Consultation"]["properties"]
    assert all("Chinese" in schema[key]["description"] for key in ("title_zh", "body_zh", "body_html_zh"))


def test_a_chinese_reader_sees_the_chinese_document_and_an_english_only_one_marked(
    app, client, login, create_user, create_consultation
):
    reader = create_user(locale="zh")
    login(client, reader)
    both = create_consultation(
        title="Draft", title_zh="草案", body="Read.", body_zh="请阅读。", audience=Audience.EVERYONE
    )
    english = create_consultation(title="English only", body="Only *English*.", audience=Audience.EVERYONE)
    page = client.get(f"/consultations/{both.id}", headers=ZH).get_data(as_text=True)
    assert "<h1>草案</h1>" in page and "<p>请阅读。</p>" in page and "Read." not in page
    with app.test_request_context(), force_locale("zh_Hans"):
        marker = original_marker("en")
    page = client.get(f"/consultations/{english.id}", headers=ZH).get_data(as_text=True)
    assert f'<h1><span lang="en">English only</span> <small class="original-language">({marker})</small></h1>' in page
    assert (
        f'<div lang="en"><p><small class="original-language">({marker})</small></p><p>Only <em>English</em>.</p>'
        in page
    )
    listing = client.get("/consultations", headers=ZH).get_data(as_text=True)
    assert "草案" in listing


def test_the_form_takes_both_languages_side_by_side(client, db, login, lead, working_group):
    login(client, lead)
    form = client.get("/consultations/new").get_data(as_text=True)
    assert 'name="title_zh"' in form and 'name="body_zh"' in form
    now = utcnow().replace(tzinfo=None, microsecond=0)
    data = {
        "working_group_id": str(working_group.id), "title": "", "title_zh": "草案", "body_zh": "**请**评论",
        "timezone": "Asia/Shanghai", "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"), "audience": "working_group",
    }  # fmt: skip
    response = client.post("/consultations/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert (consultation.title_zh, consultation.body_html_zh) == ("草案", "<p><strong>请</strong>评论</p>\n")
    refused = client.post("/consultations/new", data={**data, "title_zh": "", "body_zh": ""})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="field-title_zh-error"' in text and 'id="field-body_zh-error"' in text


def test_the_opening_notice_carries_the_title_in_the_recipients_language(
    db, create_user, create_consultation, working_group, create_workshop
):
    from engage.participation.models import Registration, RegistrationStatus

    chinese, english = create_user(locale="zh"), create_user(locale="en")
    workshop = create_workshop(working_group)
    for person in (chinese, english):
        db.session.add(Registration(workshop=workshop, user=person, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    c = create_consultation(title="Draft", title_zh="草案", opens_in=timedelta(hours=1))
    run_due_consultation_notices(c.opens_at)
    notices = {n.user_id: render(n) for n in db.session.scalars(sa.select(Notification)).all()}
    assert "草案" in notices[chinese.id].subject and "草案" in notices[chinese.id].body_text
    assert "Draft" not in notices[chinese.id].subject
    assert "Draft" in notices[english.id].subject and "草案" not in notices[english.id].body_text
