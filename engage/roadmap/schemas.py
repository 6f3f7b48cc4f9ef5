from marshmallow import Schema, fields, validate

from engage.apiutil import CHINESE_HELP, MAX_ID, chinese_field, english_field, one_language_of


class RoadmapPrioritySchema(Schema):
    id = fields.Int()
    code = fields.Function(lambda p: f"P-{p.id}")
    text = fields.Str()
    text_zh = chinese_field()


class RoadmapActionSchema(Schema):
    id = fields.Int()
    code = fields.Str(metadata={"description": "pillar.theme.sub-topic, as in Table 1 (e.g. 2.2.b)"})
    pillar_number = fields.Function(lambda a: a.pillar.number)
    theme = fields.Function(lambda a: a.theme.name)
    theme_zh = fields.Function(lambda a: a.theme.name_zh, metadata={"description": CHINESE_HELP})
    sub_topic_id = fields.Int()
    sub_topic = fields.Function(lambda a: a.sub_topic.name)
    sub_topic_zh = fields.Function(lambda a: a.sub_topic.name_zh, metadata={"description": CHINESE_HELP})
    title = english_field()
    title_zh = chinese_field()
    description = english_field("English wording (Markdown); empty when there is none.")
    description_zh = chinese_field("Chinese wording (Markdown); empty when there is none.")
    description_html = fields.Str(metadata={"description": "The English description as sanitised HTML."})
    description_html_zh = fields.Str(
        metadata={"description": "The Chinese description as sanitised HTML; empty when there is none."}
    )
    priorities = fields.List(fields.Nested(RoadmapPrioritySchema))
    merged_into_id = fields.Int(allow_none=True)
    updated_at = fields.AwareDateTime()


_ids = fields.List(fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=100))


class RoadmapActionInputSchema(Schema):
    sub_topic_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    title = english_field(
        "English title. An action needs its English or its Chinese title, or both.", validate=validate.Length(max=200)
    )
    title_zh = chinese_field(validate=validate.Length(max=200))
    description = english_field("English wording (Markdown).", load_default="", validate=validate.Length(max=20000))
    description_zh = chinese_field(
        "Chinese wording (Markdown); empty when there is none.", load_default="", validate=validate.Length(max=20000)
    )
    priority_ids = _ids

    _one_title = one_language_of("title")


class RoadmapActionUpdateSchema(RoadmapActionInputSchema):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class RoadmapMergeInputSchema(Schema):
    source_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), required=True, validate=validate.Length(min=1, max=50)
    )
