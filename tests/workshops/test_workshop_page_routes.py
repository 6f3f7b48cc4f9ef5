from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from engage.auth.models import Role
from engage.timeutil import utcnow
from engage.workshops.models import Workshop, WorkshopStatus


def _workshop_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Workshop))


def _form(working_group_id, **overrides):
    form = {
        "working_group_id": str(working_group_id),
        "title": "Round 3: ELSI",
        "round": "3",
        "timezone": "Europe/Rome",
        "starts_at": "2027-03-01T10:00",
        "ends_at": "2027-03-01T13:00",
        "venue": "Rome",
        "video_url": "",
        "capacity": "20",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "agenda": "Welcome | 15\nDiscussion\n\n",
    }
    form.update(overrides)
    return form


def test_workshop_list_renders_for_anonymous(client, create_workshop):
    create_workshop(title="Big data and ICT")
    response = client.get("/workshops")
    assert response.status_code == 200
    assert "Big data and ICT" in response.get_data(as_text=True)


def test_workshop_list_hides_ended_workshops_unless_asked(client, create_workshop):
    create_workshop(title="Long over", starts_at=utcnow() - timedelta(days=3))
    assert "Long over" not in client.get("/workshops").get_data(as_text=True)
    assert "Long over" in client.get("/workshops?past=1").get_data(as_text=True)


def test_working_groups_page_renders_the_codebook(client, create_working_group):
    create_working_group(name="WG2: Big data")
    response = client.get("/working-groups")
    assert response.status_code == 200
    assert "Privacy" in response.get_data(as_text=True)


def test_detail_renders_for_anonymous_in_the_workshop_zone_named(client, create_workshop):
    workshop = create_workshop(starts_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC), timezone="Europe/Rome")
    response = client.get(f"/workshops/{workshop.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Mar 1, 2027, 10:00 (Europe/Rome)" in html
    assert "Sign in to register" in html


def test_detail_shows_times_in_the_signed_in_viewers_zone(client, login, create_user, create_workshop):
    workshop = create_workshop(starts_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC), timezone="Europe/Rome")
    login(client, create_user(timezone="Asia/Shanghai"))
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Mar 1, 2027, 17:00 (Asia/Shanghai)" in html


def test_detail_of_unknown_workshop_is_404(client):
    assert client.get("/workshops/424242").status_code == 404


def test_detail_escapes_the_title(client, create_workshop):
    workshop = create_workshop(title="<script>alert(1)</script>")
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --- create ---------------------------------------------------------------------------------------------


def test_new_workshop_page_is_forbidden_for_participants(client, login, participant, working_group):
    login(client, participant)
    assert client.get("/manage/workshops/new").status_code == 403
    assert client.post("/manage/workshops/new", data=_form(working_group.id)).status_code == 403


