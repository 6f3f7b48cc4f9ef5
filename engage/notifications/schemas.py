from marshmallow import Schema, fields, validate

from engage.apiutil import PageArgs, PageMeta
from engage.notifications.models import NotificationKind, NotificationState
from engage.notifications.services import MAX_REMINDER_MINUTES, MAX_REMINDERS


class NotificationListArgs(PageArgs):
    unread = fields.Bool(load_default=False, metadata={"description": "only unread notifications"})


class NotificationSchema(Schema):
    id = fields.Int()
    kind = fields.Enum(NotificationKind, by_value=True)
    subject = fields.Str()
    body = fields.Str(attribute="body_text")
    workshop_id = fields.Int(allow_none=True)
    email_state = fields.Enum(NotificationState, by_value=True, attribute="state")
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    read_at = fields.AwareDateTime(allow_none=True)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    meta = fields.Nested(PageMeta)
    unread_count = fields.Int()


class PreferencesSchema(Schema):
    reminders = fields.Bool(
        required=True,
        metadata={
            "description": "reminders of workshops and of closing Delphi rounds and consultations "
            "(confirmations always arrive)"
        },
    )


class ReminderScheduleSchema(Schema):
    minutes_before = fields.List(
        fields.Int(strict=True),
        required=True,
        validate=validate.Length(max=MAX_REMINDERS),
        metadata={
            "description": f"minutes before the moment reminded of (a workshop's start, a Delphi round's or "
            f"consultation's close), 1 … {MAX_REMINDER_MINUTES}; [] for none"
        },
    )
