from datetime import timedelta

import pytest

from engage.auth.models import Role
from engage.participation.models import Comment
from engage.participation.services import add_comment
from engage.timeutil import utcnow
from engage.workshops.services import cancel_workshop


def _url(workshop, comment_id=None, suffix=""):
    base = f"/api/v1/workshops/{workshop.id}/comments"
    return (base if comment_id is None else f"{base}/{comment_id}") + suffix


def _post(client, workshop, headers, body):
    return client.post(_url(workshop), json={"body": body}, headers=headers)


def _visible_bodies(client, workshop, headers):
    return [c["body"] for c in client.get(_url(workshop), headers=headers).get_json()["items"]]


def test_post_comment_renders_markdown(client, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    response = _post(client, workshop, auth_headers(participant), "This is **bold**")
    assert response.status_code == 201
    body = response.get_json()
    assert "<strong>bold</strong>" in body["body_html"]
    assert body["author"] == {"id": participant.id, "display_name": "Pat Participant"}
    assert body["edited_at"] is None


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("[x](javascript:alert(1))", 'href="javascript'),
    ],
)
def test_posted_html_and_script_links_are_not_executable(
    client, participant, create_workshop, auth_headers, text, forbidden
):
    workshop = create_workshop()
    html = _post(client, workshop, auth_headers(participant), text).get_json()["body_html"]
    assert forbidden not in html.lower()
    assert "<a " not in html


def test_comment_over_the_configured_length_is_422(
    app, client, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    limit = app.config["ENGAGE_COMMENT_MAX_LENGTH"]
    body = assert_error(_post(client, workshop, auth_headers(participant), "x" * (limit + 1)), 422)
    assert "body" in body["errors"]
    assert _post(client, workshop, auth_headers(participant), "x" * limit).status_code == 201


@pytest.mark.parametrize("text", ["", "    ", "\n\n"])
def test_empty_comment_is_422(client, participant, create_workshop, auth_headers, assert_error, text):
    workshop = create_workshop()
    body = assert_error(_post(client, workshop, auth_headers(participant), text), 422)
    assert "body" in body["errors"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {}},
        {"json": {"body": None}},
        {"json": {"body": 42}},
        {"json": {"body": ["a"]}},
        {"json": ["body"]},
        {"json": "just a string"},
        {"data": "body=hello", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"json": {"body": "x" * 30000}},
    ],
)
def test_malformed_comment_bodies_are_422(client, db, participant, create_workshop, auth_headers, assert_error, kwargs):
    workshop = create_workshop()
    assert_error(client.post(_url(workshop), headers=auth_headers(participant), **kwargs), 422)
    assert db.session.query(Comment).count() == 0


def test_anonymous_cannot_post_or_read_comments(client, create_workshop, assert_error):
    workshop = create_workshop()
    assert_error(client.post(_url(workshop), json={"body": "hi"}), 401)
    assert_error(client.get(_url(workshop)), 401)


