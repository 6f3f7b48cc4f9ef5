from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID
from engage.auth.models import Role, StakeholderCategory


class TokenRequestSchema(Schema):
    email = fields.Str(required=True, validate=validate.Length(min=3, max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=1000))
    name = fields.Str(load_default="", validate=validate.Length(max=100))


class TokenSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.Str(metadata={"description": "The bearer token. Shown once; only its hash is stored."})


class WorkingGroupRefSchema(Schema):
    id = fields.Int()
    name = fields.Str()


class UserSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    display_name = fields.Str()
    role = fields.Enum(Role, by_value=True)
    organisation = fields.Str()
    region = fields.Str()
    region_group = fields.Function(lambda user: user.region_group.value)
    category = fields.Enum(StakeholderCategory, by_value=True)
    locale = fields.Str()
    timezone = fields.Str()
    led_working_groups = fields.List(fields.Nested(WorkingGroupRefSchema))


class ProfileSchema(Schema):
    display_name = fields.Str(validate=validate.Length(min=1, max=120))
    organisation = fields.Str(validate=validate.Length(max=200))
    region = fields.Str(validate=validate.Length(max=8))
    category = fields.Enum(StakeholderCategory, by_value=True)
    timezone = fields.Str(validate=validate.Length(max=64))
    locale = fields.Str(validate=validate.Length(max=8))


class SignupSchema(ProfileSchema):
    invitation_token = fields.Str(load_default=None, validate=validate.Length(max=200))
    email = fields.Str(load_default="", validate=validate.Length(max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(max=1000))
    display_name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    consent = fields.Bool(required=True)
    consent_named = fields.Bool(load_default=False)
    consent_reminders = fields.Bool(load_default=True, metadata={"description": "reminder e-mails (default yes)"})


class InvitationRequestSchema(Schema):
    email = fields.Str(required=True, validate=validate.Length(min=3, max=254))
    invitee_name = fields.Str(load_default="", validate=validate.Length(max=120))
    locale = fields.Str(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=8),
        metadata={
            "description": "the language the invitee reads (en, zh): the invitation e-mail's language; "
            "by default Chinese for a region in China, otherwise English"
        },
    )
    region = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=8))
    role = fields.Enum(Role, by_value=True, load_default=Role.PARTICIPANT)
    working_group_id = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))


class InvitationSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    role = fields.Enum(Role, by_value=True)
    working_group_id = fields.Int(allow_none=True)
    created_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    accepted_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)


class NewInvitationSchema(InvitationSchema):
    url = fields.Str(metadata={"description": "The sign-up link. Shown once; only its hash is stored."})


class CalendarFeedSchema(Schema):
    url = fields.Str()


class SettingsSchema(Schema):
    open_signup = fields.Bool()
    consortium_name = fields.Str(
        validate=validate.Length(max=120), metadata={"description": "Shown in page titles, PDFs and e-mails"}
    )


class PasswordResetRequestSchema(Schema):
    email = fields.Str(required=True, validate=validate.Length(max=320))


class PasswordResetConfirmSchema(Schema):
    token = fields.Str(required=True, validate=validate.Length(max=200))
    password = fields.Str(required=True, validate=validate.Length(max=1000))


class PasswordChangeSchema(Schema):
    current_password = fields.Str(required=True, validate=validate.Length(max=1000))
    new_password = fields.Str(required=True, validate=validate.Length(max=1000))


class EmailChangeSchema(Schema):
    new_email = fields.Str(required=True, validate=validate.Length(max=320))
    current_password = fields.Str(required=True, validate=validate.Length(max=1000))


class TokenOnlySchema(Schema):
    token = fields.Str(required=True, validate=validate.Length(max=200))


class ConsentSchema(Schema):
    purpose = fields.Str()
    given = fields.Bool()
    text_version = fields.Str(allow_none=True)
    given_at = fields.AwareDateTime(allow_none=True)


class ConsentChangeSchema(Schema):
    given = fields.Bool(required=True)


class SessionSchema(Schema):
    id = fields.Int()
    user_agent = fields.Str()
    ip_address = fields.Str()
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    is_remembered = fields.Bool()
