from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID
from engage.minutes.models import ActionStatus, ExportState, MinutesStatus
from engage.minutes.services import MAX_SECTIONS


class MinutesPersonSchema(Schema):
    id = fields.Int()
    display_name = fields.Str()


class MinutesDecisionSchema(Schema):
    id = fields.Int()
    text = fields.Str()
    text_html = fields.Str()


class MinutesActionItemSchema(Schema):
    id = fields.Int()
    description = fields.Str()
    description_html = fields.Str()
    owner = fields.Str()
    due_on = fields.Date(allow_none=True)
    status = fields.Enum(ActionStatus, by_value=True)


class MinutesSectionSchema(Schema):
    id = fields.Int()
    agenda_item_id = fields.Int(allow_none=True)
    position = fields.Int()
    title = fields.Str()
    discussion = fields.Str()
    discussion_html = fields.Str()
    decisions = fields.List(fields.Nested(MinutesDecisionSchema))
    actions = fields.List(fields.Nested(MinutesActionItemSchema))


class MinutesVersionSummarySchema(Schema):
    number = fields.Int()
    content_hash = fields.Str()
    approved_at = fields.AwareDateTime()
    approved_by = fields.Function(lambda v: v.approver_label or None)
    change_note = fields.Str()


class MinutesVersionSchema(MinutesVersionSummarySchema):
    content = fields.Dict()


class MinutesSchema(Schema):
    id = fields.Int()
    workshop_id = fields.Int()
    status = fields.Enum(MinutesStatus, by_value=True)
    revision = fields.Int(metadata={"description": "Send it back when saving; a stale one is refused (409)."})
    comment_deadline_at = fields.AwareDateTime(allow_none=True)
    published_version_number = fields.Int(allow_none=True)
    editors = fields.List(fields.Nested(MinutesPersonSchema))
    sections = fields.List(fields.Nested(MinutesSectionSchema))
    versions = fields.List(fields.Nested(MinutesVersionSummarySchema))
    linked_priority_ids = fields.Method("_linked")

    def _linked(self, minutes):
        from engage.minutes.services import linked_priority_ids

        return linked_priority_ids(minutes)


class MinutesInputSchema(Schema):
    """sections: [{agenda_item_id, title, discussion, decisions: [{text}], actions: [{description, owner,
    due_on (YYYY-MM-DD), status}]}]. `[[P-12]]` in any text links priority 12; unknown ones are a 422 naming
    the field (e.g. `sections.0.discussion`)."""

    revision = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
    sections = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=MAX_SECTIONS))


class MinutesEditorsInputSchema(Schema):
    user_ids = fields.List(
        fields.Int(validate=validate.Range(min=1, max=MAX_ID)), required=True, validate=validate.Length(max=20)
    )


class MinutesCirculateInputSchema(Schema):
    comment_deadline_at = fields.AwareDateTime(required=True)


class MinutesApproveInputSchema(Schema):
    change_note = fields.Str(load_default="", validate=validate.Length(max=1000))


class MinutesCommentInputSchema(Schema):
    body = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    section_id = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))


class MinutesCommentSchema(Schema):
    id = fields.Int()
    author = fields.Function(
        lambda c: None if c.author is None or c.author.is_erased else MinutesPersonSchema().dump(c.author),
        allow_none=True,
    )
    author_name = fields.Str(attribute="author_label")
    section_id = fields.Int(allow_none=True)
    body = fields.Str()
    body_html = fields.Str(attribute="shown_html")
    language = fields.Str(
        allow_none=True,
        metadata={
            "description": "The language it was written in (en, zh); null for comments written before this was kept."
        },
    )
    created_at = fields.AwareDateTime()


class MinutesEventSchema(Schema):
    kind = fields.Function(lambda e: e.kind.value)
    actor = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    from_status = fields.Str()
    to_status = fields.Str()
    version_number = fields.Int(allow_none=True)
    details = fields.Str()
    created_at = fields.AwareDateTime()


class MinutesPriorityLinkSchema(Schema):
    kind = fields.Str(metadata={"description": "discussion, decision or action"})
    workshop_id = fields.Function(lambda link: link.minutes.workshop_id)
    workshop_title = fields.Function(lambda link: link.minutes.workshop.title)
    workshop_title_zh = fields.Function(
        lambda link: link.minutes.workshop.title_zh,
        metadata={"description": "Chinese wording; empty when there is none."},
    )
    minutes_status = fields.Function(lambda link: link.minutes.status.value)
    section_title = fields.Function(lambda link: link.section.title)
    text = fields.Method("_text")

    def _text(self, link):
        if link.decision is not None:
            return link.decision.text
        if link.action_item is not None:
            return link.action_item.description
        return link.section.discussion


class MinutesExportInputSchema(Schema):
    working_group_id = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))


class MinutesExportSchema(Schema):
    id = fields.Int()
    working_group_id = fields.Int(allow_none=True)
    state = fields.Enum(ExportState, by_value=True)
    progress_done = fields.Int()
    progress_total = fields.Int()
    error = fields.Str()
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    download_url = fields.Method("_download")

    def _download(self, job):
        from flask import url_for

        from engage.minutes.models import ExportState as State

        return url_for("minutes_api.export_file", export_id=job.id) if job.state is State.DONE else None
