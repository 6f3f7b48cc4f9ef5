from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID


class PrioritySubTopicSchema(Schema):
    id = fields.Int()
    code = fields.Function(lambda s: f"{s.theme.working_group.pillar.number}.{s.theme.position}.{s.letter}")
    name = fields.Str()


class PriorityEditSchema(Schema):
    field = fields.Str()
    old_value = fields.Str()
    new_value = fields.Str()
    reason = fields.Str()
    actor = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    created_at = fields.AwareDateTime()


class PrioritySchema(Schema):
    id = fields.Int()
    pillar_number = fields.Function(lambda p: p.pillar.number)
    pillar_name = fields.Function(lambda p: p.pillar.name)
    text = fields.Str()
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
    text = fields.Str(validate=validate.Length(min=1, max=2000))
    add_sub_topic_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=50)
    )
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))
