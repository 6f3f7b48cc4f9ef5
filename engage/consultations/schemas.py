from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID, PageArgs, chinese_field, english_field, one_language_of
from engage.consultations.models import Audience, ReferenceKind
from engage.consultations.services import BODY_MAX_LENGTH, MAX_INVITEES, MAX_REFERENCES
from engage.participation.schemas import comment_author

_WALL_CLOCK = {"description": "ISO 8601 wall-clock time in `timezone` (an offset, if given, is respected)."}


class ReferenceInputSchema(Schema):
    kind = fields.Enum(ReferenceKind, by_value=True, required=True)
    minutes_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID), load_default=None, allow_none=True)
    pillar_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID), load_default=None, allow_none=True)


class ConsultationUpdateSchema(Schema):
    title = english_field(
        "English title. A consultation needs its English or its Chinese title, or both.",
        validate=validate.Length(max=200),
    )
    title_zh = chinese_field(validate=validate.Length(max=200))
    body = english_field(
        "The document in English, in Markdown (sanitised). It needs its English or its Chinese text, or both.",
        validate=validate.Length(max=BODY_MAX_LENGTH + 1000),
    )
    body_zh = chinese_field(
        "The document in Chinese, in Markdown (sanitised); empty when there is none.",
        validate=validate.Length(max=BODY_MAX_LENGTH + 1000),
    )
    timezone = fields.Str(validate=validate.Length(max=64), metadata={"description": "IANA zone, e.g. Europe/Rome."})
    opens_at = fields.NaiveDateTime(metadata=_WALL_CLOCK)
    closes_at = fields.NaiveDateTime(metadata=_WALL_CLOCK)
    audience = fields.Enum(Audience, by_value=True)
    user_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)),
        validate=validate.Length(max=MAX_INVITEES),
        metadata={"description": "The invited people, when audience is `listed`."},
    )
    references = fields.List(fields.Nested(ReferenceInputSchema), validate=validate.Length(max=MAX_REFERENCES))


class ConsultationCreateSchema(ConsultationUpdateSchema):
    working_group_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID), load_default=None, allow_none=True)
    timezone = fields.Str(required=True, validate=validate.Length(max=64))
    opens_at = fields.NaiveDateTime(required=True, metadata=_WALL_CLOCK)
    closes_at = fields.NaiveDateTime(required=True, metadata=_WALL_CLOCK)
    audience = fields.Enum(Audience, by_value=True, required=True)

    _one_language = one_language_of("title", "body")


class ReferenceSchema(Schema):
    kind = fields.Enum(ReferenceKind, by_value=True)
    minutes_id = fields.Int()
    pillar_id = fields.Int()


class ConsultationSchema(Schema):
    id = fields.Int()
    working_group_id = fields.Int(allow_none=True)
    title = english_field()
    title_zh = chinese_field()
    body = english_field("The document in English, in Markdown; empty when there is none.")
    body_zh = chinese_field("The document in Chinese, in Markdown; empty when there is none.")
    body_html = fields.Str(metadata={"description": "The English document as sanitised HTML."})
    body_html_zh = fields.Str(
        metadata={"description": "The Chinese document as sanitised HTML; empty when there is none."}
    )
    timezone = fields.Str()
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    state = fields.Str(metadata={"description": "scheduled · open · closed, from the clock"})
    audience = fields.Enum(Audience, by_value=True)
    user_ids = fields.List(fields.Int())
    references = fields.List(fields.Nested(ReferenceSchema))
    response_html = fields.Str(allow_none=True, metadata={"description": "The published response note, if any."})


class ConsultationListArgs(PageArgs):
    pass


class ConsultationCommentInputSchema(Schema):
    body = fields.Str(required=True, validate=validate.Length(max=100000))


class ConsultationCommentSchema(Schema):
    id = fields.Int()
    consultation_id = fields.Int()
    author_id = fields.Function(lambda c: (comment_author(c) or {}).get("id"), allow_none=True)
    author_name = fields.Str(attribute="author_label")
    body = fields.Str()
    body_html = fields.Str(attribute="shown_html")
    created_at = fields.AwareDateTime()
    edited_at = fields.AwareDateTime(allow_none=True)
    language = fields.Str(
        allow_none=True,
        metadata={
            "description": "The language it was written in (en, zh); null for comments written before this was kept."
        },
    )


class ConsultationResponseInputSchema(Schema):
    body = fields.Str(required=True, validate=validate.Length(max=100000))


def describe(consultation, now, response=None) -> dict:
    """The output of ConsultationSchema: the stored fields plus the state at `now` and the response note."""
    return {
        "id": consultation.id,
        "working_group_id": consultation.working_group_id,
        "title": consultation.title,
        "title_zh": consultation.title_zh,
        "body": consultation.body,
        "body_zh": consultation.body_zh,
        "body_html": consultation.body_html,
        "body_html_zh": consultation.body_html_zh,
        "timezone": consultation.timezone,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "state": consultation.state(now).value,
        "audience": consultation.audience,
        "user_ids": [u.id for u in consultation.invitees],
        "references": consultation.references,
        "response_html": response.body_html if response is not None else None,
    }
