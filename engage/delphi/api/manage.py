"""Lead and coordinator endpoints: surveys, the consensus rule, items, panel, rounds, next-round changes."""

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.apiutil import get_or_404
from engage.auth.access import require_user
from engage.delphi import schemas, services
from engage.delphi.api import blp
from engage.delphi.jobs import round_reminder_minutes, round_reminders
from engage.delphi.loaders import managed_round, managed_survey, survey_item, visible_survey
from engage.delphi.models import DelphiAuditEntry, DelphiPanelMember
from engage.delphi.queries import visible_surveys_query
from engage.delphi.services.common import invalid
from engage.extensions import db
from engage.links import external_url
from engage.notifications.reminders import set_reminders
from engage.notifications.schemas import ReminderScheduleSchema
from engage.workshops.models import WorkingGroup


@blp.route("/surveys", methods=["GET"])
@blp.response(200, schemas.SurveySchema(many=True))
def list_surveys():
    """Surveys you run (lead, coordinator) or sit on the panel of."""
    return db.session.scalars(visible_surveys_query(require_user())).all()


@blp.route("/surveys", methods=["POST"])
@blp.arguments(schemas.SurveyInputSchema)
@blp.response(201, schemas.SurveySchema)
def create_survey(data):
    user = require_user()
    group = get_or_404(WorkingGroup, data["working_group_id"], _("Working group not found."))
    survey = services.create_survey(group, actor=user, data=data)
    db.session.commit()
    return survey


@blp.route("/surveys/<int:survey_id>", methods=["GET"])
@blp.response(200, schemas.SurveySchema)
def get_survey(survey_id):
    return visible_survey(survey_id, require_user())


@blp.route("/surveys/<int:survey_id>/rule", methods=["GET"])
@blp.response(200, schemas.RuleSchema)
def get_rule(survey_id):
    """The consensus rule; panellists may read it too (it is pre-registered, not secret)."""
    return visible_survey(survey_id, require_user()).rule


@blp.route("/surveys/<int:survey_id>/rule", methods=["PUT"])
@blp.arguments(schemas.RuleInputSchema)
@blp.response(200, schemas.RuleSchema)
def update_rule(data, survey_id):
    """Change the rule; 409 `rule_frozen` once round 1 has opened."""
    user = require_user()
    rule = services.update_rule(managed_survey(survey_id, user), actor=user, data=data)
    db.session.commit()
    return rule


@blp.route("/surveys/<int:survey_id>/disclosure", methods=["PUT"])
@blp.arguments(schemas.DisclosureInputSchema)
@blp.response(200, schemas.SurveySchema)
def set_disclosure(data, survey_id):
    """Choose what the survey publishes; 409 `disclosure_fixed` once anyone is invited to or on the panel."""
    user = require_user()
    survey = services.set_disclosure_mode(managed_survey(survey_id, user), actor=user, mode=data["disclosure_mode"])
    db.session.commit()
    return survey


@blp.route("/surveys/<int:survey_id>/items", methods=["GET"])
@blp.response(200, schemas.ItemSchema(many=True))
def list_items(survey_id):
    return managed_survey(survey_id, require_user()).items


@blp.route("/surveys/<int:survey_id>/items", methods=["POST"])
@blp.arguments(schemas.ItemInputSchema)
@blp.response(201, schemas.ItemSchema)
def add_item(data, survey_id):
    """A new item: into round 1 before it opens, later into the round being prepared (with a reason)."""
    user = require_user()
    item = services.add_item(managed_survey(survey_id, user), actor=user, data=data, reason=data.pop("reason"))
    db.session.commit()
    return item


@blp.route("/surveys/<int:survey_id>/items/import", methods=["POST"])
@blp.arguments(schemas.ImportFileSchema, location="files")
@blp.response(201, schemas.ItemSchema(many=True))
def import_items(files, survey_id):
    """CSV upload (field `file`): columns text, explanation, origin, codes (e.g. "2.2.b; 2.2.a"). All or nothing."""
    user = require_user()
    survey = managed_survey(survey_id, user)
    try:
        text = files["file"].read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid("file", _("Save the CSV as UTF-8.")) from exc
    items = services.import_items_csv(survey, actor=user, text=text)
    db.session.commit()
    return items


@blp.route("/surveys/<int:survey_id>/items/<int:item_id>", methods=["PATCH"])
@blp.arguments(schemas.ItemUpdateSchema)
@blp.response(200, schemas.ItemSchema)
def edit_item(data, survey_id, item_id):
    user = require_user()
    item = services.edit_item(survey_item(managed_survey(survey_id, user), item_id), actor=user, data=data)
    db.session.commit()
    return item


@blp.route("/surveys/<int:survey_id>/panel", methods=["GET"])
@blp.response(200, schemas.PanelMemberSchema(many=True))
def list_panel(survey_id):
    survey = managed_survey(survey_id, require_user())
    return db.session.scalars(
        sa.select(DelphiPanelMember)
        .where(DelphiPanelMember.survey_id == survey.id, DelphiPanelMember.removed_at.is_(None))
        .order_by(DelphiPanelMember.id)
    ).all()


@blp.route("/surveys/<int:survey_id>/panel", methods=["POST"])
@blp.arguments(schemas.PanelInputSchema)
@blp.response(201, schemas.PanelMemberSchema(many=True))
def add_panellists(data, survey_id):
    user = require_user()
    members = services.add_panellists(managed_survey(survey_id, user), actor=user, user_ids=data["user_ids"])
    db.session.commit()
    return members


