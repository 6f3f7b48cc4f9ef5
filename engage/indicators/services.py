"""Indicators and measurements: coordinators define and measure; everyone reads the status."""

import csv
import io
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import ValidationError as SchemaError
from sqlalchemy.orm import selectinload

from engage.apiutil import one_language_required
from engage.auth.models import User
from engage.errors import PermissionDenied, ValidationError
from engage.extensions import db
from engage.indicators import scopes
from engage.indicators.models import Direction, Indicator, Measurement, Unit
from engage.indicators.schemas import MeasurementInputSchema
from engage.indicators.status import Result, Spec, Status, evaluate, worst
from engage.messages import translate
from engage.roadmap.models import RoadmapAction
from engage.roadmap.services import actions_query
from engage.timeutil import utcnow
from engage.workshops.services import EARLIEST_YEAR, LATEST_YEAR

MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 5000
CSV_COLUMNS = ("measured_on", "value", "scope", "source", "note")


def _require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change indicators and measurements."))


def _invalid(errors: dict) -> ValidationError:
    return ValidationError(_("Some fields are not valid."), errors=errors)


def _check_indicator(indicator: Indicator, errors: dict) -> None:
    one_language_required(
        {"name": indicator.name, "name_zh": indicator.name_zh},
        "name",
        _("Write a name in English or in Chinese (or both)."),
        errors,
    )
    if not scopes.is_scope(indicator.scope):
        errors.setdefault("scope", []).append(_("Choose overall, EU, China or a region code."))
    if indicator.unit is Unit.CURRENCY and not indicator.currency_code:
        errors.setdefault("currency_code", []).append(_("Give the ISO 4217 currency code (e.g. EUR, CNY)."))
    if indicator.unit is not Unit.CURRENCY:
        indicator.currency_code = None
    if indicator.baseline_high is not None and indicator.baseline_high < indicator.baseline_low:
        errors.setdefault("baseline_high", []).append(_("The top of the range is below its bottom."))
    for field in ("baseline_on", "target_on"):
        if not EARLIEST_YEAR <= getattr(indicator, field).year <= LATEST_YEAR:
            errors.setdefault(field, []).append(
                _("Enter a date between the years %(a)d and %(b)d.", a=EARLIEST_YEAR, b=LATEST_YEAR)
            )
    if indicator.target_on <= indicator.baseline_on:
        errors.setdefault("target_on", []).append(_("The target date must come after the baseline date."))
    sign = 1 if indicator.direction is Direction.HIGHER_IS_BETTER else -1
    if errors.get("baseline_high") is None and sign * (indicator.target_value - indicator.baseline_mid) <= 0:
        errors.setdefault("target_value", []).append(
            _("The target must be better than the baseline in the indicator's direction.")
        )


def _apply(indicator: Indicator, data: dict, errors: dict) -> None:
    if "roadmap_action_id" in data:
        action = db.session.get(RoadmapAction, data["roadmap_action_id"])
        if action is None or action.is_merged:
            errors["roadmap_action_id"] = [_("Choose a roadmap action that is not merged.")]
        else:
            indicator.roadmap_action = action
    for field in (
        "name", "name_zh", "definition", "definition_zh", "unit", "currency_code", "direction", "baseline_low",
        "baseline_high", "baseline_on", "target_value", "target_on", "scope", "tolerance", "data_source", "owner",
    ):  # fmt: skip
        if field in data:
            value = data[field]
            setattr(indicator, field, value.strip() if isinstance(value, str) else value)


def create_indicator(*, actor: User, data: dict, now: datetime | None = None) -> Indicator:
    """A new indicator on a roadmap action (coordinators)."""
    _require_coordinator(actor)
    now = now or utcnow()
    indicator = Indicator(
        created_by_id=actor.id, created_at=now, updated_at=now, name="", name_zh="", definition="", definition_zh=""
    )
    errors: dict = {}
    _apply(indicator, data, errors)
    if not errors:
        _check_indicator(indicator, errors)
    if errors:
        raise _invalid(errors)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def update_indicator(indicator: Indicator, *, actor: User, data: dict, now: datetime | None = None) -> Indicator:
    """Change an indicator's definition (coordinators); its measurements must still fit its scope."""
    _require_coordinator(actor)
    errors: dict = {}
    with db.session.no_autoflush:
        _apply(indicator, data, errors)
        if not errors:
            _check_indicator(indicator, errors)
        if not errors and "scope" in data:
            if any(not scopes.within(indicator.scope, m.scope) for m in indicator.measurements):
                errors["scope"] = [_("Some measurements are outside this scope.")]
        if not errors and "unit" in data:
            # The stored measurements must still make sense in the new unit (a 25 % is no yes/no).
            for m in indicator.measurements:
                value_errors = _measurement_errors(
                    indicator, {"value": m.value, "measured_on": m.measured_on, "scope": m.scope}, set()
                ).get("value")
                if value_errors:
                    errors["unit"] = [
                        _("Measurements already recorded do not fit this unit: %(reason)s", reason=value_errors[0])
                    ]
                    break
    if errors:
        raise _invalid(errors)
    indicator.updated_at = now or utcnow()
    db.session.flush()
    return indicator


