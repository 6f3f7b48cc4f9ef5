from datetime import UTC

from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID
from engage.delphi import disclosure
from engage.delphi.models import DisclosureMode, ItemOrigin, ResponseStatus, RoundItemChange
from engage.timeutil import utcnow

_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))
_reason = fields.Str(load_default="", validate=validate.Length(max=1000))
_when = {"default_timezone": UTC}


class SurveyInputSchema(Schema):
    working_group_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    title_zh = fields.Str(
        load_default="", validate=validate.Length(max=200), metadata={"description": "The title in Chinese."}
    )
    description = fields.Str(load_default="", validate=validate.Length(max=5000))
    description_zh = fields.Str(
        load_default="", validate=validate.Length(max=5000), metadata={"description": "The description in Chinese."}
    )
    disclosure_mode = fields.Enum(
        DisclosureMode,
        by_value=True,
        load_default=DisclosureMode.GROUP_RESULTS,
        metadata={
            "description": "group_results (default): figures per region and category, disclosure-controlled, no "
            "individual rows; response_matrix: pseudonymous rows per round for the leads and no group figures. "
            "Fixed once anyone is invited to or put on the panel."
        },
    )


class RuleInputSchema(Schema):
    """Any subset of the rule; fields left out keep their value."""

    scale_min = fields.Int(validate=validate.Range(min=0, max=10))
    scale_max = fields.Int(validate=validate.Range(min=1, max=11))
    scale_labels = fields.List(fields.Str(validate=validate.Length(max=100)), validate=validate.Length(max=11))
    scale_labels_zh = fields.List(
        fields.Str(validate=validate.Length(max=100)),
        allow_none=True,
        validate=validate.Length(max=11),
        metadata={
            "description": "The scale labels in Chinese, one per point like scale_labels; null while the labels "
            "are the default ones, which are then shown in the reader's language by the interface's catalogue."
        },
    )
    agreeing_values = fields.List(
        fields.Int(validate=validate.Range(min=0, max=11)), validate=validate.Length(min=1, max=11)
    )
    threshold_percent = fields.Int(validate=validate.Range(min=1, max=100))
    disagreeing_values = fields.List(
        fields.Int(validate=validate.Range(min=0, max=11)), validate=validate.Length(max=11)
    )
    veto_max_percent = fields.Int(allow_none=True, validate=validate.Range(min=0, max=100))
    min_valid_ratings = fields.Int(validate=validate.Range(min=1, max=100000))
    rounds_planned = fields.Int(validate=validate.Range(min=1, max=10))
    allows_cannot_rate = fields.Bool()


class RuleSchema(RuleInputSchema):
    frozen_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime()
    is_frozen = fields.Function(lambda rule: rule.is_frozen(utcnow()))


class RoundSchema(Schema):
    id = fields.Int()
    number = fields.Int()
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    state = fields.Function(lambda r: r.state(utcnow()))
    item_count = fields.Function(lambda r: len(r.round_items))


class SurveySchema(Schema):
    id = fields.Int()
    working_group_id = fields.Int()
    pillar_number = fields.Function(lambda s: s.working_group.pillar.number)
    title = fields.Str()
    title_zh = fields.Str(metadata={"description": "The title in Chinese (empty when not translated)."})
    description = fields.Str()
    description_zh = fields.Str(metadata={"description": "The description in Chinese (empty when not translated)."})
    created_at = fields.AwareDateTime()
    finalised_at = fields.AwareDateTime(allow_none=True)
    disclosure_mode = fields.Enum(DisclosureMode, by_value=True)
    disclosure_statement = fields.Function(
        lambda s: str(disclosure.statement(s.disclosure_mode)),
        metadata={"description": "What the panel is told about how its answers are published."},
    )
    rule = fields.Nested(RuleSchema)
    rounds = fields.List(fields.Nested(RoundSchema))


def _code(sub_topic) -> str:
    return f"{sub_topic.theme.working_group.pillar.number}.{sub_topic.theme.position}.{sub_topic.letter}"


