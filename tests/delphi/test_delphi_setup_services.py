"""Survey set-up: the consensus rule (frozen when round 1 opens), items, panel, rounds."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.auth.models import Invitation, Role
from engage.auth.services import sign_up
from engage.delphi import services
from engage.delphi.models import AuditAction, DelphiAuditEntry, DelphiPanelMember, ItemOrigin
from engage.errors import DomainError, PermissionDenied, ValidationError
from tests.delphi.conftest import T0, WEEK


def test_new_survey_has_the_default_rule(create_survey):
    rule = create_survey().rule
    assert (rule.scale_min, rule.scale_max, rule.agreeing_values, rule.threshold_percent) == (1, 5, [4, 5], 70)
    assert rule.rounds_planned == 2 and rule.allows_cannot_rate and rule.veto_max_percent is None
    assert rule.scale_labels[0] == "Not relevant" and rule.scale_labels[-1] == "Extremely relevant"
    assert rule.frozen_at is None


def test_rule_can_change_until_round_one_opens_then_is_frozen(db, lead, create_survey, create_panel):
    survey = create_survey()
    create_panel(survey, 1)
    opens = T0 + timedelta(days=2)
    services.update_rule(survey, actor=lead, data={"threshold_percent": 75, "veto_max_percent": 15}, now=T0)
    services.schedule_round(survey, actor=lead, opens_at=opens, closes_at=opens + WEEK, now=T0)
    # Scheduled but not yet open: still changeable.
    services.update_rule(survey, actor=lead, data={"threshold_percent": 80}, now=opens - timedelta(seconds=1))
    assert survey.rule.frozen_at == opens
    with pytest.raises(DomainError) as refused:
        services.update_rule(survey, actor=lead, data={"threshold_percent": 60}, now=opens)
    assert refused.value.code == "rule_frozen" and refused.value.status == 409
    assert "frozen" in refused.value.message
    assert survey.rule.threshold_percent == 80


@pytest.mark.parametrize(
    "data, field",
    [
        ({"agreeing_values": [6]}, "agreeing_values"),
        ({"scale_min": 5, "scale_max": 3}, "scale_max"),
        ({"disagreeing_values": [4]}, "disagreeing_values"),
        ({"scale_labels": ["a", "b"]}, "scale_labels"),
        ({"veto_max_percent": 10, "disagreeing_values": []}, "disagreeing_values"),
    ],
)
def test_inconsistent_rule_is_422_naming_the_field(lead, create_survey, data, field):
    survey = create_survey()
    with pytest.raises(ValidationError) as refused:
        services.update_rule(survey, actor=lead, data=data, now=T0)
    assert field in refused.value.errors


def test_changing_the_scale_resets_labels_and_is_audited(db, lead, create_survey):
    survey = create_survey()
    rule = services.update_rule(
        survey, actor=lead, data={"scale_min": 1, "scale_max": 7, "agreeing_values": [6, 7]}, now=T0
    )
    assert rule.scale_labels == ["1", "2", "3", "4", "5", "6", "7"]
    assert (
        db.session.scalar(
            sa.select(DelphiAuditEntry.action)
            .where(DelphiAuditEntry.survey_id == survey.id)
            .order_by(DelphiAuditEntry.id.desc())
            .limit(1)
        )
        is AuditAction.RULE_SET
    )


def test_a_participant_cannot_change_the_rule_or_create_a_survey(participant, working_group, create_survey):
    survey = create_survey()
    with pytest.raises(PermissionDenied):
        services.update_rule(survey, actor=participant, data={"threshold_percent": 50}, now=T0)
    with pytest.raises(PermissionDenied):
        services.create_survey(working_group, actor=participant, data={"title": "x"}, now=T0)


def test_round_one_takes_every_item_and_needs_a_panel(db, lead, create_survey, create_panel):
    survey = create_survey(texts=("A", "B"))
    with pytest.raises(DomainError) as refused:
        services.schedule_round(survey, actor=lead, opens_at=T0, closes_at=T0 + WEEK, now=T0)
    assert refused.value.code == "no_panel"
    create_panel(survey, 2)
    round_ = services.schedule_round(survey, actor=lead, opens_at=T0, closes_at=T0 + WEEK, now=T0)
    assert [ri.text for ri in round_.round_items] == ["A", "B"]
    assert [ri.change.value for ri in round_.round_items] == ["new", "new"]


def test_item_codes_must_be_of_the_surveys_working_group(lead, create_survey, create_working_group):
    survey = create_survey()
    other = create_working_group()
    foreign = other.themes[0].sub_topics[0]
    own = survey.working_group.themes[0].sub_topics[1]
    item = services.add_item(survey, actor=lead, data={"text": "Coded", "sub_topic_ids": [own.id]}, now=T0)
    assert [s.id for s in item.sub_topics] == [own.id]
    with pytest.raises(ValidationError) as refused:
        services.add_item(survey, actor=lead, data={"text": "Bad", "sub_topic_ids": [foreign.id]}, now=T0)
    assert "sub_topic_ids" in refused.value.errors


def test_no_new_items_once_round_one_opened_until_the_next_round_is_scheduled(
    lead, create_survey, create_panel, open_round
):
    survey = create_survey()
    create_panel(survey, 1)
    open_round(survey)
    with pytest.raises(DomainError) as refused:
        services.add_item(survey, actor=lead, data={"text": "Late"}, reason="x", now=T0 + timedelta(hours=1))
    assert refused.value.code == "round_open"
    with pytest.raises(DomainError):
        services.edit_item(survey.items[0], actor=lead, data={"text": "Changed"}, now=T0 + timedelta(hours=1))


def test_csv_import_codes_items_and_is_all_or_nothing(db, lead, create_survey):
    survey = create_survey(texts=())
    good = "text,explanation,origin,codes\nShare data across borders,Why,workshop,1.1.a; 1.1.b\nTrain staff,,,\n"
    items = services.import_items_csv(survey, actor=lead, text=good, now=T0)
    assert [(i.text, i.origin, len(i.sub_topics)) for i in items] == [
        ("Share data across borders", ItemOrigin.WORKSHOP, 2),
        ("Train staff", ItemOrigin.LITERATURE, 0),
    ]
    bad = "text,origin,codes\nOne,literature,\n,workshop,\nThree,magic,9.9.z\n"
    with pytest.raises(ValidationError) as refused:
        services.import_items_csv(survey, actor=lead, text=bad, now=T0)
    assert refused.value.errors == {
        "rows.3.text": ["Row 3, text: the statement is missing."],
        "rows.4.origin": [
            "Row 4, origin: “magic” is not an origin; use literature, workshop or panellist (empty means literature)."
        ],
        "rows.4.codes": [
            "Row 4, codes: unknown codebook codes 9.9.z; use this working group's codes, such as 1.1.a, 1.1.b."
        ],
    }
    assert len(survey.items) == 2


def test_invited_person_joins_the_panel_after_signing_up(db, app, lead, create_survey, create_panel):
    survey = create_survey()
    create_panel(survey, 1)
    invitation, plain = services.invite_to_panel(survey, actor=lead, email="new.expert@example.org", now=T0)
    db.session.commit()
    user = sign_up(
        data={"display_name": "New Expert", "password": "long enough pw", "consent": True},
        invitation_token=plain,
        now=T0,
    )
    db.session.commit()
    services.schedule_round(survey, actor=lead, opens_at=T0, closes_at=T0 + WEEK, now=T0)
    assert db.session.scalar(sa.select(DelphiPanelMember).where(DelphiPanelMember.user_id == user.id)) is not None
    assert db.session.get(Invitation, invitation.id).role is Role.PARTICIPANT


def test_only_the_planned_number_of_rounds_and_only_after_the_previous_closed(
    db, lead, create_survey, create_panel, open_round
):
    survey = create_survey(rounds_planned=2)
    create_panel(survey, 1)
    open_round(survey)
    with pytest.raises(DomainError) as still_open:
        services.schedule_round(survey, actor=lead, opens_at=T0 + WEEK, closes_at=T0 + 2 * WEEK, now=T0 + WEEK / 2)
    assert still_open.value.code == "previous_round_open"
    open_round(survey, now=T0 + WEEK)
    with pytest.raises(DomainError) as no_more:
        services.schedule_round(survey, actor=lead, opens_at=T0 + 3 * WEEK, closes_at=T0 + 4 * WEEK, now=T0 + 3 * WEEK)
    assert no_more.value.code == "no_more_rounds"


def test_lead_closes_an_open_round_early(db, lead, create_survey, create_panel, open_round):
    survey = create_survey()
    create_panel(survey, 1)
    round_ = open_round(survey)
    services.close_round(round_, actor=lead, now=T0 + timedelta(days=2))
    assert round_.is_closed(T0 + timedelta(days=2))
    with pytest.raises(DomainError):
        services.close_round(round_, actor=lead, now=T0 + timedelta(days=3))
