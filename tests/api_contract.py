"""Suite-wide check of the OpenAPI contract: every error an API request of the suite provokes has the
documented error schema, and its status is one the operation documents.

Registered as a pytest plugin in tests/conftest.py; the findings fail the session at its end.
"""

import pytest
from flask import request, request_finished
from openapi_schema_validator import OAS30Validator

from engage.apicontract import openapi_path

_findings: list[str] = []
_checked: list[int] = []


def _spec(app) -> dict:
    cached = app.extensions.get("engage.test_spec")
    if cached is None:
        from engage.extensions import api

        with app.test_request_context():
            cached = api.spec.to_dict()
        app.extensions["engage.test_spec"] = cached
    return cached


def _resolve(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def _check(sender, response, **_extra):
    if not request.path.startswith("/api/v1") or response.status_code < 400 or request.url_rule is None:
        return
    spec = _spec(sender)
    operation = spec["paths"].get(openapi_path(request.url_rule.rule), {}).get(request.method.lower())
    if operation is None:
        return  # a route a test added to its own app; test_every_api_route_is_documented covers the real ones
    where = f"{request.method} {request.url_rule.rule} → {response.status_code}"
    _checked.append(response.status_code)
    body = response.get_json(silent=True)
    schema = {**_resolve(spec, spec["components"]["schemas"]["Error"]), "components": spec["components"]}
    errors = [e.message for e in OAS30Validator(schema).iter_errors(body)] if body is not None else ["not JSON"]
    if errors:
        _findings.append(f"{where}: body {body!r} breaks the Error schema: {errors}")
    if response.status_code < 500 and str(response.status_code) not in operation["responses"]:
        _findings.append(f"{where}: status not documented for the operation")


@pytest.fixture(scope="session", autouse=True)
def api_error_contract():
    request_finished.connect(_check)
    yield
    request_finished.disconnect(_check)
    assert not _findings, "API answers that break the documented contract:\n" + "\n".join(sorted(set(_findings)))