_TEXT_ZH = "The statement in Chinese (empty: panellists reading Chinese see the English one, marked as such)."
_EXPLANATION_ZH = "The explanation in Chinese."


class ItemInputSchema(Schema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
    text_zh = fields.Str(load_default="", validate=validate.Length(max=2000), metadata={"description": _TEXT_ZH})
    explanation = fields.Str(load_default="", validate=validate.Length(max=5000))
    explanation_zh = fields.Str(
        load_default="", validate=validate.Length(max=5000), metadata={"description": _EXPLANATION_ZH}
    )
    origin = fields.Enum(ItemOrigin, by_value=True, load_default=ItemOrigin.LITERATURE)
    sub_topic_ids = fields.List(_id, load_default=list, validate=validate.Length(max=50))
    reason = _reason


class ItemUpdateSchema(Schema):
    text = fields.Str(validate=validate.Length(min=1, max=2000))
    text_zh = fields.Str(validate=validate.Length(max=2000), metadata={"description": _TEXT_ZH})
    explanation = fields.Str(validate=validate.Length(max=5000))
    explanation_zh = fields.Str(validate=validate.Length(max=5000), metadata={"description": _EXPLANATION_ZH})
    origin = fields.Enum(ItemOrigin, by_value=True)
    sub_topic_ids = fields.List(_id, validate=validate.Length(max=50))


class ItemSchema(Schema):
    id = fields.Int()
    text = fields.Str()
    text_zh = fields.Str(metadata={"description": _TEXT_ZH})
    explanation = fields.Str()
    explanation_zh = fields.Str(metadata={"description": _EXPLANATION_ZH})
    origin = fields.Enum(ItemOrigin, by_value=True)
    codes = fields.Function(lambda item: [_code(s) for s in item.sub_topics])
    sub_topic_ids = fields.Function(lambda item: [s.id for s in item.sub_topics])
    merged_into_id = fields.Int(allow_none=True)
    created_at = fields.AwareDateTime()


class ImportFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class PanelInputSchema(Schema):
    user_ids = fields.List(_id, required=True, validate=validate.Length(min=1, max=500))


class PanelInvitationInputSchema(Schema):
    email = fields.Str(required=True, validate=validate.Length(min=3, max=254))


class PanelInvitationSchema(Schema):
    id = fields.Int()
    email = fields.Str()
    expires_at = fields.AwareDateTime()
    signup_url = fields.Str()


class PanelMemberSchema(Schema):
    user_id = fields.Int()
    display_name = fields.Function(lambda m: m.user.display_name)
    organisation = fields.Function(lambda m: m.user.organisation)
    region = fields.Function(lambda m: m.user.region)
    region_group = fields.Function(lambda m: m.user.region_group.value)
    category = fields.Function(lambda m: m.user.category.value)
    added_at = fields.AwareDateTime()


class RoundInputSchema(Schema):
    opens_at = fields.AwareDateTime(required=True, **_when)
    closes_at = fields.AwareDateTime(required=True, **_when)


class RoundUpdateSchema(Schema):
    opens_at = fields.AwareDateTime(**_when)
    closes_at = fields.AwareDateTime(**_when)


class RoundItemSchema(Schema):
    item_id = fields.Int()
    position = fields.Int()
    text = fields.Str()
    text_zh = fields.Str(metadata={"description": "The Chinese wording asked in this round (frozen when it opens)."})
    explanation = fields.Str()
    explanation_zh = fields.Str(metadata={"description": _EXPLANATION_ZH})
    change = fields.Enum(RoundItemChange, by_value=True)
    codes = fields.Function(lambda ri: [_code(s) for s in ri.item.sub_topics])


class RatingInputSchema(Schema):
    item_id = fields.Int(required=True, validate=validate.Range(min=1, max=MAX_ID))
    value = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=-1000, max=1000))
    cannot_rate = fields.Bool(load_default=False)
    rationale = fields.Str(load_default="", validate=validate.Length(max=2000))