@blp.route("/surveys/<int:survey_id>/panel/<int:user_id>", methods=["DELETE"])
@blp.response(204)
def remove_panellist(survey_id, user_id):
    user = require_user()
    services.remove_panellist(managed_survey(survey_id, user), actor=user, user_id=user_id)
    db.session.commit()


@blp.route("/surveys/<int:survey_id>/panel/invitations", methods=["POST"])
@blp.arguments(schemas.PanelInvitationInputSchema)
@blp.response(201, schemas.PanelInvitationSchema)
def invite_panellist(data, survey_id):
    """Invite someone without an account; they join the panel once signed up. The link is shown once."""
    user = require_user()
    invitation, plain = services.invite_to_panel(managed_survey(survey_id, user), actor=user, email=data["email"])
    db.session.commit()
    return {
        "id": invitation.id,
        "email": invitation.email,
        "expires_at": invitation.expires_at,
        "signup_url": external_url("auth.signup", token=plain),
    }


@blp.route("/surveys/<int:survey_id>/rounds", methods=["GET"])
@blp.response(200, schemas.RoundSchema(many=True))
def list_rounds(survey_id):
    return visible_survey(survey_id, require_user()).rounds


@blp.route("/surveys/<int:survey_id>/rounds", methods=["POST"])
@blp.arguments(schemas.RoundInputSchema)
@blp.response(201, schemas.RoundSchema)
def schedule_round(data, survey_id):
    """Schedule the next round. Round 1 freezes the rule at its opening; later rounds carry items forward."""
    user = require_user()
    round_ = services.schedule_round(managed_survey(survey_id, user), actor=user, **data)
    db.session.commit()
    return round_


@blp.route("/rounds/<int:round_id>", methods=["PATCH"])
@blp.arguments(schemas.RoundUpdateSchema)
@blp.response(200, schemas.RoundSchema)
def reschedule_round(data, round_id):
    user = require_user()
    round_ = services.reschedule_round(managed_round(round_id, user), actor=user, **data)
    db.session.commit()
    return round_


@blp.route("/rounds/<int:round_id>/close", methods=["POST"])
@blp.response(200, schemas.RoundSchema)
def close_round(round_id):
    user = require_user()
    round_ = services.close_round(managed_round(round_id, user), actor=user)
    db.session.commit()
    return round_


@blp.route("/rounds/<int:round_id>/items", methods=["POST"])
@blp.arguments(schemas.ItemInputSchema)
@blp.response(201, schemas.ItemSchema)
def add_round_item(data, round_id):
    """A new item for the round being prepared (e.g. a panellist's suggestion); needs a reason."""
    user = require_user()
    round_ = managed_round(round_id, user)
    item = services.add_item(round_.survey, actor=user, data=data, reason=data.pop("reason"))
    db.session.commit()
    return item


@blp.route("/rounds/<int:round_id>/items/<int:item_id>/reword", methods=["POST"])
@blp.arguments(schemas.RewordInputSchema)
@blp.response(200, schemas.RoundItemSchema)
def reword_item(data, round_id, item_id):
    user = require_user()
    round_item = services.reword_item(managed_round(round_id, user), item_id, actor=user, **data)
    db.session.commit()
    return round_item


@blp.route("/rounds/<int:round_id>/items/<int:item_id>/drop", methods=["POST"])
@blp.arguments(schemas.ReasonInputSchema)
@blp.response(204)
def drop_item(data, round_id, item_id):
    user = require_user()
    services.drop_item(managed_round(round_id, user), item_id, actor=user, reason=data["reason"])
    db.session.commit()


@blp.route("/rounds/<int:round_id>/merge", methods=["POST"])
@blp.arguments(schemas.MergeInputSchema)
@blp.response(201, schemas.ItemSchema)
def merge_items(data, round_id):
    user = require_user()
    item = services.merge_items(managed_round(round_id, user), data.pop("item_ids"), actor=user, **data)
    db.session.commit()
    return item


@blp.route("/surveys/<int:survey_id>/audit", methods=["GET"])
@blp.response(200, schemas.AuditEntrySchema(many=True))
def audit_trail(survey_id):
    survey = managed_survey(survey_id, require_user())
    return db.session.scalars(
        sa.select(DelphiAuditEntry).where(DelphiAuditEntry.survey_id == survey.id).order_by(DelphiAuditEntry.id)
    ).all()


@blp.route("/surveys/<int:survey_id>/finalise", methods=["POST"])
@blp.response(200)
def finalise(survey_id):
    """After the last round closed: consensus items become priorities."""
    user = require_user()
    priorities = services.finalise_survey(managed_survey(survey_id, user), actor=user)
    db.session.commit()
    return {"survey_id": survey_id, "priority_ids": [p.id for p in priorities]}


@blp.route("/rounds/<int:round_id>/reminders", methods=["GET"])
@blp.response(200, ReminderScheduleSchema)
def get_round_reminders(round_id):
    """When panellists who have not submitted are reminded (minutes before the round closes)."""
    return {"minutes_before": round_reminder_minutes(managed_round(round_id, require_user()))}


@blp.route("/rounds/<int:round_id>/reminders", methods=["PUT"])
@blp.arguments(ReminderScheduleSchema)
@blp.response(200, ReminderScheduleSchema)
def put_round_reminders(data, round_id):
    """Choose the round's reminders ([] for none); the default is 3 days and 1 day before close."""
    round_ = managed_round(round_id, require_user())
    minutes = set_reminders(round_reminders(round_), actor=require_user(), minutes=data["minutes_before"])
    db.session.commit()
    return {"minutes_before": minutes}
