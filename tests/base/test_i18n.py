"""Nothing hard-wired to English: validation messages pass through gettext when shown."""

import engage.messages


def test_api_validation_messages_are_translated_when_shown(client, participant, auth_headers, monkeypatch):
    monkeypatch.setattr(engage.messages, "gettext", lambda msgid: "«" + msgid + "»")
    response = client.post(
        "/api/v1/invitations", json={"email": "x@example.org", "working_group_id": 0}, headers=auth_headers(participant)
    )
    assert response.status_code == 422
    # The catalogue's text is filled in after translation.
    assert response.get_json()["errors"]["working_group_id"] == ["«Must be between 1 and 2147483647.»"]


def test_form_validation_messages_are_translated_when_shown(client, login, lead, monkeypatch):
    monkeypatch.setattr(engage.messages, "gettext", lambda msgid: "«" + msgid + "»")
    login(client, lead)
    response = client.post("/manage/workshops/new", data={"title": "x", "capacity": "many"})
    assert response.status_code == 422
    assert "«Enter a whole number.»" in response.get_data(as_text=True)


def test_messages_read_in_english_without_a_catalogue(client, participant, auth_headers):
    response = client.post(
        "/api/v1/invitations", json={"email": "x@example.org", "working_group_id": 0}, headers=auth_headers(participant)
    )
    assert response.get_json()["errors"]["working_group_id"] == ["Must be between 1 and 2147483647."]
