"""Pages load form posts with the same marshmallow schemas as the API (one validation system)."""

from flask import request
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from engage.errors import DomainError


def load_form(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(data, {}) when valid, else (None, field errors). Empty fields count as not given."""
    raw = data if data is not None else {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    try:
        return schema.load(raw), {}
    except SchemaError as exc:
        return None, exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}


def domain_errors(exc: DomainError) -> dict:
    return exc.errors or {"_schema": [exc.message]}
