from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID, PageArgs
from engage.auth.models import Role, StakeholderCategory


class UserFilterArgs(PageArgs):
    q = fields.Str(load_default=None, validate=validate.Length(max=200), metadata={"description": "name or e-mail"})
    role = fields.Enum(Role, by_value=True, load_default=None)
    working_group_id = fields.Int(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    region = fields.Str(load_default=None, validate=validate.Length(max=8))
    category = fields.Enum(StakeholderCategory, by_value=True, load_default=None)
    is_active = fields.Bool(load_default=None)


class AdminUserSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    display_name = fields.Str()
    role = fields.Enum(Role, by_value=True)
    organisation = fields.Str()
    region = fields.Str()
    category = fields.Enum(StakeholderCategory, by_value=True)
    is_active = fields.Bool(attribute="is_active_account")
    is_erased = fields.Bool()
    lead_working_group_ids = fields.Function(lambda u: [wg.id for wg in u.led_working_groups])
    created_at = fields.AwareDateTime()
    last_login_at = fields.AwareDateTime(allow_none=True)


class UserUpdateSchema(Schema):
    role = fields.Enum(Role, by_value=True)
    lead_working_group_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), validate=validate.Length(max=20)
    )
    is_active = fields.Bool()


class BulkInvitationSchema(Schema):
    csv = fields.Str(required=True, validate=validate.Length(min=1, max=1024 * 1024))
    survey_id = fields.Int(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "invite to this Delphi survey's panel; without it, sign-up invitations"},
    )
    dry_run = fields.Bool(load_default=False, metadata={"description": "check and preview only, send nothing"})


class BulkRowSchema(Schema):
    row = fields.Int(attribute="number")
    email = fields.Str()
    name = fields.Str()
    language = fields.Str(attribute="locale", allow_none=True)
    region = fields.Str(allow_none=True)
    category = fields.Enum(StakeholderCategory, by_value=True, allow_none=True)
    working_group_id = fields.Function(lambda r: r.working_group.id if r.working_group else None)
    warnings = fields.List(fields.Str())


class BulkResultSchema(Schema):
    sent = fields.Bool()
    count = fields.Int()
    rows = fields.List(fields.Nested(BulkRowSchema))
