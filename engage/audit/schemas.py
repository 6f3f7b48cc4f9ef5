from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID, PageArgs
from engage.audit.models import AuditAction


class AuditFilterArgs(PageArgs):
    action = fields.Enum(AuditAction, by_value=True, load_default=None)
    actor_id = fields.Int(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    target_type = fields.Str(load_default=None, validate=validate.Length(max=40))
    target_id = fields.Int(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    since = fields.AwareDateTime(load_default=None, default_timezone=None)
    until = fields.AwareDateTime(load_default=None, default_timezone=None)


class AuditEventSchema(Schema):
    id = fields.Int()
    occurred_at = fields.AwareDateTime()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    action = fields.Enum(AuditAction, by_value=True)
    target_type = fields.Str()
    target_id = fields.Int(allow_none=True)
    ip_address = fields.Str()
    details = fields.Dict()
