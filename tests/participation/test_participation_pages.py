import csv
import io

import sqlalchemy as sa

from engage.auth.models import Role
from engage.participation.models import Comment, Registration, RegistrationStatus
from engage.participation.services import add_comment, register


def _registration_of(db, workshop, user):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user.id)
    )


def test_signed_in_register_redirects_to_the_workshop_and_registers(client, db, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    response = client.post(f"/workshops/{workshop.id}/register")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/workshops/{workshop.id}")
    assert _registration_of(db, workshop, participant).status is RegistrationStatus.CONFIRMED
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Your seat is confirmed." in html


def test_register_page_when_full_puts_you_on_the_waiting_list(
    client, db, login, participant, create_user, create_workshop
):
    workshop = create_workshop(capacity=1)
    register(workshop, actor=create_user())
    db.session.commit()
    login(client, participant)
    response = client.post(f"/workshops/{workshop.id}/register", follow_redirects=True)
    assert "waiting list at position 1" in response.get_data(as_text=True)
    assert _registration_of(db, workshop, participant).status is RegistrationStatus.WAITLISTED


def test_registering_twice_by_page_shows_the_reason(client, db, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    client.post(f"/workshops/{workshop.id}/register")
    response = client.post(f"/workshops/{workshop.id}/register", follow_redirects=True)
    assert "You are already registered for this workshop." in response.get_data(as_text=True)


def test_anonymous_register_is_sent_to_login(client, db, create_workshop):
    workshop = create_workshop()
    response = client.post(f"/workshops/{workshop.id}/register")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_cancel_by_page_promotes_the_waiting_list(client, db, login, participant, create_user, create_workshop):
    workshop = create_workshop(capacity=1)
    mine = register(workshop, actor=participant)
    waiting_user = create_user()
    register(workshop, actor=waiting_user)
    db.session.commit()
    login(client, participant)
    assert client.post(f"/workshops/{workshop.id}/registrations/{mine.id}/cancel").status_code == 302
    assert _registration_of(db, workshop, waiting_user).status is RegistrationStatus.CONFIRMED


def test_participant_cannot_cancel_someone_elses_registration_by_page(
    client, db, login, participant, create_user, create_workshop
):
    workshop = create_workshop()
    owner = create_user()
    theirs = register(workshop, actor=owner)
    db.session.commit()
    login(client, participant)
    assert client.post(f"/workshops/{workshop.id}/registrations/{theirs.id}/cancel").status_code == 404
    assert _registration_of(db, workshop, owner).status is RegistrationStatus.CONFIRMED


def test_comment_by_page_is_shown_sanitised(client, db, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    client.post(f"/workshops/{workshop.id}/comments", data={"body": "**yes** <script>alert(1)</script>"})
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "<strong>yes</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_empty_comment_by_page_is_refused_with_a_message(client, db, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    response = client.post(f"/workshops/{workshop.id}/comments", data={"body": "  "}, follow_redirects=True)
    assert "Write a comment first." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_someone_elses_comment_cannot_be_edited_by_page(client, db, login, participant, create_user, create_workshop):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=create_user(), body="theirs")
    db.session.commit()
    login(client, participant)
    response = client.post(f"/workshops/{workshop.id}/comments/{comment.id}/edit", data={"body": "mine"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "theirs"


def test_participant_cannot_hide_by_page(client, db, login, participant, create_user, create_workshop):
    workshop = create_workshop()
    comment = add_comment(workshop, actor=create_user(), body="hello")
    db.session.commit()
    login(client, participant)
    assert client.post(f"/workshops/{workshop.id}/comments/{comment.id}/hide", data={"reason": "no"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).hidden_at is None


# --- management pages ----------------------------------------------------------------------------------------


def test_lead_sees_the_registrations_page(client, db, login, lead, working_group, create_user, create_workshop):
    workshop = create_workshop(working_group)
    register(workshop, actor=create_user(display_name="Zhang Min"))
    db.session.commit()
    login(client, lead)
    response = client.get(f"/manage/workshops/{workshop.id}/registrations")
    assert response.status_code == 200
    assert "Zhang Min" in response.get_data(as_text=True)


def test_participant_cannot_see_the_registrations_page_or_csv(client, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    assert client.get(f"/manage/workshops/{workshop.id}/registrations").status_code == 403
    assert client.get(f"/manage/workshops/{workshop.id}/registrations.csv").status_code == 403


def test_other_working_group_lead_cannot_see_the_registrations(
    client, login, create_user, create_working_group, create_workshop
):
    workshop = create_workshop()
    login(client, create_user(Role.LEAD, leads=create_working_group()))
    assert client.get(f"/manage/workshops/{workshop.id}/registrations").status_code == 403
    assert client.get(f"/manage/workshops/{workshop.id}/registrations.csv").status_code == 403


def test_anonymous_is_sent_to_login_for_the_registrations(client, create_workshop):
    workshop = create_workshop()
    response = client.get(f"/manage/workshops/{workshop.id}/registrations.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_registrations_csv_lists_people_and_neutralises_formulas(
    client, db, login, lead, working_group, create_user, create_workshop
):
    workshop = create_workshop(working_group, capacity=1)
    register(workshop, actor=create_user(display_name="Zhang Min", organisation="Ruijin Hospital"))
    register(
        workshop,
        actor=create_user(display_name='=HYPERLINK("http://evil.example","x")', organisation="+cmd|' /C calc'!A0"),
    )
    db.session.commit()
    login(client, lead)
    response = client.get(f"/manage/workshops/{workshop.id}/registrations.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Name"
    assert rows[1][0] == "Zhang Min" and rows[1][2] == "Ruijin Hospital" and rows[1][6] == "confirmed"
    assert rows[2][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[2][2].startswith("'+")
    assert (rows[2][6], rows[2][7]) == ("waitlisted", "1")
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows[1:] for cell in row)


def test_lead_marks_attendance_by_page(client, db, login, lead, participant, seated_at_started_workshop):
    workshop, mine = seated_at_started_workshop(participant)
    login(client, lead)
    response = client.post(
        f"/manage/workshops/{workshop.id}/registrations/{mine.id}/attendance", data={"attended": "1"}
    )
    assert response.status_code == 302
    assert _registration_of(db, workshop, participant).status is RegistrationStatus.ATTENDED


def test_attendance_page_refuses_a_workshop_that_has_not_started(
    client, db, login, lead, working_group, participant, create_workshop
):
    workshop = create_workshop(working_group)
    mine = register(workshop, actor=participant)
    db.session.commit()
    login(client, lead)
    url = f"/manage/workshops/{workshop.id}/registrations/{mine.id}/attendance"
    page = client.post(url, data={"attended": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Attendance is recorded once the workshop has started. The workshop starts on" in page
    assert _registration_of(db, workshop, participant).status is RegistrationStatus.CONFIRMED


def test_participant_cannot_mark_attendance_by_page(client, db, login, participant, create_workshop):
    workshop = create_workshop()
    mine = register(workshop, actor=participant)
    db.session.commit()
    login(client, participant)
    response = client.post(
        f"/manage/workshops/{workshop.id}/registrations/{mine.id}/attendance", data={"attended": "1"}
    )
    assert response.status_code == 403
    assert _registration_of(db, workshop, participant).status is RegistrationStatus.CONFIRMED


def test_too_long_comment_is_shown_again_with_the_text_kept(app, client, db, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    text = "My long view. " * (app.config["ENGAGE_COMMENT_MAX_LENGTH"] // 10)
    response = client.post(f"/workshops/{workshop.id}/comments", data={"body": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Comments are limited to" in page
    assert text.strip() in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
