"""Menus by role, role home pages, the footer's time-zone sentence, human labels, Markdown preview,
paginated lists and the notification detail view."""

import csv
import io
import re

import sqlalchemy as sa

from engage.auth.models import Role, StakeholderCategory
from engage.notifications.models import Notification
from engage.participation.services import register
from engage.timeutil import format_moment


def _top_level(html: str) -> list[str]:
    nav = html.split('class="nav-list"')[1].split("</nav>")[0]
    nav = re.sub(r"(<summary[^>]*>[^<]+</summary>).*?</details>", r"\1</details>", nav, flags=re.S)
    # Direct entries are <li><a>; groups are <li class="nav-group"><details><summary>.
    items = re.findall(
        r'<li(?: class="nav-group")?>\s*(?:<a [^>]*>([^<]+)</a>|<details>\s*<summary[^>]*>([^<]+)</summary>)', nav
    )
    return [a or b for a, b in items]


def test_visitor_menu_is_short_and_marks_the_current_page(client, db):
    html = client.get("/workshops").get_data(as_text=True)
    assert _top_level(html) == ["Home", "Workshops", "Roadmap", "Scorecard", "Working groups"]
    assert re.search(r'<a href="/workshops" aria-current="page">Workshops</a>', html)
    assert html.count('aria-current="page"') == 1


def test_each_role_has_at_most_six_entries_and_its_group(client, login, participant, lead, coordinator):
    expected = {participant: "More", lead: "Manage", coordinator: "Consortium"}
    for user, group in expected.items():
        login(client, user)
        entries = _top_level(client.get("/").get_data(as_text=True))
        assert len(entries) <= 6 and entries[-1] == group, entries
        client.post("/logout")


def test_a_page_inside_a_group_marks_the_group(client, login, lead):
    login(client, lead)
    html = client.get("/iap2/promises").get_data(as_text=True)
    assert '<summary class="current">Manage</summary>' in html
    assert '<a href="/iap2/promises" aria-current="page">Overdue promises</a>' in html


def test_visitor_home_is_a_landing_page_with_the_next_workshops(client, db, create_workshop):
    create_workshop(title="Pharmacogenomics round 1")
    html = client.get("/").get_data(as_text=True)
    assert "Next workshops" in html and "Pharmacogenomics round 1" in html
    assert "Sign in to take part" in html and "Is the roadmap taken up?" in html


def test_participant_home_lists_their_next_workshops(client, db, login, participant, create_workshop):
    mine = create_workshop(title="Data exchange round 2")
    create_workshop(title="Open for all")
    register(mine, actor=participant)
    db.session.commit()
    login(client, participant)
    html = client.get("/").get_data(as_text=True)
    yours = html.split('id="my-workshops"')[1].split("</section>")[0]
    assert "Data exchange round 2" in yours and "confirmed" in yours and "Open for all" not in yours
    assert "Open for all" in html.split('id="open-workshops"')[1]
    assert "No Delphi round is open for you." in html


def test_lead_home_shows_their_group_at_a_glance(client, db, login, lead, working_group, create_workshop):
    create_workshop(working_group, title="WG1 round 3")
    login(client, lead)
    html = client.get("/").get_data(as_text=True)
    assert f">{working_group.name}</h2>" in html and f"Pillar {working_group.pillar.number}: " in html
    assert "WG1 round 3" in html and "Minutes in progress" in html and "Delphi survey" in html


def test_footer_tells_a_visitor_without_a_zone_what_is_true(app, client, db):
    unknown = client.get("/workshops").get_data(as_text=True)
    assert "Times are shown in UTC" not in unknown
    assert "each time is shown in the zone named beside it" in unknown
    assert "data-zone-learnt=" in unknown  # engage.js says so once it has set the cookie
    client.set_cookie("tz", "Asia%2FShanghai", domain=app.config["SERVER_NAME"])  # as engage.js writes it
    known = client.get("/workshops").get_data(as_text=True)
    assert "Times are shown in your time zone, Asia/Shanghai." in known


