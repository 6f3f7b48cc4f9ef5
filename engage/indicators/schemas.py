from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID, chinese_field, english_field, one_language_of
from engage.indicators.models import Direction, Unit

_LIMIT = 1e12
_number = {"allow_nan": False, "validate": validate.Range(min=-_LIMIT, max=_LIMIT)}


class IndicatorInputSchema(Schema):
    roadmap_action_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    name = english_field(
        "English name. An indicator needs its English or its Chinese name, or both.", validate=validate.Length(max=200)
    )
    name_zh = chinese_field(validate=validate.Length(max=200))
    definition = english_field(load_default="", validate=validate.Length(max=5000))
    definition_zh = chinese_field(load_default="", validate=validate.Length(max=5000))
    unit = fields.Enum(Unit, by_value=True, required=True)
    currency_code = fields.Str(load_default=None, allow_none=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    direction = fields.Enum(Direction, by_value=True, load_default=Direction.HIGHER_IS_BETTER)
    baseline_low = fields.Float(required=True, **_number)
    baseline_high = fields.Float(load_default=None, allow_none=True, **_number)
    baseline_on = fields.Date(required=True)
    target_value = fields.Float(required=True, **_number)
    target_on = fields.Date(required=True)
    scope = fields.Str(load_default="overall", validate=validate.Length(min=1, max=16))
    tolerance = fields.Float(load_default=0.1, allow_nan=False, validate=validate.Range(min=0, max=1))
    data_source = fields.Str(load_default="", validate=validate.Length(max=500))
    owner = fields.Str(load_default="", validate=validate.Length(max=200))

    _one_name = one_language_of("name")


class IndicatorUpdateSchema(IndicatorInputSchema):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class MeasurementInputSchema(Schema):
    value = fields.Float(required=True, **_number)
    measured_on = fields.Date(required=True)
    scope = fields.Str(load_default="overall", validate=validate.Length(min=1, max=16))
    source = fields.Str(load_default="", validate=validate.Length(max=500))
    note = fields.Str(load_default="", validate=validate.Length(max=2000))


class MeasurementSchema(Schema):
    id = fields.Int()
    value = fields.Float()
    measured_on = fields.Date()
    scope = fields.Str()
    source = fields.Str()
    note = fields.Str()
    created_at = fields.AwareDateTime()


class StatusSchema(Schema):
    scope = fields.Str()
    status = fields.Function(lambda r: r["result"].status.value)
    label = fields.Function(lambda r: r["result"].label)
    explanation = fields.Function(lambda r: r["result"].explanation)
    latest_value = fields.Function(lambda r: r["result"].latest_value)
    latest_on = fields.Function(lambda r: r["result"].latest_on.isoformat() if r["result"].latest_on else None)
    expected_value = fields.Function(lambda r: r["result"].expected_value)
    projected_value = fields.Function(lambda r: r["result"].projected_value)


class IndicatorStatusSchema(Schema):
    status = fields.Function(lambda s: s["status"].value)
    explanation = fields.Str()
    scopes = fields.List(fields.Nested(StatusSchema))


class IndicatorSchema(Schema):
    id = fields.Int()
    roadmap_action_id = fields.Int()
    roadmap_action_code = fields.Function(lambda i: i.roadmap_action.code)
    name = english_field()
    name_zh = chinese_field()
    definition = english_field()
    definition_zh = chinese_field()
    unit = fields.Enum(Unit, by_value=True)
    currency_code = fields.Str(allow_none=True)
    direction = fields.Enum(Direction, by_value=True)
    baseline_low = fields.Float()
    baseline_high = fields.Float(allow_none=True)
    baseline_mid = fields.Float(metadata={"description": "where the path to the target starts (a range's midpoint)"})
    baseline_on = fields.Date()
    target_value = fields.Float()
    target_on = fields.Date()
    scope = fields.Str()
    tolerance = fields.Float()
    data_source = fields.Str()
    owner = fields.Str()
    updated_at = fields.AwareDateTime()


class ImportResultSchema(Schema):
    imported = fields.Int()
