"""Reminders before a round closes go only to panellists who have not submitted, once per moment."""

from datetime import timedelta

import sqlalchemy as sa

from engage.delphi.jobs import run_due_round_reminders
from engage.notifications.models import Notification, NotificationKind
from engage.notifications.services import render, set_preferences
from engage.timeutil import utcnow


def _reminded(db):
    rows = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.DELPHI_ROUND_REMINDER)
    ).all()
    return sorted((n.user_id, n.dedupe_key.split(":")[2]) for n in rows)


def test_only_panellists_without_a_submission_are_reminded(db, create_survey, create_panel, open_round, rate):
    survey = create_survey(texts=("A", "B"))
    submitted, drafted, silent = create_panel(survey, 3)
    round_ = open_round(survey)
    rate(round_, submitted, 4)
    rate(round_, drafted, 3, submit=False)

    assert run_due_round_reminders(round_.closes_at - timedelta(days=4)) == 0  # not yet due
    assert run_due_round_reminders(round_.closes_at - timedelta(days=2)) == 2
    assert _reminded(db) == [(drafted.id, "4320"), (silent.id, "4320")]
    # Running again, or in a second scheduler, queues nothing more.
    assert run_due_round_reminders(round_.closes_at - timedelta(days=2)) == 0

    rate(round_, drafted, 3, submit=True, now=round_.closes_at - timedelta(days=1, hours=1))
    assert run_due_round_reminders(round_.closes_at - timedelta(hours=12)) == 1
    assert _reminded(db) == [(drafted.id, "4320"), (silent.id, "1440"), (silent.id, "4320")]
    assert run_due_round_reminders(round_.closes_at + timedelta(minutes=1)) == 0  # closed


def test_reminder_names_the_round_and_its_closing_time_in_the_panellists_zone(
    db, create_survey, create_panel, open_round
):
    survey = create_survey()
    (person,) = create_panel(survey, 1)
    person.timezone = "Asia/Shanghai"
    db.session.commit()
    round_ = open_round(survey)
    run_due_round_reminders(round_.closes_at - timedelta(hours=2))
    message = render(
        db.session.scalar(
            sa.select(Notification).where(
                Notification.user_id == person.id, Notification.kind == NotificationKind.DELPHI_ROUND_REMINDER
            )
        )
    )
    assert "Pillar I Delphi" in message.subject and "round 1" in message.subject
    assert "(Asia/Shanghai)" in message.body_text
    assert f"/delphi/rounds/{round_.id}" in message.body_text
    assert message.workshop_id is None and not message.has_ics


def test_muted_reminders_are_not_sent_to_that_panellist(db, create_survey, create_panel, open_round):
    survey = create_survey()
    muted, other = create_panel(survey, 2)
    set_preferences(muted, reminders=False)
    db.session.commit()
    round_ = open_round(survey)
    run_due_round_reminders(round_.closes_at - timedelta(hours=2))
    assert [user_id for user_id, _offset in _reminded(db)] == [other.id]


def test_lead_chooses_a_rounds_reminders_and_others_cannot(
    client, db, create_survey, create_panel, open_round, lead, auth_headers, assert_error
):
    survey = create_survey()
    panellist, other = create_panel(survey, 2)
    round_ = open_round(survey, now=utcnow())
    path = f"/api/v1/delphi/rounds/{round_.id}/reminders"
    assert client.get(path, headers=auth_headers(lead)).get_json() == {"minutes_before": [4320, 1440]}
    response = client.put(path, json={"minutes_before": [120, 2880]}, headers=auth_headers(lead))
    assert response.get_json() == {"minutes_before": [2880, 120]}
    assert_error(client.put(path, json={"minutes_before": [0]}, headers=auth_headers(lead)), 422)
    assert_error(client.put(path, json={"minutes_before": "soon"}, headers=auth_headers(lead)), 422)
    assert_error(client.put(path, json={"minutes_before": []}, headers=auth_headers(panellist)), 403)
    db.session.expire_all()
    assert round_.reminder_minutes == "2880,120"

    assert run_due_round_reminders(round_.closes_at - timedelta(days=2, hours=1)) == 0
    assert run_due_round_reminders(round_.closes_at - timedelta(hours=1)) == 2
    assert {offset for _user, offset in _reminded(db)} == {"120"}


def test_a_round_without_reminders_sends_none(client, db, create_survey, create_panel, open_round, lead, auth_headers):
    survey = create_survey()
    create_panel(survey, 2)
    round_ = open_round(survey, now=utcnow())
    client.put(f"/api/v1/delphi/rounds/{round_.id}/reminders", json={"minutes_before": []}, headers=auth_headers(lead))
    assert run_due_round_reminders(round_.closes_at - timedelta(minutes=30)) == 0


def test_panel_invitation_links_use_the_configured_base_url(app, client, create_survey, lead, auth_headers):
    survey = create_survey()
    headers = {**auth_headers(lead), "Host": "attacker.example"}
    response = client.post(
        f"/api/v1/delphi/surveys/{survey.id}/panel/invitations",
        json={"email": "new.panellist@example.org"},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["signup_url"].startswith(app.config["ENGAGE_BASE_URL"] + "/signup/inv_")
