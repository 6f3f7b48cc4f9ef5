from marshmallow import Schema, fields, validate

from engage.participation.models import RegistrationStatus


class PersonSchema(Schema):
    id = fields.Int()
    display_name = fields.Str()


class RegistrationSchema(Schema):
    id = fields.Int()
    workshop_id = fields.Int()
    user = fields.Nested(PersonSchema)
    status = fields.Enum(RegistrationStatus, by_value=True)
    waitlist_position = fields.Int(allow_none=True, metadata={"description": "1-based place on the waiting list"})
    queued_at = fields.AwareDateTime()
    confirmed_at = fields.AwareDateTime(allow_none=True)
    promoted_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    video_url = fields.Function(
        lambda r: (r.workshop.video_url or None) if r.holds_seat else None,
        metadata={"description": "The workshop's video link, for people holding a seat"},
    )


class ManagedRegistrationSchema(RegistrationSchema):
    """What a lead sees: the person's contact and stakeholder profile too."""

    email = fields.Function(lambda r: r.user.email)
    organisation = fields.Function(lambda r: r.user.organisation)
    region = fields.Function(lambda r: r.user.region)
    category = fields.Function(lambda r: r.user.category.value)


class AttendanceSchema(Schema):
    attended = fields.Bool(required=True)


class CommentInputSchema(Schema):
    body = fields.Str(required=True, validate=validate.Length(min=1, max=20000))


class HideCommentSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=500))


def comment_author(comment) -> dict | None:
    """The author, or None once they erased their account (the comment then reads "a former participant")."""
    if comment.author is None or comment.author.is_erased:
        return None
    return {"id": comment.author.id, "display_name": comment.author.display_name}


class CommentSchema(Schema):
    id = fields.Int()
    workshop_id = fields.Int()
    author = fields.Function(comment_author, allow_none=True, metadata={"description": "null for a former participant"})
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
