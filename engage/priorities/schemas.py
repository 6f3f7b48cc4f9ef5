from marshmallow import Schema, fields, validate

from engage.apiutil import CHINESE_HELP, MAX_ID, chinese_field, english_field


class PrioritySubTopicSchema(Schema):
    id = fields.Int()
    code = fields.Function(lambda s: f"{s.theme.working_group.pillar.number}.{s.theme.position}.{s.letter}")
    name = fields.Str()
    name_zh = chinese_field()


class PriorityEditSchema(Schema):
    field = fields.Str(metadata={"description": "text (the English wording), text_zh (the Chinese) or codes"})
    old_value = fields.Str()
    new_value = fields.Str()
    reason = fields.Str()
    actor = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    created_at = fields.AwareDateTime()


class PrioritySchema(Schema):
    id = fields.Int()
    pillar_number = fields.Function(lambda p: p.pillar.number)
    pillar_name = fields.Function(lambda p: p.pillar.name)
    pillar_name_zh = fields.Function(lambda p: p.pillar.name_zh, metadata={"description": CHINESE_HELP})
    text = english_field()
    text_zh = chinese_field()
    source_delphi_item_id = fields.Int(allow_none=True)
    final_statistics = fields.Dict(allow_none=True)
    sub_topics = fields.List(fields.Nested(PrioritySubTopicSchema))
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class PriorityDetailSchema(PrioritySchema):
    edits = fields.List(fields.Nested(PriorityEditSchema))


class PriorityListArgs(Schema):
    pillar_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Int(load_default=50, validate=validate.Range(min=1, max=100))


class PriorityUpdateSchema(Schema):
    text = english_field(
        "The English wording. A priority keeps its English or its Chinese wording, or both.",
        validate=validate.Length(max=2000),
    )
    text_zh = chinese_field(validate=validate.Length(max=2000))
    add_sub_topic_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=50)
    )
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))