def delete_indicator(indicator: Indicator, *, actor: User) -> None:
    _require_coordinator(actor)
    db.session.delete(indicator)
    db.session.flush()


def _measurement_errors(indicator: Indicator, data: dict, taken: set) -> dict:
    errors: dict = {}
    scope = data.get("scope", scopes.OVERALL)
    if not scopes.is_scope(scope) or not scopes.within(indicator.scope, scope):
        errors["scope"] = [_("Choose a scope within the indicator's scope (%(scope)s).", scope=indicator.scope)]
    elif (scope, data["measured_on"]) in taken:
        errors["measured_on"] = [_("There is already a measurement for this scope on this date.")]
    if indicator.unit is Unit.YES_NO and data["value"] not in (0, 1):
        errors["value"] = [_("A yes/no indicator takes 1 (yes) or 0 (no).")]
    if indicator.unit in (Unit.PERCENT, Unit.COUNT) and data["value"] < 0:
        errors["value"] = [_("This value cannot be negative.")]
    if indicator.unit is Unit.PERCENT and data["value"] > 100:
        errors["value"] = [_("A percentage is at most 100.")]
    return errors


def _taken(indicator: Indicator) -> set:
    return set(
        db.session.execute(
            sa.select(Measurement.scope, Measurement.measured_on).where(Measurement.indicator_id == indicator.id)
        ).all()
    )


def _measurement(indicator: Indicator, actor: User, data: dict, now: datetime) -> Measurement:
    return Measurement(
        indicator_id=indicator.id,
        value=data["value"],
        measured_on=data["measured_on"],
        scope=data.get("scope", scopes.OVERALL),
        source=(data.get("source") or "").strip(),
        note=(data.get("note") or "").strip(),
        created_by_id=actor.id,
        created_at=now,
    )


