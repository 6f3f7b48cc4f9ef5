"""Pages load form posts with the same marshmallow schemas as the API (one validation system)."""

from flask import request
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from engage.errors import DomainError
from engage.extensions import db
from engage.messages import translate


def load_form(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(data, {}) when valid, else (None, field errors). Empty fields count as not given."""
    raw = data if data is not None else {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    try:
        return schema.load(raw), {}
    except SchemaError as exc:
        messages = translate(exc.messages)
        return None, messages if isinstance(messages, dict) else {"_schema": messages}


def domain_errors(exc: DomainError) -> dict:
    return exc.errors or {"_schema": [exc.message]}


def submit_form(schema: Schema, action, data: dict | None = None):
    """Validate a posted form and run the service with it, owning the transaction.

    Returns (result, {}) after a commit, or (None, field errors) with nothing changed.
    """
    loaded, errors = load_form(schema, data)
    if errors:
        return None, errors
    try:
        result = action(loaded)
    except DomainError as exc:
        db.session.rollback()
        return None, domain_errors(exc)
    db.session.commit()
    return result, {}
