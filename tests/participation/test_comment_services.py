from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from engage.errors import DomainError, NotFound, PermissionDenied, ValidationError
from engage.participation.models import Comment
from engage.participation.services import (
    add_comment,
    delete_comment,
    edit_comment,
    hide_comment,
    visible_comments_query,
)
from engage.text import render_markdown
from engage.workshops.services import cancel_workshop

POSTED = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def executable_parts(html: str) -> list:
    """Tags and attributes in rendered HTML through which a browser could run script."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in ("script", "img", "iframe", "object", "embed", "svg", "style", "form", "input"):
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "src", "srcdoc"):
                found.append(f"{tag}[{name}]")
            if name == "href" and (value or "").strip().lower().split(":", 1)[0] not in ("http", "https", "mailto"):
                found.append(f"{tag}[href={value}]")
    return found


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](https://example.org/tracker.png)",
        '<a href="javascript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "[x](vbscript:msgbox(1))",
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_markdown_never_renders_executable_html(body):
    assert executable_parts(render_markdown(body)) == []


def test_markdown_keeps_formatting_and_safe_links():
    html = render_markdown("**bold** and _em_ and [site](https://example.org)\n\n# Big heading")
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert 'href="https://example.org"' in html and "nofollow" in html
    assert "<h1>" not in html and "<h3>Big heading</h3>" in html


def test_add_comment_stores_rendered_html_and_the_given_time(db, participant, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="  **Agreed**  ", now=POSTED)
    assert comment.body == "**Agreed**"
    assert comment.body_html.strip() == "<p><strong>Agreed</strong></p>"
    assert comment.created_at == POSTED


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_empty_comment_is_refused(db, participant, create_workshop, body):
    with pytest.raises(ValidationError) as exc:
        add_comment(create_workshop(), actor=participant, body=body)
    assert "body" in exc.value.errors


def test_comment_length_limit_is_the_configured_one(app, db, participant, create_workshop):
    workshop = create_workshop()
    limit = app.config["ENGAGE_COMMENT_MAX_LENGTH"]
    assert add_comment(workshop, actor=participant, body="x" * limit)
    with pytest.raises(ValidationError) as exc:
        add_comment(workshop, actor=participant, body="x" * (limit + 1))
    assert "body" in exc.value.errors


def test_comments_on_a_cancelled_workshop_are_refused(db, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group)
    cancel_workshop(workshop, actor=lead)
    with pytest.raises(DomainError) as exc:
        add_comment(workshop, actor=participant, body="Still on?")
    assert exc.value.status == 409 and exc.value.code == "workshop_cancelled"


def test_edit_within_the_window_rerenders(db, participant, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="first", now=POSTED)
    edit_comment(comment, actor=participant, body="**second**", now=POSTED + timedelta(minutes=29))
    assert comment.body == "**second**"
    assert "<strong>second</strong>" in comment.body_html
    assert comment.edited_at == POSTED + timedelta(minutes=29)


def test_edit_after_the_window_is_refused(app, db, participant, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="first", now=POSTED)
    window = timedelta(minutes=app.config["ENGAGE_COMMENT_EDIT_WINDOW_MINUTES"])
    with pytest.raises(DomainError) as exc:
        edit_comment(comment, actor=participant, body="late", now=POSTED + window + timedelta(seconds=1))
    assert exc.value.status == 409 and exc.value.code == "edit_window_closed"
    assert comment.body == "first"


def test_delete_after_the_window_is_refused(db, participant, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="first", now=POSTED)
    with pytest.raises(DomainError) as exc:
        delete_comment(comment, actor=participant, now=POSTED + timedelta(days=1))
    assert exc.value.code == "edit_window_closed"
    assert comment.deleted_at is None


def test_someone_else_cannot_edit_or_delete(db, participant, create_user, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="mine", now=POSTED)
    other = create_user()
    with pytest.raises(PermissionDenied):
        edit_comment(comment, actor=other, body="theirs", now=POSTED)
    with pytest.raises(PermissionDenied):
        delete_comment(comment, actor=other, now=POSTED)


def test_the_lead_cannot_edit_a_participants_comment(db, lead, working_group, participant, create_workshop):
    comment = add_comment(create_workshop(working_group), actor=participant, body="mine", now=POSTED)
    with pytest.raises(PermissionDenied):
        edit_comment(comment, actor=lead, body="rewritten", now=POSTED)


def test_deleted_comment_leaves_the_visible_list(db, participant, create_workshop):
    workshop = create_workshop()
    kept = add_comment(workshop, actor=participant, body="kept", now=POSTED)
    gone = add_comment(workshop, actor=participant, body="gone", now=POSTED)
    delete_comment(gone, actor=participant, now=POSTED + timedelta(minutes=1))
    assert [c.id for c in db.session.scalars(visible_comments_query(workshop_id=workshop.id))] == [kept.id]


def test_hidden_comment_keeps_text_reason_and_who_hid_it(db, lead, working_group, participant, create_workshop):
    workshop = create_workshop(working_group)
    comment = add_comment(workshop, actor=participant, body="off topic", now=POSTED)
    hide_comment(comment, actor=lead, reason="  Off topic  ", now=POSTED + timedelta(hours=1))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert (stored.body, stored.hidden_reason, stored.hidden_by_id) == ("off topic", "Off topic", lead.id)
    assert stored.hidden_at == POSTED + timedelta(hours=1)
    assert list(db.session.scalars(visible_comments_query(workshop_id=workshop.id))) == []


def test_hidden_comment_cannot_be_edited_by_its_author(db, lead, working_group, participant, create_workshop):
    comment = add_comment(create_workshop(working_group), actor=participant, body="off topic", now=POSTED)
    hide_comment(comment, actor=lead, reason="Off topic")
    with pytest.raises(NotFound):
        edit_comment(comment, actor=participant, body="back", now=POSTED)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_hiding_needs_a_reason_of_at_most_500_characters(db, lead, working_group, participant, create_workshop, reason):
    comment = add_comment(create_workshop(working_group), actor=participant, body="hm", now=POSTED)
    with pytest.raises(ValidationError) as exc:
        hide_comment(comment, actor=lead, reason=reason)
    assert "reason" in exc.value.errors
    assert comment.hidden_at is None


def test_participant_cannot_hide(db, participant, create_user, create_workshop):
    comment = add_comment(create_workshop(), actor=create_user(), body="hm", now=POSTED)
    with pytest.raises(PermissionDenied):
        hide_comment(comment, actor=participant, reason="I disagree")
    assert comment.hidden_at is None


def test_coordinator_can_hide_in_any_working_group(db, coordinator, participant, create_workshop):
    comment = add_comment(create_workshop(), actor=participant, body="hm", now=POSTED)
    hide_comment(comment, actor=coordinator, reason="Personal data")
    assert comment.hidden_by_id == coordinator.id


def test_hiding_an_already_hidden_comment_keeps_the_first_reason(db, create_workshop, create_user, lead, working_group):
    from engage.errors import DomainError
    from engage.participation.services import add_comment, hide_comment

    comment = add_comment(create_workshop(working_group), actor=create_user(), body="Off-topic")
    hide_comment(comment, actor=lead, reason="Advertising")
    with pytest.raises(DomainError) as exc:
        hide_comment(comment, actor=lead, reason="Second thoughts")
    assert exc.value.code == "already_hidden"
    assert comment.hidden_reason == "Advertising"
