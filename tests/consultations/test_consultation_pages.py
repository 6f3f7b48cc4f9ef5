from datetime import timedelta

import sqlalchemy as sa

from engage.consultations.models import Consultation
from engage.participation.models import Comment
from engage.timeutil import utcnow


def _form(working_group, **kw):
    now = utcnow().replace(tzinfo=None, microsecond=0)
    data = {
        "working_group_id": str(working_group.id),
        "title": "Draft minutes of round 1",
        "body": "Comment please",
        "timezone": "Asia/Shanghai",
        "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "working_group",
        "ref_roadmap": "1",
    }
    data.update(kw)
    return data


def test_lead_opens_a_consultation_through_the_form(client, db, login, lead, working_group):
    login(client, lead)
    assert client.get("/consultations/new").status_code == 200
    response = client.post("/consultations/new", data=_form(working_group))
    assert response.status_code == 302
    consultation = db.session.scalars(sa.select(Consultation)).one()
    assert consultation.timezone == "Asia/Shanghai" and consultation.references[0].kind.value == "roadmap"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opens for comments on" in page and "The roadmap" in page


def test_form_errors_keep_the_input_and_store_nothing(client, db, login, lead, working_group):
    login(client, lead)
    response = client.post("/consultations/new", data=_form(working_group, timezone="Moon/Base"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a valid IANA time zone." in page and "Draft minutes of round 1" in page
    response = client.post("/consultations/new", data=_form(working_group, audience="listed", user_ids="1,x"))
    assert response.status_code == 422 and 'id="field-user_ids-error"' in response.get_data(as_text=True)
    response = client.post("/consultations/new", data=_form(working_group, audience="listed"))
    assert response.status_code == 422 and "List the people invited to comment." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_participant_cannot_open_the_form(client, login, participant):
    login(client, participant)
    assert client.get("/consultations/new").status_code == 403


def test_member_sees_and_comments_in_an_open_consultation(client, db, login, create_consultation, member):
    c = create_consultation()
    login(client, member)
    assert c.title in client.get("/consultations").get_data(as_text=True)
    page = client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert 'id="comment-form"' in page and "(Europe/Rome)" in page
    response = client.post(f"/consultations/{c.id}/comments", data={"body": "Looks **good**"})
    assert response.status_code == 302
    assert "<strong>good</strong>" in client.get(f"/consultations/{c.id}").get_data(as_text=True)


def test_comment_on_a_closed_consultation_shows_why_and_keeps_the_text(client, db, login, create_consultation, member):
    c = create_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    login(client, member)
    assert 'id="comment-form"' not in client.get(f"/consultations/{c.id}").get_data(as_text=True)
    response = client.post(f"/consultations/{c.id}/comments", data={"body": "Late words"})
    assert response.status_code == 409
    assert "comments are no longer accepted" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_outsiders_get_404_as_if_it_did_not_exist(client, login, create_consultation, participant):
    c = create_consultation()
    login(client, participant)
    assert client.get(f"/consultations/{c.id}").status_code == 404
    assert client.post(f"/consultations/{c.id}/comments", data={"body": "Hi"}).status_code == 404
    assert client.get(f"/iap2/activities/consultation/{c.id}").status_code == 404
    client.post("/logout")
    anonymous = client.get(f"/iap2/activities/consultation/{c.id}")
    assert anonymous.status_code == 404 and c.title not in anonymous.get_data(as_text=True)
    assert c.title not in client.get("/consultations").get_data(as_text=True)


def test_owner_publishes_the_response_after_close(client, db, login, create_consultation, lead, member):
    c = create_consultation(opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    login(client, lead)
    assert client.post(f"/consultations/{c.id}/response", data={"body": ""}).status_code == 422
    response = client.post(f"/consultations/{c.id}/response", data={"body": "We changed *item 3*"})
    assert response.status_code == 302
    login(client, member)
    assert "<em>item 3</em>" in client.get(f"/consultations/{c.id}").get_data(as_text=True)


def test_references_link_to_the_minutes_and_the_priority_list(
    client, db, login, create_consultation, member, create_workshop, working_group
):
    from engage.consultations.models import ReferenceKind
    from engage.minutes.models import Minutes

    workshop = create_workshop(working_group, title="Round 1 on data")
    minutes = Minutes(workshop=workshop)
    db.session.add(minutes)
    db.session.commit()
    c = create_consultation(
        references=[
            {"kind": ReferenceKind.MINUTES, "minutes_id": minutes.id},
            {"kind": ReferenceKind.PRIORITY_LIST, "pillar_id": working_group.pillar_id},
        ]
    )
    login(client, member)
    page = client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert f'href="/workshops/{workshop.id}/minutes"' in page and "Minutes of Round 1 on data" in page
    assert f'href="/priorities?pillar={working_group.pillar_id}"' in page
