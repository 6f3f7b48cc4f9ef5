from flask_login import current_user
from marshmallow import Schema, fields, validate

from engage.apiutil import CHINESE_HELP, MAX_ID, chinese_field, english_field, one_language_of
from engage.links import external_url
from engage.timeutil import to_zone
from engage.workshops.models import WorkshopStatus
from engage.workshops.permissions import can_manage_working_group


class SubTopicSchema(Schema):
    id = fields.Int()
    letter = fields.Str()
    name = fields.Str()
    name_zh = chinese_field()
    code = fields.Function(lambda s: f"{s.theme.working_group.pillar.number}.{s.theme.position}.{s.letter}")


class ThemeSchema(Schema):
    id = fields.Int()
    position = fields.Int()
    name = fields.Str()
    name_zh = chinese_field()
    sub_topics = fields.List(fields.Nested(SubTopicSchema))


class LeadSchema(Schema):
    id = fields.Int()
    display_name = fields.Str()


class WorkingGroupSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    name_zh = chinese_field()
    description = fields.Str()
    description_zh = chinese_field()
    pillar_number = fields.Function(lambda wg: wg.pillar.number)
    pillar_name = fields.Function(lambda wg: wg.pillar.name)
    pillar_name_zh = fields.Function(lambda wg: wg.pillar.name_zh, metadata={"description": CHINESE_HELP})
    leads = fields.List(fields.Nested(LeadSchema))


class CodebookWorkingGroupSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    name_zh = chinese_field()
    themes = fields.List(fields.Nested(ThemeSchema))


class PillarSchema(Schema):
    id = fields.Int()
    number = fields.Int()
    name = fields.Str()
    name_zh = chinese_field()
    working_group = fields.Nested(CodebookWorkingGroupSchema)


class AgendaItemSchema(Schema):
    position = fields.Int(dump_only=True)
    title = english_field(
        "English title; an item needs its English or its Chinese title, or both.",
        load_default="",
        validate=validate.Length(max=200),
    )
    title_zh = chinese_field(load_default="", validate=validate.Length(max=200))
    description = english_field(load_default="", validate=validate.Length(max=5000))
    description_zh = chinese_field(load_default="", validate=validate.Length(max=5000))
    duration_minutes = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=1440))


def _local(attr):
    def get(workshop):
        value = getattr(workshop, attr)
        return None if value is None else to_zone(value, workshop.timezone).isoformat()

    return fields.Function(get)


class WorkshopSchema(Schema):
    id = fields.Int()
    uid = fields.Str()
    working_group_id = fields.Int()
    working_group_name = fields.Function(lambda w: w.working_group.name)
    working_group_name_zh = fields.Function(lambda w: w.working_group.name_zh, metadata={"description": CHINESE_HELP})
    pillar_number = fields.Function(lambda w: w.working_group.pillar.number)
    title = english_field()
    title_zh = chinese_field()
    description = english_field()
    description_zh = chinese_field()
    round = fields.Int()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    timezone = fields.Str()
    starts_at_local = _local("starts_at")
    ends_at_local = _local("ends_at")
    venue = fields.Str()
    has_video_link = fields.Function(lambda w: bool(w.video_url))
    video_url = fields.Method(
        "_video_url",
        metadata={
            "description": "Only for the working group's lead and coordinators; "
            "seat holders find it in their registration."
        },
    )
    capacity = fields.Int()
    confirmed_count = fields.Int()
    seats_left = fields.Int()
    is_full = fields.Bool()
    registration_opens_at = fields.AwareDateTime(allow_none=True)
    registration_closes_at = fields.AwareDateTime(allow_none=True)
    status = fields.Enum(WorkshopStatus, by_value=True)
    sequence = fields.Int()
    agenda_items = fields.List(fields.Nested(AgendaItemSchema))

    def _video_url(self, workshop):
        return workshop.video_url if can_manage_working_group(current_user, workshop.working_group_id) else None

    ics_url = fields.Function(lambda w: external_url("calendars.workshop_ics", workshop_id=w.id))


_TIME_HELP = {"description": "ISO 8601. Without an offset, a wall-clock time in the workshop's time zone."}


class WorkshopInputSchema(Schema):
    working_group_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    title = english_field(
        "English title. A workshop needs its English or its Chinese title, or both.",
        validate=validate.Length(max=200),
    )
    title_zh = chinese_field(validate=validate.Length(max=200))
    description = english_field(validate=validate.Length(max=20000))
    description_zh = chinese_field(validate=validate.Length(max=20000))
    round = fields.Int(validate=validate.Range(min=1, max=100))
    starts_at = fields.DateTime(required=True, metadata=_TIME_HELP)
    ends_at = fields.DateTime(required=True, metadata=_TIME_HELP)
    timezone = fields.Str(required=True, validate=validate.Length(max=64))
    venue = fields.Str(validate=validate.Length(max=300))
    video_url = fields.Str(validate=validate.Length(max=500))
    capacity = fields.Int(required=True, validate=validate.Range(min=1, max=10000))
    registration_opens_at = fields.DateTime(allow_none=True, metadata=_TIME_HELP)
    registration_closes_at = fields.DateTime(allow_none=True, metadata=_TIME_HELP)
    agenda_items = fields.List(fields.Nested(AgendaItemSchema), validate=validate.Length(max=50))

    _one_title = one_language_of("title")


class WorkshopUpdateSchema(WorkshopInputSchema):
    class Meta:
        exclude = ("working_group_id",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class WorkshopListArgs(Schema):
    working_group_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
    upcoming = fields.Bool(load_default=False)
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))
