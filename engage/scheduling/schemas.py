from marshmallow import Schema, ValidationError, fields, validate

from engage.apiutil import MAX_ID
from engage.messages import N_
from engage.scheduling.services import MAX_PEOPLE
from engage.scheduling.slots import MAX_DURATION


class IdList(fields.Field):
    """Ids as a comma-separated string ("3,8,12"), the same in a query string and a form."""

    default_error_messages = {"invalid": N_("Enter user ids separated by commas, e.g. 3,8,12.")}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() and len(part) <= 10 for part in parts):
            raise self.make_error("invalid")
        ids = list(dict.fromkeys(int(part) for part in parts))
        if any(not 1 <= i <= MAX_ID for i in ids):
            raise self.make_error("invalid")
        if len(ids) > MAX_PEOPLE:
            raise ValidationError(N_("At most {max} people.").format(max=MAX_PEOPLE))
        return ids


class SlotSearchArgs(Schema):
    working_group_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
    user_ids = IdList(metadata={"description": "Comma-separated user ids, instead of a working group."})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, metadata={"description": "Inclusive; at most 31 days after starts_on."})
    timezone = fields.Str(
        load_default="UTC",
        validate=validate.Length(max=64),
        metadata={"description": "The zone in which the dates are read."},
    )
    duration_minutes = fields.Int(
        required=True, validate=validate.Range(min=1, max=int(MAX_DURATION.total_seconds() // 60))
    )
    limit = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


class LocalTimeSchema(Schema):
    user_id = fields.Function(lambda lt: lt.person.id)
    display_name = fields.Function(lambda lt: lt.person.name)
    timezone = fields.Function(lambda lt: lt.person.zone)
    starts_at = fields.Function(lambda lt: lt.starts_at.isoformat())
    ends_at = fields.Function(lambda lt: lt.ends_at.isoformat())
    is_within_hours = fields.Bool()


class SlotSchema(Schema):
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    available = fields.Int(metadata={"description": "People inside their working hours."})
    total = fields.Int()
    local_times = fields.List(fields.Nested(LocalTimeSchema))


class ParticipantSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    zone = fields.Str()


class SlotSearchSchema(Schema):
    participants = fields.List(fields.Nested(ParticipantSchema))
    range_start = fields.AwareDateTime()
    range_end = fields.AwareDateTime()
    slots = fields.List(fields.Nested(SlotSchema))