def _insert(measurements: list[Measurement]) -> None:
    """Insert in a savepoint: a measurement stored concurrently for the same scope and date is a 422, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.add_all(measurements)
    except sa.exc.IntegrityError:
        raise _invalid({"measured_on": [_("There is already a measurement for this scope on this date.")]}) from None


def add_measurement(indicator: Indicator, *, actor: User, data: dict, now: datetime | None = None) -> Measurement:
    """Record one measured value (coordinators); one per scope and date."""
    _require_coordinator(actor)
    errors = _measurement_errors(indicator, data, _taken(indicator))
    if errors:
        raise _invalid(errors)
    measurement = _measurement(indicator, actor, data, now or utcnow())
    _insert([measurement])
    db.session.expire(indicator, ["measurements"])
    return measurement


def delete_measurement(measurement: Measurement, *, actor: User) -> None:
    _require_coordinator(actor)
    indicator = measurement.indicator
    db.session.delete(measurement)
    db.session.flush()
    db.session.expire(indicator, ["measurements"])


def import_measurements_csv(indicator: Indicator, *, actor: User, content: bytes, now: datetime | None = None) -> int:
    """Import measurements from CSV (header: measured_on,value[,scope,source,note]); all rows or none.

    A bad row rejects the whole file with its row number (the header is row 1) and the reason.
    """
    _require_coordinator(actor)
    if len(content) > MAX_CSV_BYTES:
        raise _invalid({"file": [_("The file is larger than %(n)d bytes.", n=MAX_CSV_BYTES)]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid({"file": [_("The file is not UTF-8 text.")]}) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    if "measured_on" not in header or "value" not in header or not set(header) <= set(CSV_COLUMNS):
        raise _invalid({"file": [_("The first row must name the columns: %(cols)s.", cols=", ".join(CSV_COLUMNS))]})
    reader.fieldnames = header
    schema, taken, rows = MeasurementInputSchema(), _taken(indicator), []
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_CSV_ROWS:
                raise _invalid({"file": [_("At most %(n)d rows.", n=MAX_CSV_ROWS)]})
            if None in raw:
                raise _invalid({"file": [_("Row %(row)d: too many columns.", row=number)]})
            fields = {k: (v or "").strip() for k, v in raw.items() if (v or "").strip() != ""}
            try:
                data = schema.load(fields)
            except SchemaError as exc:
                messages = translate(getattr(exc, "messages", {}))
                reason = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in messages.items())
                raise _invalid({"file": [_("Row %(row)d: %(reason)s", row=number, reason=reason)]}) from None
            row_errors = _measurement_errors(indicator, data, taken)
            if row_errors:
                reason = "; ".join(f"{k}: {' '.join(v)}" for k, v in row_errors.items())
                raise _invalid({"file": [_("Row %(row)d: %(reason)s", row=number, reason=reason)]})
            taken.add((data["scope"], data["measured_on"]))
            rows.append(data)
    except csv.Error:
        raise _invalid({"file": [_("The file is not valid CSV.")]}) from None
    if not rows:
        raise _invalid({"file": [_("The file has no measurements.")]})
    now = now or utcnow()
    _insert([_measurement(indicator, actor, data, now) for data in rows])
    db.session.expire(indicator, ["measurements"])
    return len(rows)


def series(indicator: Indicator) -> dict[str, list[tuple[date, float]]]:
    result: dict[str, list[tuple[date, float]]] = {}
    for m in indicator.measurements:
        result.setdefault(m.scope, []).append((m.measured_on, m.value))
    return result


def indicator_status(indicator: Indicator, *, today: date) -> dict:
    """The status per measured scope and the headline (the worst scope), each with its sentence."""
    per_scope = [
        {
            "scope": scope,
            "label": scopes.scope_label(scope),
            "result": evaluate(Spec.of(indicator), points, today=today),
        }
        for scope, points in sorted(series(indicator).items())
    ]
    if not per_scope:
        empty = evaluate(Spec.of(indicator), [], today=today)
        return {"status": Status.NO_DATA, "explanation": empty.explanation, "scopes": []}
    headline = worst([s["result"] for s in per_scope])
    first: dict = next(s for s in per_scope if s["result"].status is headline)
    result: Result = first["result"]
    explanation = result.explanation
    if first["scope"] != scopes.OVERALL:
        explanation = _("%(scope)s: %(sentence)s", scope=first["label"], sentence=explanation)
    return {"status": headline, "explanation": explanation, "scopes": per_scope}


def indicators_query() -> sa.Select:
    return (
        sa.select(Indicator)
        .join(Indicator.roadmap_action)
        .order_by(Indicator.roadmap_action_id, Indicator.id)
        .options(selectinload(Indicator.measurements), selectinload(Indicator.roadmap_action))
    )


MAX_SCORECARD_INDICATORS = 1000


def scorecard(*, today: date) -> list[dict]:
    """Per pillar and action, its indicators with their status (bounded: at most 1000 indicators)."""
    indicators: dict[int, list[Indicator]] = {}
    for indicator in db.session.scalars(indicators_query().limit(MAX_SCORECARD_INDICATORS)).all():
        indicators.setdefault(indicator.roadmap_action_id, []).append(indicator)
    pillars: list[dict] = []
    for action in db.session.scalars(actions_query().where(RoadmapAction.id.in_(list(indicators)))).all():
        if not pillars or pillars[-1]["pillar"].id != action.pillar.id:
            pillars.append({"pillar": action.pillar, "actions": []})
        pillars[-1]["actions"].append(
            {
                "action": action,
                "indicators": [
                    {"indicator": i, "status": indicator_status(i, today=today)} for i in indicators[action.id]
                ],
            }
        )
    return pillars


def off_track(*, today: date, limit: int = 10) -> list[dict]:
    """Indicators whose headline status is off track (at most ``limit``)."""
    found = []
    for indicator in db.session.scalars(indicators_query().limit(MAX_SCORECARD_INDICATORS)).all():
        status = indicator_status(indicator, today=today)
        if status["status"] is Status.OFF_TRACK:
            found.append({"indicator": indicator, "status": status})
            if len(found) >= limit:
                break
    return found


def open_actions() -> list[RoadmapAction]:
    """The roadmap actions an indicator can be attached to (not merged), in Table 1 order."""
    return list(db.session.scalars(actions_query()).all())


def indicators_for_actions(action_ids: list[int]) -> list[Indicator]:
    if not action_ids:
        return []
    return list(db.session.scalars(indicators_query().where(Indicator.roadmap_action_id.in_(action_ids))).all())


def status_counts(*, today: date) -> dict[Status, int]:
    """How many indicators have each headline status (every status present, zero included)."""
    counts = dict.fromkeys(Status, 0)
    for indicator in db.session.scalars(indicators_query().limit(MAX_SCORECARD_INDICATORS)).all():
        counts[indicator_status(indicator, today=today)["status"]] += 1
    return counts
