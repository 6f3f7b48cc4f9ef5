"""Bulk invitations from CSV: previewed, then sent all together; one bad row refuses the file."""

import io
from datetime import UTC, datetime

import sqlalchemy as sa

from engage.auth.models import Invitation, StakeholderCategory
from engage.delphi import services as delphi
from engage.delphi.models import DelphiPanelInvitation
from engage.notifications.models import Notification

GOOD = (
    "email,name,language,region,category,working_group\n"
    "ana.silva@example.org,Ana Silva,en,PT,policymaker,{wg}\n"
    "Li.Wei@Example.org,李伟,zh,CN-BJ,academia_research,\n"
)


def test_preview_shows_the_rows_and_sends_nothing(app, db, login, coordinator, working_group):
    client = login(app.test_client(), coordinator)
    response = client.post(
        "/admin/invitations/bulk", data={"step": "preview", "csv": GOOD.format(wg=working_group.id), "survey_id": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview: 2 invitations" in page
    assert "li.wei@example.org" in page and "李伟" in page and working_group.name in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_sending_creates_every_invitation_with_its_profile_and_mails_it(app, db, login, coordinator, working_group):
    client = login(app.test_client(), coordinator)
    file = (io.BytesIO(GOOD.format(wg=working_group.name).encode()), "people.csv")
    preview = client.post(
        "/admin/invitations/bulk", data={"step": "preview", "file": file}, content_type="multipart/form-data"
    )
    assert preview.status_code == 200
    response = client.post("/admin/invitations/bulk", data={"step": "send", "csv": GOOD.format(wg=working_group.name)})
    assert response.status_code == 302

    invitations = {i.email: i for i in db.session.scalars(sa.select(Invitation))}
    assert set(invitations) == {"ana.silva@example.org", "li.wei@example.org"}
    li = invitations["li.wei@example.org"]
    assert (li.invitee_name, li.locale, li.region, li.category) == (
        "李伟",
        "zh",
        "CN-BJ",
        StakeholderCategory.ACADEMIA_RESEARCH,
    )
    assert invitations["ana.silva@example.org"].working_group_id == working_group.id
    body = db.session.scalars(sa.select(Notification.body_text).where(Notification.recipient_email == li.email)).one()
    signup = "/signup/" + body.split("/signup/", 1)[1].split()[0]
    form = app.test_client().get(signup).get_data(as_text=True)
    assert 'value="李伟"' in form  # the sign-up form is filled in with what the inviter knew


def test_one_bad_row_refuses_the_whole_file_naming_each_row(
    client, db, coordinator, participant, auth_headers, assert_error
):
    text = (
        "email,name,region,category\n"
        "ok@example.org,Fine,IT,payer\n"
        "not-an-address,Bad,IT,payer\n"
        f"{participant.email},Exists,IT,payer\n"
        "ok@example.org,Twice,XX,astronaut\n"
    )
    body = assert_error(
        client.post("/api/v1/invitations/bulk", json={"csv": text}, headers=auth_headers(coordinator)), 422
    )
    problems = body["errors"]["file"]
    assert problems[0].startswith("Row 3:") and "not-an-address" in problems[0]
    assert problems[1].startswith("Row 4:") and "already has an account" in problems[1]
    assert (
        problems[2].startswith("Row 5:")
        and "row 2" in problems[2]
        and "XX" in problems[2]
        and "astronaut" in problems[2]
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_file_without_an_email_column_or_rows_is_refused(client, coordinator, auth_headers, assert_error):
    headers = auth_headers(coordinator)
    body = assert_error(client.post("/api/v1/invitations/bulk", json={"csv": "name\nAna\n"}, headers=headers), 422)
    assert body["errors"]["file"][0].startswith("Row 1:")
    assert_error(client.post("/api/v1/invitations/bulk", json={"csv": "email\n"}, headers=headers), 422)
    assert_error(
        client.post("/api/v1/invitations/bulk", json={"csv": "email,shoe_size\na@example.org,44\n"}, headers=headers),
        422,
    )


def test_dry_run_and_delphi_panel_invitations(client, db, lead, working_group, auth_headers):
    survey = delphi.create_survey(working_group, actor=lead, data={"title": "Pillar I Delphi"}, now=datetime.now(UTC))
    db.session.commit()
    text = "email,name,language\npanel.one@example.org,Panel One,en\npanel.two@example.org,Panel Two,zh\n"
    headers = auth_headers(lead)
    dry = client.post(
        "/api/v1/invitations/bulk", json={"csv": text, "survey_id": survey.id, "dry_run": True}, headers=headers
    )
    assert dry.get_json()["sent"] is False and dry.get_json()["count"] == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0

    sent = client.post("/api/v1/invitations/bulk", json={"csv": text, "survey_id": survey.id}, headers=headers)
    assert sent.status_code == 200 and sent.get_json()["sent"] is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DelphiPanelInvitation)) == 2
    with_group = client.post(
        "/api/v1/invitations/bulk",
        json={"csv": f"email,working_group\nthree@example.org,{working_group.id}\n", "survey_id": survey.id},
        headers=headers,
    )
    assert with_group.status_code == 422


def test_participants_cannot_bulk_invite(app, client, participant, auth_headers, login):
    assert (
        client.post(
            "/api/v1/invitations/bulk", json={"csv": "email\na@example.org\n"}, headers=auth_headers(participant)
        ).status_code
        == 403
    )
    assert login(app.test_client(), participant).get("/admin/invitations/bulk").status_code == 403
