import sqlalchemy as sa

from engage.auth.models import Role
from engage.priorities.models import PriorityEdit

API = "/api/v1/priorities"


def test_every_signed_in_participant_sees_priorities_with_codes_and_statistics(
    client, participant, priority, auth_headers, assert_error
):
    body = client.get(API, headers=auth_headers(participant)).get_json()
    (item,) = body["items"]
    assert item["text"] == "Promote digital health literacy"
    assert [s["code"] for s in item["sub_topics"]] == ["1.1.a"]
    assert item["final_statistics"]["statistics"]["agreement_percent"] == 85.0
    assert_error(client.get(API), 401)


def test_lead_rewords_and_codes_a_priority_and_it_is_audited(client, db, lead, priority, working_group, auth_headers):
    extra = working_group.themes[0].sub_topics[1]
    response = client.patch(
        f"{API}/{priority.id}",
        headers=auth_headers(lead),
        json={
            "text": "Promote digital and genomic health literacy",
            "add_sub_topic_ids": [extra.id],
            "reason": "Workshop 2 asked to name genomics",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["text"] == "Promote digital and genomic health literacy"
    assert [s["code"] for s in body["sub_topics"]] == ["1.1.a", "1.1.b"]
    edits = db.session.scalars(sa.select(PriorityEdit).order_by(PriorityEdit.id)).all()
    assert [(e.field, e.actor_id, e.reason) for e in edits] == [
        ("text", lead.id, "Workshop 2 asked to name genomics"),
        ("codes", lead.id, "Workshop 2 asked to name genomics"),
    ]
    assert edits[0].old_value == "Promote digital health literacy"
    assert [e["field"] for e in body["edits"]] == ["text", "codes"]


def test_editing_needs_a_reason_and_codes_of_the_pillar(
    client, lead, priority, create_working_group, auth_headers, assert_error
):
    assert_error(client.patch(f"{API}/{priority.id}", headers=auth_headers(lead), json={"text": "x"}), 422)
    foreign = create_working_group().themes[0].sub_topics[0]
    body = assert_error(
        client.patch(
            f"{API}/{priority.id}", headers=auth_headers(lead), json={"add_sub_topic_ids": [foreign.id], "reason": "r"}
        ),
        422,
    )
    assert "sub_topic_ids" in body["errors"]


def test_participants_and_other_leads_cannot_edit(
    client, participant, create_user, create_working_group, priority, auth_headers, assert_error
):
    other_lead = create_user(Role.LEAD, leads=create_working_group())
    for user in (participant, other_lead):
        assert_error(
            client.patch(f"{API}/{priority.id}", headers=auth_headers(user), json={"text": "Hijacked", "reason": "r"}),
            403,
        )
    assert_error(client.get(f"{API}/424242", headers=auth_headers(participant)), 404)


def test_priorities_page_lists_them(client, login, participant, priority):
    login(client, participant)
    html = client.get("/priorities").get_data(as_text=True)
    assert "Promote digital health literacy" in html and "85.0 %" in html and "1.1.a" in html


def test_lead_edits_a_priority_by_page_and_participants_cannot(
    client, db, login, lead, participant, priority, working_group
):
    extra = working_group.themes[0].sub_topics[1]
    login(client, participant)
    assert "Edit wording" not in client.get("/priorities").get_data(as_text=True)
    assert client.post(f"/priorities/{priority.id}/edit", data={"text": "x", "reason": "y"}).status_code == 302
    client.post("/logout")
    login(client, lead)
    assert "Edit wording" in client.get("/priorities").get_data(as_text=True)
    missing = client.post(f"/priorities/{priority.id}/edit", data={"text": "New words"}, follow_redirects=True)
    assert "Say why" in missing.get_data(as_text=True)
    saved = client.post(
        f"/priorities/{priority.id}/edit",
        follow_redirects=True,
        data={"text": "Promote genomic literacy", "add_sub_topic_ids": [str(extra.id)], "reason": "Workshop 3"},
    )
    assert "Priority saved" in saved.get_data(as_text=True) and "Promote genomic literacy" in saved.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert [e.field for e in db.session.scalars(sa.select(PriorityEdit).order_by(PriorityEdit.id))] == ["text", "codes"]
