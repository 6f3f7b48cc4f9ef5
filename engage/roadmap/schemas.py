from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID


class RoadmapPrioritySchema(Schema):
    id = fields.Int()
    code = fields.Function(lambda p: f"P-{p.id}")
    text = fields.Str()


class RoadmapActionSchema(Schema):
    id = fields.Int()
    code = fields.Str(metadata={"description": "pillar.theme.sub-topic, as in Table 1 (e.g. 2.2.b)"})
    pillar_number = fields.Function(lambda a: a.pillar.number)
    theme = fields.Function(lambda a: a.theme.name)
    sub_topic_id = fields.Int()
    sub_topic = fields.Function(lambda a: a.sub_topic.name)
    title = fields.Str()
    description = fields.Str()
    description_html = fields.Str()
    priorities = fields.List(fields.Nested(RoadmapPrioritySchema))
    merged_into_id = fields.Int(allow_none=True)
    updated_at = fields.AwareDateTime()


_ids = fields.List(fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=100))


class RoadmapActionInputSchema(Schema):
    sub_topic_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    description = fields.Str(load_default="", validate=validate.Length(max=20000))
    priority_ids = _ids


class RoadmapActionUpdateSchema(RoadmapActionInputSchema):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class RoadmapMergeInputSchema(Schema):
    source_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), required=True, validate=validate.Length(min=1, max=50)
    )
