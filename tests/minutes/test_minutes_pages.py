"""Minutes pages: editor, lifecycle buttons, comments, versions, PDF links, the priority's trace."""

import re
from datetime import timedelta

import pytest

from engage.auth.models import Role
from engage.minutes import services
from engage.minutes.models import MinutesStatus
from engage.timeutil import to_zone, utcnow


@pytest.fixture
def lead_client(client, login, lead):
    return login(client, lead)


def _editor_form(minutes, **sections):
    data = {"revision": str(minutes.revision), "section_count": str(len(minutes.sections))}
    for i, section in enumerate(minutes.sections):
        data[f"title-{i}"] = section.title
        data[f"agenda-{i}"] = str(section.agenda_item_id or "")
    for key, value in sections.items():
        data[key.replace("_", "-")] = value
    return data


def _local_deadline(workshop, days=5):
    return to_zone(utcnow() + timedelta(days=days), workshop.timezone).strftime("%Y-%m-%dT%H:%M")


def test_lead_starts_and_edits_minutes_with_a_priority_link(lead_client, workshop, make_priority, db):
    priority = make_priority()
    assert "Start the minutes" in lead_client.get(f"/workshops/{workshop.id}/minutes").get_data(as_text=True)
    response = lead_client.post(f"/workshops/{workshop.id}/minutes/start")
    assert response.status_code == 303 and response.location.endswith(f"/workshops/{workshop.id}/minutes/edit")
    minutes = services.minutes_of(workshop)
    form = _editor_form(
        minutes,
        discussion_1=f"See [[P-{priority.id}]].",
        decisions_1="Adopt it\nReview yearly",
        actions_1="Draft template | 王丽 | 2027-01-31 | in_progress",
    )
    assert lead_client.post(f"/workshops/{workshop.id}/minutes/edit", data=form).status_code == 303
    page = lead_client.get(f"/workshops/{workshop.id}/minutes").get_data(as_text=True)
    assert f'/priorities/{priority.id}/trace"' in page and f">P-{priority.id}</a>" in page
    assert "Review yearly" in page and "王丽" in page and "in progress" in page