class ResponseInputSchema(Schema):
    ratings = fields.List(fields.Nested(RatingInputSchema), required=True, validate=validate.Length(max=1000))
    submit = fields.Bool(load_default=False)


class RatingSchema(Schema):
    item_id = fields.Int()
    value = fields.Int(allow_none=True)
    cannot_rate = fields.Bool(attribute="is_cannot_rate")
    rationale = fields.Str()


class MyResponseSchema(Schema):
    round_id = fields.Int()
    status = fields.Enum(ResponseStatus, by_value=True, allow_none=True)
    submitted_at = fields.AwareDateTime(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)
    language = fields.Str(
        allow_none=True,
        metadata={"description": "The language the response was last saved in (en, zh); null before any save."},
    )
    ratings = fields.List(fields.Nested(RatingSchema))


class RewordInputSchema(Schema):
    """The new wording; a wording left out stays as it was (give at least one)."""

    text = fields.Str(validate=validate.Length(min=1, max=2000))
    text_zh = fields.Str(
        validate=validate.Length(max=2000), metadata={"description": "The new Chinese wording of the statement."}
    )
    explanation = fields.Str(validate=validate.Length(max=5000))
    explanation_zh = fields.Str(validate=validate.Length(max=5000), metadata={"description": _EXPLANATION_ZH})
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))


class ReasonInputSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))


class MergeInputSchema(Schema):
    item_ids = fields.List(_id, required=True, validate=validate.Length(min=2, max=50))
    text = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
    text_zh = fields.Str(load_default="", validate=validate.Length(max=2000), metadata={"description": _TEXT_ZH})
    explanation = fields.Str(load_default="", validate=validate.Length(max=5000))
    explanation_zh = fields.Str(
        load_default="", validate=validate.Length(max=5000), metadata={"description": _EXPLANATION_ZH}
    )
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=1000))


class AuditEntrySchema(Schema):
    id = fields.Int()
    action = fields.Function(lambda e: e.action.value)
    round_id = fields.Int(allow_none=True)
    item_id = fields.Int(allow_none=True)
    actor = fields.Function(lambda e: e.actor.display_name if e.actor else None)
    reason = fields.Str()
    details = fields.Dict()
    created_at = fields.AwareDateTime()


def _doc(text: str) -> dict:
    return {"metadata": {"description": text}}


class StabilityRowSchema(Schema):
    item_id = fields.Int(**_doc("The item, asked in this round and the one before."))
    text = fields.Str(**_doc("Its wording in this round."))
    paired_panellists = fields.Int(
        **_doc(
            "Panellists who submitted both rounds with a valid rating of this item in each (“cannot rate” is no "
            "valid rating): only they are compared."
        )
    )
    changed_percent = fields.Float(
        allow_none=True,
        **_doc("Share of the paired panellists whose rating changed, in %; null when fewer than 5 are paired."),
    )
    agreement_before = fields.Float(allow_none=True, **_doc("% agreement in the round before (of its valid ratings)."))
    agreement_now = fields.Float(allow_none=True, **_doc("% agreement in this round (of its valid ratings)."))
    agreement_change = fields.Float(
        allow_none=True, **_doc("agreement_now − agreement_before in percentage points; null when either is null.")
    )
    is_stable = fields.Bool(**_doc("True when % agreement moved by at most 15 points."))
    suppressed = fields.Bool(
        **_doc("Present and true when either round had fewer than 5 respondents: then no figures at all.")
    )
    reason = fields.Str(**_doc("Why the figures are suppressed."))
    label = fields.Str(**_doc("Short text shown instead of the figures."))


class StabilitySchema(Schema):
    items = fields.List(fields.Nested(StabilityRowSchema))


class DisclosureInputSchema(Schema):
    disclosure_mode = fields.Enum(DisclosureMode, by_value=True, required=True)