def test_new_workshop_page_sends_anonymous_to_login(client):
    response = client.get("/manage/workshops/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_lead_sees_the_new_workshop_form(client, login, lead):
    login(client, lead)
    assert client.get("/manage/workshops/new").status_code == 200


def test_invalid_form_is_shown_again_with_messages_and_nothing_is_created(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post(
        "/manage/workshops/new", data=_form(working_group.id, ends_at="2027-03-01T09:00", title="Kept title")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The end must be after the start." in html
    assert 'value="Kept title"' in html
    assert _workshop_count(db) == 0


def test_form_with_bad_capacity_and_zone_names_both_fields(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post("/manage/workshops/new", data=_form(working_group.id, capacity="lots"))
    assert response.status_code == 422
    assert 'id="field-capacity-error"' in response.get_data(as_text=True)
    response = client.post("/manage/workshops/new", data=_form(working_group.id, timezone="Europe/Nowhere"))
    assert response.status_code == 422
    assert 'id="field-timezone-error"' in response.get_data(as_text=True)
    assert _workshop_count(db) == 0


def test_form_with_a_bad_agenda_duration_is_shown_again(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post("/manage/workshops/new", data=_form(working_group.id, agenda="Welcome | soon"))
    assert response.status_code == 422
    assert 'id="field-agenda-error"' in response.get_data(as_text=True)
    assert _workshop_count(db) == 0


def test_lead_cannot_create_for_another_working_group_by_form(client, db, login, lead, create_working_group):
    other = create_working_group()
    login(client, lead)
    response = client.post("/manage/workshops/new", data=_form(other.id))
    assert response.status_code == 422
    assert "You can only create workshops for a working group you lead." in response.get_data(as_text=True)
    assert _workshop_count(db) == 0


def test_valid_form_creates_the_workshop_and_shows_it(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post("/manage/workshops/new", data=_form(working_group.id))
    assert response.status_code == 302
    workshop = db.session.scalars(sa.select(Workshop)).one()
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}")
    assert workshop.starts_at == datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert [(i.title, i.duration_minutes) for i in workshop.agenda_items] == [("Welcome", 15), ("Discussion", None)]


# --- edit and cancel ---------------------------------------------------------------------------------------


def test_edit_page_is_forbidden_for_another_working_groups_lead(
    client, login, create_user, create_working_group, create_workshop
):
    workshop = create_workshop(title="Theirs")
    login(client, create_user(Role.LEAD, leads=create_working_group()))
    assert client.get(f"/manage/workshops/{workshop.id}/edit").status_code == 403
    assert client.post(f"/manage/workshops/{workshop.id}/edit", data={"title": "Mine now"}).status_code == 403


def test_edit_page_reschedules_and_bumps_sequence(client, db, login, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    login(client, lead)
    assert client.get(f"/manage/workshops/{workshop.id}/edit").status_code == 200
    form = _form(working_group.id, starts_at="2027-05-01T10:00", ends_at="2027-05-01T12:00")
    del form["working_group_id"]
    response = client.post(f"/manage/workshops/{workshop.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Workshop, workshop.id)
    assert edited.starts_at == datetime(2027, 5, 1, 8, 0, tzinfo=UTC)
    assert edited.sequence == 1


def test_invalid_edit_is_shown_again_and_changes_nothing(client, db, login, lead, working_group, create_workshop):
    workshop = create_workshop(working_group, capacity=10)
    login(client, lead)
    response = client.post(f"/manage/workshops/{workshop.id}/edit", data={"capacity": "0"})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).capacity == 10


def test_cancel_page_route_is_forbidden_for_another_working_groups_lead(
    client, db, login, create_user, create_working_group, create_workshop
):
    workshop = create_workshop()
    login(client, create_user(Role.LEAD, leads=create_working_group()))
    assert client.post(f"/manage/workshops/{workshop.id}/cancel").status_code == 403
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status is WorkshopStatus.SCHEDULED


def test_cancel_page_route_cancels_for_the_lead(client, db, login, lead, working_group, create_workshop):
    workshop = create_workshop(working_group)
    login(client, lead)
    response = client.post(f"/manage/workshops/{workshop.id}/cancel")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status is WorkshopStatus.CANCELLED
    assert "This workshop has been cancelled." in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_page_ids_out_of_range_are_404(client, login, lead):
    login(client, lead)
    assert client.get("/workshops/99999999999999999999").status_code == 404
    assert client.get("/manage/workshops/99999999999999999999/edit").status_code == 404
    assert client.post("/manage/workshops/99999999999999999999/cancel").status_code == 404


def test_editing_from_the_page_keeps_agenda_descriptions_and_can_clear_dates(
    client, db, login, lead, working_group, create_workshop
):
    from engage.workshops.models import AgendaItem

    workshop = create_workshop(
        working_group,
        registration_closes_at=utcnow() + timedelta(days=5),
        agenda_items=[AgendaItem(position=1, title="Welcome", duration_minutes=15, description="Aims of the day")],
    )
    login(client, lead)
    page = client.get(f"/manage/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert "Welcome | 15 | Aims of the day" in page
    # The lead changes only the title and empties the closing date; the agenda box is sent back as shown.
    agenda_box = page.split('name="agenda"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    form = _form(working_group.id, title="Renamed", agenda=agenda_box, registration_closes_at="")
    del form["working_group_id"]
    assert client.post(f"/manage/workshops/{workshop.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    edited = db.session.get(Workshop, workshop.id)
    assert edited.title == "Renamed"
    assert [(i.title, i.duration_minutes, i.description) for i in edited.agenda_items] == [
        ("Welcome", 15, "Aims of the day")
    ]
    assert edited.registration_closes_at is None


def test_one_submission_shows_all_its_errors_at_once(client, db, login, lead, working_group):
    """A type error (capacity) and a rule of the service (the end before the start) in one post: both
    messages come back together, each tied to its field, and nothing is created."""
    login(client, lead)
    response = client.post(
        "/manage/workshops/new", data=_form(working_group.id, capacity="lots", ends_at="2027-03-01T09:00")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-capacity-error"' in html and "Enter a whole number." in html
    assert 'id="field-ends_at-error"' in html and "The end must be after the start." in html
    assert _workshop_count(db) == 0
