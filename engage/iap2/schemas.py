from datetime import datetime

from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID
from engage.iap2.activities import ActivityInfo
from engage.iap2.classifier import classify
from engage.iap2.levels import ATTRIBUTION, IAP2Level
from engage.iap2.models import ActivityDesign, BriefingChannel
from engage.iap2.services import FEEDBACK_MAX_LENGTH, feedback_due_at, flag_text, promise_status


class LevelSchema(Schema):
    value = fields.Str()
    rank = fields.Int()
    label = fields.Str()
    goal = fields.Str()
    promise = fields.Str()


class SpectrumSchema(Schema):
    levels = fields.List(fields.Nested(LevelSchema))
    attribution = fields.Str()


def spectrum() -> dict:
    return {"levels": list(IAP2Level), "attribution": str(ATTRIBUTION)}


class DesignInputSchema(Schema):
    input_sought = fields.Bool(required=True, metadata={"description": "Is participants' input sought?"})
    iterative_throughout = fields.Bool(
        required=True, metadata={"description": "Is the work iterative with participants throughout?"}
    )
    shape_alternatives = fields.Bool(
        required=True,
        metadata={"description": "Do participants help develop the alternatives and choose the preferred one?"},
    )
    decision_delegated = fields.Bool(required=True, metadata={"description": "Is the final decision theirs?"})
    declared_level = fields.Enum(IAP2Level, by_value=True, load_default=None, allow_none=True)


class FeedbackInputSchema(Schema):
    body = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=FEEDBACK_MAX_LENGTH),
        metadata={"description": "Markdown: what we heard, what we did."},
    )


class FeedbackNoteSchema(Schema):
    body = fields.Str()
    body_html = fields.Str()
    published_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime(allow_none=True)


class DesignSchema(Schema):
    activity_kind = fields.Str()
    activity_id = fields.Int()
    activity_title = fields.Str()
    working_group_id = fields.Int(allow_none=True)
    input_sought = fields.Bool()
    iterative_throughout = fields.Bool()
    shape_alternatives = fields.Bool()
    decision_delegated = fields.Bool()
    declared_level = fields.Str(allow_none=True)
    derived_level = fields.Str()
    rationale = fields.Str()
    is_declared_above_derived = fields.Bool()
    flag = fields.Str(allow_none=True, metadata={"description": 'e.g. "declared Collaborate, design supports Consult"'})
    promise = fields.Str()
    promise_status = fields.Str(metadata={"description": "not_owed, pending, overdue or kept"})
    feedback_due_at = fields.AwareDateTime(allow_none=True)
    feedback_note = fields.Nested(FeedbackNoteSchema, allow_none=True)


def describe_design(design: ActivityDesign, info: ActivityInfo, now: datetime) -> dict:
    """The design profile as the API and pages show it."""
    status = promise_status(design, info, now)
    return {
        "activity_kind": info.kind.value,
        "activity_id": info.id,
        "activity_title": info.title,
        "working_group_id": info.working_group_id,
        "input_sought": design.is_input_sought,
        "iterative_throughout": design.is_iterative_throughout,
        "shape_alternatives": design.is_shaping_alternatives,
        "decision_delegated": design.is_decision_delegated,
        "declared_level": design.declared_level.value if design.declared_level else None,
        "derived_level": design.derived_level.value,
        "rationale": classify(design.design)[1],
        "is_declared_above_derived": design.is_declared_above_derived,
        "flag": flag_text(design),
        "promise": design.promised_level.promise,
        "promise_status": status,
        "feedback_due_at": feedback_due_at(info) if status != "not_owed" else None,
        "feedback_note": design.feedback_note,
    }


class OverduePromiseSchema(Schema):
    activity_kind = fields.Function(lambda p: p.activity.kind.value)
    activity_id = fields.Function(lambda p: p.activity.id)
    activity_title = fields.Function(lambda p: p.activity.title)
    working_group_id = fields.Function(lambda p: p.activity.working_group_id)
    level = fields.Function(lambda p: p.design.promised_level.value)
    ended_at = fields.Function(lambda p: p.activity.ends_at.isoformat())
    due_at = fields.AwareDateTime()


class InvolvementProfileSchema(Schema):
    user_id = fields.Int()
    highest_level = fields.Str(allow_none=True)
    activities_per_level = fields.Dict(keys=fields.Str(), values=fields.Int())


class MatrixRowSchema(Schema):
    key = fields.Str()
    label = fields.Str()
    counts = fields.Dict(keys=fields.Str(), values=fields.Int())
    total = fields.Int()


class FlaggedSchema(Schema):
    activity_kind = fields.Str()
    activity_id = fields.Int()
    title = fields.Str(allow_none=True)
    declared_level = fields.Str()
    derived_level = fields.Str()


class InvolvementReportSchema(Schema):
    levels = fields.List(fields.Str())
    people = fields.Int()
    by_category = fields.List(fields.Nested(MatrixRowSchema))
    by_region_group = fields.List(fields.Nested(MatrixRowSchema))
    by_working_group = fields.List(fields.Nested(MatrixRowSchema))
    flagged_designs = fields.List(fields.Nested(FlaggedSchema))


class BriefingInputSchema(Schema):
    working_group_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    channel = fields.Enum(BriefingChannel, by_value=True, load_default=BriefingChannel.OTHER)
    held_at = fields.DateTime(
        required=True, metadata={"description": "ISO 8601. Without an offset, a wall-clock time in `timezone`."}
    )
    timezone = fields.Str(load_default="UTC", validate=validate.Length(max=64))


class BriefingSchema(Schema):
    id = fields.Int()
    working_group_id = fields.Int()
    working_group_name = fields.Function(lambda b: b.working_group.name)
    title = fields.Str()
    channel = fields.Enum(BriefingChannel, by_value=True)
    held_at = fields.AwareDateTime()


class BriefingListArgs(Schema):
    working_group_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
