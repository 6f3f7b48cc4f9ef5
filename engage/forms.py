"""Pages load form posts with the same marshmallow schemas as the API (one validation system)."""

from flask import request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from engage.errors import DomainError
from engage.extensions import db
from engage.messages import translate


def load_form(schema: Schema, data: dict | None = None) -> tuple[dict | None, dict]:
    """(data, {}) when valid, else (None, field errors). Empty fields count as not given."""
    _valid, loaded, errors = _load(schema, data)
    return loaded, errors


def _load(schema: Schema, data: dict | None) -> tuple[dict, dict | None, dict]:
    """(the fields that loaded, the whole data or None, field errors)."""
    raw = data if data is not None else {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    try:
        loaded = schema.load(raw)
        return loaded, loaded, {}
    except SchemaError as exc:
        messages = translate(exc.messages)
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        return valid, None, messages if isinstance(messages, dict) else {"_schema": messages}


class _Probe(Exception):
    """Ends a probe run of a service: whatever it did is rolled back."""


def _domain_errors_of(action, valid: dict, known: dict) -> dict:
    """The service's own field errors for the fields that did load, found by running it in a savepoint
    that is always rolled back: a form then shows every error of a submission at once, not the type
    errors first and the rules on the next submit. Only messages for fields without an error yet are
    kept; a service that cannot run on the partial data (a missing key) adds nothing."""
    found: dict = {}
    savepoint = db.session.begin_nested()
    try:
        action(valid)
        raise _Probe
    except DomainError as exc:
        found = {k: v for k, v in (exc.errors or {}).items() if k != "_schema" and k not in known}
    except Exception:  # noqa: BLE001 - a probe on partial data; the real submission reports real failures
        found = {}
    finally:
        if savepoint.is_active:
            savepoint.rollback()
    return found


def domain_errors(exc: DomainError) -> dict:
    return exc.errors or {"_schema": [exc.message]}


def submit_form(schema: Schema, action, data: dict | None = None):
    """Validate a posted form and run the service with it, owning the transaction.

    Returns (result, {}) after a commit, or (None, field errors) with nothing changed.
    """
    valid, loaded, errors = _load(schema, data)
    if errors:
        return None, {**errors, **_domain_errors_of(action, valid, errors)}
    try:
        result = action(loaded)
    except DomainError as exc:
        db.session.rollback()
        return None, domain_errors(exc)
    db.session.commit()
    return result, {}


# The names forms use most, as people read them; a page passes `labels` for its own fields.
FIELD_LABELS = {
    "title": _l("Title"), "description": _l("Description"), "body": _l("Text"), "email": _l("E-mail"),
    "display_name": _l("Your name"), "password": _l("Password"), "organisation": _l("Organisation"),
    "region": _l("Region"), "category": _l("Stakeholder category"), "timezone": _l("Time zone"),
    "locale": _l("Language"), "consent": _l("Consent"), "working_group_id": _l("Working group"),
    "round": _l("Round"), "starts_at": _l("Starts"), "ends_at": _l("Ends"), "venue": _l("Venue"),
    "video_url": _l("Video link"), "capacity": _l("Capacity"), "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"), "agenda_items": _l("Agenda"), "opens_at": _l("Opens"),
    "closes_at": _l("Closes"), "audience": _l("Audience"), "user_ids": _l("People"), "references": _l("About"),
    "name": _l("Name"), "value": _l("Value"), "measured_on": _l("Date"), "scope": _l("Scope"),
    "source": _l("Source"), "note": _l("Note"), "file": _l("File"), "role": _l("Role"),
    "declared_level": _l("Declared level"), "held_at": _l("Date and time"), "channel": _l("Channel"),
    "starts_on": _l("From"), "ends_on": _l("To"), "duration_minutes": _l("Duration"),
    "sub_topic_id": _l("Sub-topic"), "priority_ids": _l("Source priorities"),
    "roadmap_action_id": _l("Roadmap action"), "unit": _l("Unit"), "direction": _l("Direction"),
    "baseline_low": _l("Baseline"), "baseline_high": _l("Top of the baseline range"),
    "baseline_on": _l("Baseline date"), "target_value": _l("Target"), "target_on": _l("Target date"),
    "tolerance": _l("Tolerance"), "data_source": _l("Data source"), "owner": _l("Owner"),
    "currency_code": _l("Currency"), "ratings": _l("Ratings"), "sections": _l("Sections"), "reason": _l("Reason"),
}  # fmt: skip


def _flatten(messages, prefix: str = "") -> list[tuple[str, str]]:
    """(field, message) pairs from the error contract's messages, nested fields joined with dots."""
    if isinstance(messages, dict):
        return [
            pair
            for key, value in messages.items()
            for pair in _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(messages, (list, tuple)):
        return [pair for value in messages for pair in _flatten(value, prefix)]
    return [(prefix or "_schema", str(messages))]


def error_entries(errors: dict | None) -> list[tuple[str, str]]:
    """Every message of a submission, in field order, for the error summary."""
    return _flatten(errors or {})


def field_messages(errors: dict | None, name: str) -> list[str]:
    """The messages of one field (and of its nested parts)."""
    if not errors or name not in errors:
        return []
    return [message for _field, message in _flatten(errors[name], name)]


def field_label(name: str, labels: dict | None = None) -> str:
    """The label people know a field by, for the error summary: the page's own, else the common one."""
    if labels and name in labels:
        return str(labels[name])
    root = name.split(".", 1)[0]
    return str(FIELD_LABELS.get(name) or FIELD_LABELS.get(root) or name.replace("_", " ").capitalize())
