"""A workshop's e-mails carry its title in the recipient's language (the other one when it has none), as a
loopback SMTP server receives them: subject, text and the attached calendar entry."""

from notif_helpers import calendar_of, text_of

from engage.notifications.jobs import run_due_notifications
from engage.timeutil import utcnow


def test_each_recipient_reads_the_workshop_title_in_their_language(
    client, db, mail_server, create_user, create_workshop, auth_headers
):
    chinese = create_user(locale="zh", email="li.wei@example.cn")
    english = create_user(email="giulia@example.it")
    workshop = create_workshop(title="Data exchange roundtable", title_zh="数据交换圆桌会议")
    only_english = create_workshop(title="Privacy clinic")
    for person in (chinese, english):
        response = client.post(f"/api/v1/workshops/{workshop.id}/registrations", json={}, headers=auth_headers(person))
        assert response.status_code == 201
    client.post(f"/api/v1/workshops/{only_english.id}/registrations", json={}, headers=auth_headers(chinese))
    assert run_due_notifications(utcnow())["sent"] == 3
    received = mail_server.wait_for(3)
    to_chinese = [m for m in received if m["To"] == "li.wei@example.cn"]
    [bilingual] = [m for m in to_chinese if "数据交换圆桌会议" in m["Subject"]]
    assert "Data exchange roundtable" not in bilingual["Subject"]
    assert text_of(bilingual).splitlines()[0] != "Data exchange roundtable"
    assert "数据交换圆桌会议" in text_of(bilingual)
    [event] = calendar_of(bilingual).walk("VEVENT")
    assert str(event["SUMMARY"]) == "数据交换圆桌会议"
    [fallback] = [m for m in to_chinese if m is not bilingual]
    assert "Privacy clinic" in fallback["Subject"]  # no Chinese title: the English one rather than nothing
    [to_english] = [m for m in received if m["To"] == "giulia@example.it"]
    assert "Data exchange roundtable" in to_english["Subject"] and "数据" not in to_english["Subject"]
    assert str(calendar_of(to_english).walk("VEVENT")[0]["SUMMARY"]) == "Data exchange roundtable"