def test_times_use_the_locales_cldr_format():
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 24, 1, 30, tzinfo=UTC)
    assert format_moment(moment, "Asia/Shanghai", locale="zh") == "2026年12月24日周四 09:30 (Asia/Shanghai)"
    assert format_moment(moment, "Europe/Rome", locale="en") == "Thu, Dec 24, 2026, 02:30 (Europe/Rome)"


def test_registrations_csv_writes_labels_not_codes(
    client, db, login, lead, working_group, create_user, create_workshop
):
    workshop = create_workshop(working_group)
    person = create_user(region="CN-SH", category=StakeholderCategory.PATIENT_CITIZEN_ORGANISATION)
    register(workshop, actor=person)
    db.session.commit()
    login(client, lead)
    text = client.get(f"/manage/workshops/{workshop.id}/registrations.csv").get_data(as_text=True)
    row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1]
    assert row[3:7] == ["Shanghai", "China", "Patient / citizen organisation", "confirmed"]
    assert "patient_citizen_organisation" not in text


def test_markdown_preview_uses_the_saving_sanitiser(client, login, participant):
    assert client.post("/markdown/preview", data={"text": "x"}).status_code == 302  # sign in first
    login(client, participant)
    answer = client.post(
        "/markdown/preview",
        data={"text": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
        headers={"Accept": "application/json"},
    )
    html = answer.get_json()["html"]
    assert "<strong>bold</strong>" in html and "<script>" not in html and 'href="javascript' not in html
    # Without the script, the form's Preview button posts the whole form and names the field.
    page = client.post("/markdown/preview", data={"preview_field": "body", "body": "*hello*"})
    assert page.status_code == 200 and "<em>hello</em>" in page.get_data(as_text=True)
    too_long = client.post("/markdown/preview", data={"text": "x" * 50_001}, headers={"Accept": "application/json"})
    assert too_long.status_code == 422


def test_workshop_comment_form_offers_a_preview(client, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    html = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert 'data-preview-for="field-body"' in html and 'formaction="/markdown/preview"' in html


def test_a_refused_comment_shows_a_summary_tied_to_the_field(client, login, participant, create_workshop):
    workshop = create_workshop()
    login(client, participant)
    response = client.post(f"/workshops/{workshop.id}/comments", data={"body": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "data-error-summary" in html and 'href="#field-body"' in html
    assert 'aria-describedby="field-body-error" aria-invalid="true"' in html


def test_invitations_list_is_paginated(client, db, login, coordinator):
    from engage.auth.services import create_invitation

    for n in range(55):
        create_invitation(actor=coordinator, email=f"person{n}@example.org", role=Role.PARTICIPANT)
    db.session.commit()
    login(client, coordinator)
    first = client.get("/invitations").get_data(as_text=True)
    assert "Page 1 of 2 (55 in all)" in first and 'rel="next"' in first
    second = client.get("/invitations?page=2").get_data(as_text=True)
    assert second.count("@example.org</td>") == 5
    assert client.get("/invitations?page=999999999").status_code == 200


def test_notifications_list_subjects_and_open_one_in_full(client, db, login, participant, create_user, create_workshop):
    register(create_workshop(title="Genomics round"), actor=participant)
    db.session.commit()
    notification = db.session.scalar(sa.select(Notification).where(Notification.user_id == participant.id))
    login(client, participant)
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Registration confirmed: Genomics round" in listing
    assert "Your registration is confirmed" not in listing  # the body is on the detail page
    detail = client.get(f"/notifications/{notification.id}")
    assert detail.status_code == 200 and "Your registration is confirmed" in detail.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).read_at is not None
    other = create_user()
    register(create_workshop(), actor=other)
    db.session.commit()
    theirs = db.session.scalar(sa.select(Notification).where(Notification.user_id == other.id))
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.get("/notifications/999999").status_code == 404
