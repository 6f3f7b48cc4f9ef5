"""The consortium's name is a setting: ENGAGE_CONSORTIUM_NAME first, then what a coordinator sets in /settings.

It names the consortium in page titles, PDFs and e-mails instead of the product's name.
"""

import re

from engage.auth.services import consortium_name


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_the_default_comes_from_the_environment_setting(app, client, coordinator, auth_headers, monkeypatch):
    monkeypatch.setitem(app.config, "ENGAGE_CONSORTIUM_NAME", "Default Consortium")
    settings = client.get("/api/v1/settings", headers=auth_headers(coordinator)).get_json()
    assert settings == {"open_signup": False, "consortium_name": "Default Consortium"}
    assert _title(client.get("/login").get_data(as_text=True)).endswith("· Default Consortium · Engage")


def test_without_a_name_titles_name_only_engage(client):
    assert consortium_name() == ""
    title = _title(client.get("/login").get_data(as_text=True))
    assert title.endswith("· Engage") and "· ·" not in title


def test_coordinator_names_the_consortium_on_the_settings_page(client, coordinator, login):
    login(client, coordinator)
    response = client.post("/settings", data={"consortium_name": "  IC2PerMed  ", "open_signup": "1"})
    assert response.status_code == 302
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="IC2PerMed"' in page and _title(page) == "Settings · IC2PerMed · Engage"
    assert consortium_name() == "IC2PerMed"


def test_too_long_a_name_is_refused_and_nothing_changes(client, coordinator, login, auth_headers, assert_error):
    login(client, coordinator)
    client.post("/settings", data={"consortium_name": "IC2PerMed"})
    response = client.post("/settings", data={"consortium_name": "x" * 121, "open_signup": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "At most 120 characters." in page and 'aria-invalid="true"' in page
    assert consortium_name() == "IC2PerMed"
    body = assert_error(client.put("/api/v1/settings", json={"consortium_name": "x" * 121}), 422)
    assert "consortium_name" in body["errors"]
    assert client.get("/api/v1/settings").get_json() == {"open_signup": False, "consortium_name": "IC2PerMed"}


def test_api_sets_the_name_alone_and_other_roles_cannot(client, coordinator, lead, auth_headers, assert_error):
    assert_error(client.put("/api/v1/settings", json={"consortium_name": "Mine"}, headers=auth_headers(lead)), 403)
    assert_error(client.put("/api/v1/settings", json={}, headers=auth_headers(lead)), 403)
    assert_error(client.get("/api/v1/settings", headers=auth_headers(lead)), 403)
    response = client.put("/api/v1/settings", json={"consortium_name": "IC2PerMed"}, headers=auth_headers(coordinator))
    assert response.get_json() == {"open_signup": False, "consortium_name": "IC2PerMed"}