def test_editor_shows_unknown_reference_under_its_section_and_keeps_the_text(lead_client, workshop, lead, db):
    services.start_minutes(workshop, actor=lead)
    db.session.commit()
    minutes = services.minutes_of(workshop)
    form = _editor_form(minutes, discussion_1="Typo [[P-77777]] here")
    response = lead_client.post(f"/workshops/{workshop.id}/minutes/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="field-discussion-1-error"' in page and "[[P-77777]]" in page
    assert "Typo [[P-77777]] here</textarea>" in page
    db.session.expire_all()
    assert services.minutes_of(workshop).sections[1].discussion == ""


def test_editor_is_for_editors_only(client, login, workshop, lead, participant, db, attend):
    services.start_minutes(workshop, actor=lead)
    db.session.commit()
    attend(workshop, participant)
    login(client, participant)
    assert client.get(f"/workshops/{workshop.id}/minutes/edit").status_code == 403
    assert client.post(f"/workshops/{workshop.id}/minutes/edit", data={"section_count": "0"}).status_code == 403
    assert client.post(f"/workshops/{workshop.id}/minutes/start").status_code == 403
    assert client.get(f"/workshops/{workshop.id}/minutes").status_code == 404  # a draft is private


def test_lifecycle_buttons_and_participant_comments(client, login, workshop, lead, participant, attend, db, app):
    services.start_minutes(workshop, actor=lead)
    db.session.commit()
    attend(workshop, participant)
    login(client, lead)
    url = f"/workshops/{workshop.id}/minutes"
    assert client.post(f"{url}/circulate", data={"comment_deadline_at": "soon"}).status_code == 422
    assert client.post(f"{url}/circulate", data={"comment_deadline_at": "0001-01-01T00:00"}).status_code == 422
    assert services.minutes_of(workshop).status is MinutesStatus.DRAFT
    response = client.post(f"{url}/circulate", data={"comment_deadline_at": _local_deadline(workshop)})
    assert response.status_code == 303
    client.post("/logout")

    with app.test_client() as other:
        login(other, participant)
        page = other.get(url).get_data(as_text=True)
        assert "Comments on the draft" in page and "(Europe/Rome)" in page
        assert other.post(f"{url}/comments", data={"body": ""}).status_code == 422
        assert other.post(f"{url}/comments", data={"body": "Please add the EU view"}).status_code == 303
        assert "Please add the EU view" in other.get(url).get_data(as_text=True)
        assert other.post(f"{url}/approve").status_code == 403
        assert other.post(f"{url}/editors", data={"user_ids": [str(participant.id)]}).status_code == 403

    login(client, lead)
    assert client.post(f"{url}/approve", data={"change_note": "first"}).status_code == 303
    assert client.post(f"{url}/approve").status_code == 422  # already approved
    assert client.post(f"{url}/publish").status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Download PDF (version 1)" in page and "(published)" in page


def test_public_visitors_see_only_the_published_version(client, login, workshop, lead, db, document, make_priority):
    minutes = services.start_minutes(workshop, actor=lead)
    services.save_minutes(minutes, actor=lead, data=document(p=make_priority().id))
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    services.approve(minutes, actor=lead)
    db.session.commit()
    url = f"/workshops/{workshop.id}/minutes"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/versions/1").status_code == 404
    services.publish(minutes, actor=lead)
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302 and response.location.endswith(f"{url}/versions/1")
    page = client.get(f"{url}/versions/1").get_data(as_text=True)
    assert "Version 1, approved" in page and minutes.versions[0].content_hash in page
    pdf = client.get(f"{url}/versions/1/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"{url}/versions/2").status_code == 404


def test_note_takers_page_form(client, login, workshop, lead, participant, db):
    services.start_minutes(workshop, actor=lead)
    db.session.commit()
    login(client, lead)
    url = f"/workshops/{workshop.id}/minutes/editors"
    assert client.post(url, data={"user_ids": ["999999"]}).status_code == 422
    assert client.post(url, data={"user_ids": [str(participant.id)]}).status_code == 303
    assert [e.id for e in services.minutes_of(workshop).editors] == [participant.id]


def test_priority_trace_page_lists_linked_minutes(
    client, login, workshop, lead, db, document, make_priority, create_user
):
    priority = make_priority()
    minutes = services.start_minutes(workshop, actor=lead)
    services.save_minutes(minutes, actor=lead, data=document(p=priority.id))
    db.session.commit()
    login(client, create_user())
    page = client.get(f"/priorities/{priority.id}/trace").get_data(as_text=True)
    assert "Not linked from any minutes you can read." in page  # a draft
    client.post("/logout")
    login(client, lead)
    page = client.get(f"/priorities/{priority.id}/trace").get_data(as_text=True)
    assert "Round 1: data exchange" in page and "decision" in page and "85.0 % agreement" in page
    assert client.get("/priorities/999999/trace").status_code == 404


def test_pages_need_sign_in_for_changes(client, workshop):
    url = f"/workshops/{workshop.id}/minutes"
    assert client.post(f"{url}/start").status_code == 302
    assert client.get(f"{url}/edit").status_code == 302
    assert client.get(url).status_code == 404
    assert client.get("/workshops/999999/minutes").status_code == 404


def test_coordinator_may_manage_any_minutes(client, login, workshop, create_user):
    login(client, create_user(Role.COORDINATOR))
    assert client.post(f"/workshops/{workshop.id}/minutes/start").status_code == 303


def test_trace_page_renders_markdown_and_priority_links(lead_client, workshop, lead, db, make_priority):
    priority = make_priority()
    minutes = services.start_minutes(workshop, actor=lead)
    document = {
        "revision": minutes.revision,
        "sections": [
            {"title": s.title, "agenda_item_id": s.agenda_item_id, "discussion": "", "decisions": [], "actions": []}
            for s in minutes.sections
        ],
    }
    document["sections"][0]["discussion"] = f"We **agreed** to pursue [[P-{priority.id}]]."
    services.save_minutes(minutes, actor=lead, data=document)
    db.session.commit()
    page = lead_client.get(f"/priorities/{priority.id}/trace").get_data(as_text=True)
    trace = page.split('id="minutes-links"')[1].split("</ul>")[0]
    assert "<strong>agreed</strong>" in trace and "**agreed**" not in trace
    assert re.search(rf'href="[^"]*/priorities/{priority.id}/trace"[^>]*>P-{priority.id}</a>', trace)
    assert f"[[P-{priority.id}]]" not in trace


def test_approve_button_of_an_upcoming_workshop_says_why_it_is_refused(
    client, login, create_workshop, working_group, lead, db
):
    upcoming = create_workshop(working_group, starts_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    minutes = services.start_minutes(upcoming, actor=lead)
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    db.session.commit()
    login(client, lead)
    response = client.post(f"/workshops/{upcoming.id}/minutes/approve", data={"change_note": "early"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Minutes are approved once the workshop has taken place. The workshop starts on" in page
    assert services.minutes_of(upcoming).status is MinutesStatus.CIRCULATED
