"""The OpenAPI document is valid and tells the truth: error schema, security, 4xx, ETag, Link pagination."""

from openapi_spec_validator import validate

from engage.apicontract import openapi_path


def _spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi(client):
    validate(_spec(client))


def test_every_api_route_is_documented(app, client):
    paths = _spec(client)["paths"]
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert method.lower() in paths.get(openapi_path(rule.rule), {}), f"{method} {rule.rule}"


def test_the_error_schema_is_the_real_body(client, assert_error):
    spec = _spec(client)
    error = spec["components"]["schemas"]["Error"]
    assert error["properties"]["code"]["type"] == "string"
    assert set(error["required"]) == {"code", "message", "errors", "request_id"}
    body = assert_error(client.get("/api/v1/workshops/424242"), 404, "not_found")
    assert set(body) == set(error["properties"])


def test_security_schemes_and_who_needs_them(client):
    spec = _spec(client)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/auth/tokens.",
    }
    assert schemes["sessionCookie"]["in"] == "cookie" and schemes["csrfToken"]["name"] == "X-CSRFToken"
    me = spec["paths"]["/api/v1/me"]
    assert me["get"]["security"] == [{"bearerAuth": []}, {"sessionCookie": []}]
    assert me["patch"]["security"] == [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}]
    assert {} in spec["paths"]["/api/v1/workshops"]["get"]["security"]  # public, a token only adds to it


def test_operations_list_the_4xx_they_can_answer(client):
    paths = _spec(client)["paths"]
    assert {"401", "403", "404", "400", "409", "413", "422"} <= set(
        paths["/api/v1/workshops/{workshop_id}"]["patch"]["responses"]
    )
    assert {"401", "422", "429"} <= set(paths["/api/v1/auth/tokens"]["post"]["responses"])
    # A public read needs no account (no 401), but a signed-in caller who has not agreed to the current terms
    # gets 403 consent_required, so it is listed; one's own account never answers that.
    codebook = paths["/api/v1/codebook"]["get"]["responses"]
    assert "401" not in codebook and "403" in codebook
    forbidden = _spec(client)["components"]["responses"]["ErrorForbidden"]
    assert codebook["403"] == {"$ref": "#/components/responses/ErrorForbidden"}
    assert "consent_required" in forbidden["description"]


def test_json_gets_carry_an_etag_and_answer_304_when_unchanged(client, create_workshop, db):
    workshop = create_workshop()
    url = f"/api/v1/workshops/{workshop.id}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert {"Authorization", "Cookie"} <= set(first.headers["Vary"].replace(" ", "").split(","))
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    workshop.title = "Renamed workshop"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["title"] == "Renamed workshop"


def test_lists_give_their_pages_in_a_link_header(client, create_workshop, working_group):
    for _ in range(5):
        create_workshop(working_group)
    response = client.get(f"/api/v1/workshops?per_page=2&page=2&working_group_id={working_group.id}")
    assert response.get_json()["meta"] == {"page": 2, "per_page": 2, "total": 5, "pages": 3}
    links = {part.split("; ")[1]: part.split("; ")[0] for part in response.headers["Link"].split(", ")}
    targets = {rel: href.strip("<>") for rel, href in links.items()}
    for rel, page in {'rel="first"': 1, 'rel="prev"': 1, 'rel="next"': 3, 'rel="last"': 3}.items():
        follow = client.get(targets[rel])
        assert follow.status_code == 200 and follow.get_json()["meta"]["page"] == page, rel
    last = client.get(targets['rel="last"'])
    assert 'rel="next"' not in last.headers["Link"] and 'rel="prev"' in last.headers["Link"]