def test_comments_on_a_cancelled_workshop_are_409(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop(working_group)
    cancel_workshop(workshop, actor=lead)
    db.session.commit()
    body = assert_error(_post(client, workshop, auth_headers(participant), "Still on?"), 409, "workshop_cancelled")
    assert "cancelled" in body["message"]


def test_comment_on_unknown_workshop_is_404(client, participant, auth_headers, assert_error):
    assert_error(
        client.post("/api/v1/workshops/424242/comments", json={"body": "hi"}, headers=auth_headers(participant)), 404
    )


def test_list_is_paginated_in_posting_order(client, db, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    start = utcnow() - timedelta(minutes=10)
    for n in range(5):
        add_comment(workshop, actor=participant, body=f"c{n}", now=start + timedelta(seconds=n))
    db.session.commit()
    body = client.get(_url(workshop) + "?per_page=2&page=3", headers=auth_headers(participant)).get_json()
    assert [c["body"] for c in body["items"]] == ["c4"]
    assert body["meta"] == {"page": 3, "per_page": 2, "total": 5, "pages": 3}


def test_comments_of_other_workshops_are_not_listed(client, db, participant, create_workshop, auth_headers):
    workshop, other = create_workshop(), create_workshop()
    add_comment(other, actor=participant, body="elsewhere")
    db.session.commit()
    assert _visible_bodies(client, workshop, auth_headers(participant)) == []


# --- edit and delete ------------------------------------------------------------------------------------------


def test_author_edits_within_the_window(client, participant, create_workshop, auth_headers):
    workshop = create_workshop()
    headers = auth_headers(participant)
    comment = _post(client, workshop, headers, "first").get_json()
    response = client.patch(_url(workshop, comment["id"]), json={"body": "*second*"}, headers=headers)
    assert response.status_code == 200
    assert "<em>second</em>" in response.get_json()["body_html"]
    assert response.get_json()["edited_at"] is not None
    assert _visible_bodies(client, workshop, headers) == ["*second*"]


def test_edit_after_the_window_is_409_edit_window_closed(
    app, client, db, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    window = app.config["ENGAGE_COMMENT_EDIT_WINDOW_MINUTES"]
    comment = add_comment(workshop, actor=participant, body="old", now=utcnow() - timedelta(minutes=window, seconds=30))
    db.session.commit()
    headers = auth_headers(participant)
    assert_error(
        client.patch(_url(workshop, comment.id), json={"body": "new"}, headers=headers), 409, "edit_window_closed"
    )
    assert_error(client.delete(_url(workshop, comment.id), headers=headers), 409, "edit_window_closed")
    assert _visible_bodies(client, workshop, headers) == ["old"]


def test_someone_elses_comment_cannot_be_edited_or_deleted(
    client, db, participant, create_user, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=create_user(), body="theirs")
    db.session.commit()
    headers = auth_headers(participant)
    assert_error(client.patch(_url(workshop, comment.id), json={"body": "mine"}, headers=headers), 403)
    assert_error(client.delete(_url(workshop, comment.id), headers=headers), 403)
    assert _visible_bodies(client, workshop, headers) == ["theirs"]


def test_author_deletes_own_comment_and_it_leaves_the_list(
    client, participant, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    headers = auth_headers(participant)
    comment = _post(client, workshop, headers, "oops").get_json()
    response = client.delete(_url(workshop, comment["id"]), headers=headers)
    assert response.status_code == 204
    assert _visible_bodies(client, workshop, headers) == []
    assert_error(client.patch(_url(workshop, comment["id"]), json={"body": "x"}, headers=headers), 404)


def test_comment_of_another_workshop_is_404(client, db, participant, create_workshop, auth_headers, assert_error):
    workshop, other = create_workshop(), create_workshop()
    comment = add_comment(other, actor=participant, body="elsewhere")
    db.session.commit()
    assert_error(client.patch(_url(workshop, comment.id), json={"body": "x"}, headers=auth_headers(participant)), 404)


@pytest.mark.parametrize("comment_id", ["0", "424242", "2147483648", "99999999999999999999"])
def test_comment_ids_out_of_range_are_404(client, participant, create_workshop, auth_headers, assert_error, comment_id):
    workshop = create_workshop()
    headers = auth_headers(participant)
    url = f"{_url(workshop)}/{comment_id}"
    assert_error(client.patch(url, json={"body": "x"}, headers=headers), 404)
    assert_error(client.delete(url, headers=headers), 404)
    assert_error(client.post(url + "/hide", json={"reason": "x"}, headers=headers), 404)


def test_patch_with_empty_body_is_422(client, participant, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    headers = auth_headers(participant)
    comment = _post(client, workshop, headers, "first").get_json()
    assert_error(client.patch(_url(workshop, comment["id"]), json={"body": "  "}, headers=headers), 422)
    assert_error(client.patch(_url(workshop, comment["id"]), json=[], headers=headers), 422)
    assert _visible_bodies(client, workshop, headers) == ["first"]


# --- hide ----------------------------------------------------------------------------------------------------


def test_lead_hides_with_reason_and_the_row_keeps_the_audit(
    client, db, lead, working_group, participant, create_workshop, auth_headers
):
    workshop = create_workshop(working_group)
    comment = add_comment(workshop, actor=participant, body="Off-topic advertising")
    db.session.commit()
    response = client.post(
        _url(workshop, comment.id, "/hide"), json={"reason": "Advertising"}, headers=auth_headers(lead)
    )
    assert response.status_code == 204
    assert _visible_bodies(client, workshop, auth_headers(participant)) == []
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert (stored.body, stored.hidden_reason, stored.hidden_by_id) == ("Off-topic advertising", "Advertising", lead.id)
    assert stored.hidden_at is not None


def test_participant_cannot_hide(client, db, participant, create_user, create_workshop, auth_headers, assert_error):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=create_user(), body="I disagree with you")
    db.session.commit()
    assert_error(
        client.post(_url(workshop, comment.id, "/hide"), json={"reason": "Rude"}, headers=auth_headers(participant)),
        403,
    )
    assert _visible_bodies(client, workshop, auth_headers(participant)) == ["I disagree with you"]


def test_other_working_group_lead_cannot_hide(
    client, db, participant, create_user, create_working_group, create_workshop, auth_headers, assert_error
):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=participant, body="hello")
    db.session.commit()
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    assert_error(
        client.post(_url(workshop, comment.id, "/hide"), json={"reason": "x"}, headers=auth_headers(other_lead)), 403
    )


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}, {"reason": "x" * 501}])
def test_hide_without_a_reason_is_422(
    client, db, lead, working_group, participant, create_workshop, auth_headers, assert_error, payload
):
    workshop = create_workshop(working_group)
    comment = add_comment(workshop, actor=participant, body="hello")
    db.session.commit()
    body = assert_error(client.post(_url(workshop, comment.id, "/hide"), json=payload, headers=auth_headers(lead)), 422)
    assert "reason" in body["errors"]
    assert _visible_bodies(client, workshop, auth_headers(participant)) == ["hello"]


def test_anonymous_cannot_hide(client, db, participant, create_workshop, assert_error):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=participant, body="hello")
    db.session.commit()
    assert_error(client.post(_url(workshop, comment.id, "/hide"), json={"reason": "x"}), 401)
