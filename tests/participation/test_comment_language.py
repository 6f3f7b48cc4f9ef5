"""Participants' own text keeps the language it was written in: each comment stores the language its author
wrote it under, the API returns it, and pages mark the comment body with it whoever reads it."""

from datetime import timedelta

from engage.i18n import in_language
from engage.timeutil import utcnow

ZH, EN = {"Accept-Language": "zh-CN"}, {"Accept-Language": "en"}


def test_a_workshop_comment_keeps_its_language_in_the_api_and_on_the_page(
    client, login, create_user, participant, create_workshop, auth_headers
):
    workshop = create_workshop()
    url = f"/api/v1/workshops/{workshop.id}/comments"
    chinese = client.post(url, json={"body": "我同意"}, headers={**auth_headers(participant), **ZH})
    assert chinese.status_code == 201 and chinese.get_json()["language"] == "zh"
    english = client.post(url, json={"body": "I agree"}, headers={**auth_headers(participant), **EN})
    assert english.get_json()["language"] == "en"
    listed = client.get(url, headers=auth_headers(participant)).get_json()["items"]
    assert {c["body"]: c["language"] for c in listed} == {"我同意": "zh", "I agree": "en"}
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Comment"]["properties"]
    assert "language" in schema["language"]["description"]

    login(client, create_user(locale="en"))
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert '<div class="comment-body" lang="zh-Hans"><p>我同意</p>' in page
    assert '<div class="comment-body" lang="en"><p>I agree</p>' in page


def test_a_comment_posted_from_a_chinese_page_is_marked_chinese_for_an_english_reader(
    app, client, login, create_user, create_workshop
):
    workshop = create_workshop()
    login(client, create_user(locale="zh"))
    client.post(f"/workshops/{workshop.id}/comments", data={"body": "很好"})
    reader = app.test_client()
    login(reader, create_user(locale="en"))
    page = reader.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert '<html lang="en">' in page and '<div class="comment-body" lang="zh-Hans"><p>很好</p>' in page


def test_a_consultation_comment_returns_its_language(client, db, lead, working_group, participant, auth_headers):
    from engage.consultations.models import Audience
    from engage.consultations.services import create_consultation

    now = utcnow().replace(microsecond=0, tzinfo=None)
    consultation = create_consultation(
        actor=lead,
        data={
            "working_group_id": working_group.id, "title": "Draft", "body": "Read.", "timezone": "UTC",
            "opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=3), "audience": Audience.EVERYONE,
        },
    )  # fmt: skip
    db.session.commit()
    response = client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        json={"body": "请考虑农村地区"},
        headers={**auth_headers(participant), **ZH},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["language"] == "zh"


def test_a_minutes_comment_keeps_its_language(app, db, lead, participant, create_workshop, working_group):
    from engage.minutes import services
    from engage.participation.models import Registration, RegistrationStatus

    workshop = create_workshop(working_group, starts_at=utcnow().replace(microsecond=0) - timedelta(days=2))
    db.session.add(Registration(workshop=workshop, user=participant, status=RegistrationStatus.ATTENDED))
    minutes = services.start_minutes(workshop, actor=lead)
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=3))
    with app.test_request_context(), in_language("zh"):
        comment = services.add_comment(minutes, actor=participant, body="第二节需要修改")
    assert comment.language == "zh"
