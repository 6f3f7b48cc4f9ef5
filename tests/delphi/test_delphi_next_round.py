"""Between rounds: settle, carry forward, reword, merge, drop, add (all audited); feedback; stability; finalising."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.delphi import services
from engage.delphi.models import AuditAction, DelphiAuditEntry, DelphiItem, ItemOrigin
from engage.errors import DomainError, NotFound, PermissionDenied, ValidationError
from engage.priorities.models import Priority
from tests.delphi.conftest import T0, WEEK

ROUND2 = T0 + WEEK


@pytest.fixture
def after_round_one(db, lead, create_survey, create_panel, open_round, rate):
    """Round 1 with five panellists: A all 5 (consensus), B all 3, C 2 2 3 4 4 (40 %); round 2 scheduled."""
    survey = create_survey(texts=("A", "B", "C"))
    code = survey.working_group.themes[0].sub_topics[0]
    services.edit_item(survey.items[0], actor=lead, data={"sub_topic_ids": [code.id]}, now=T0)
    panel = create_panel(survey, 5)
    first = open_round(survey)
    a, b, c = (ri.item_id for ri in first.round_items)
    for user, vc, why in zip(panel, [2, 2, 3, 4, 4], ["zeta", "alpha", "", "", ""], strict=True):
        rate(first, user, {a: 5, b: 3, c: vc}, rationale=why)
    second = open_round(survey, now=ROUND2 + timedelta(days=1))
    return survey, panel, first, second, (a, b, c)


def _actions(db, survey):
    return [
        (e.action, e.item_id)
        for e in db.session.scalars(
            sa.select(DelphiAuditEntry).where(DelphiAuditEntry.survey_id == survey.id).order_by(DelphiAuditEntry.id)
        )
    ]


def test_consensus_items_are_settled_and_the_rest_carried_forward(db, after_round_one):
    survey, _panel, _first, second, (a, b, c) = after_round_one
    assert [(ri.item_id, ri.change.value) for ri in second.round_items] == [(b, "carried"), (c, "carried")]
    actions = _actions(db, survey)
    assert (AuditAction.ITEM_SETTLED, a) in actions
    assert (AuditAction.ITEM_CARRIED, b) in actions and (AuditAction.ITEM_CARRIED, c) in actions


def test_reword_keeps_both_wordings_and_is_audited_with_reason(db, lead, after_round_one):
    survey, _panel, first, second, (_a, b, _c) = after_round_one
    services.reword_item(second, b, actor=lead, text="B, clearer", reason="Panellists found B ambiguous", now=ROUND2)
    assert next(ri.text for ri in first.round_items if ri.item_id == b) == "B"
    reworded = next(ri for ri in second.round_items if ri.item_id == b)
    assert (reworded.text, reworded.change.value) == ("B, clearer", "reworded")
    entry = db.session.scalars(
        sa.select(DelphiAuditEntry).where(DelphiAuditEntry.action == AuditAction.ITEM_REWORDED)
    ).one()
    assert (entry.actor_id, entry.reason, entry.created_at) == (lead.id, "Panellists found B ambiguous", ROUND2)
    assert entry.details["before"]["text"] == "B" and entry.details["after"]["text"] == "B, clearer"


def test_every_change_between_rounds_needs_a_reason(lead, after_round_one):
    _survey, _panel, _first, second, (_a, b, _c) = after_round_one
    with pytest.raises(ValidationError) as refused:
        services.drop_item(second, b, actor=lead, reason="  ", now=ROUND2)
    assert "reason" in refused.value.errors


def test_merge_replaces_items_by_one_with_their_codes(db, lead, after_round_one):
    survey, _panel, _first, second, (a, b, c) = after_round_one
    merged = services.merge_items(second, [b, c], actor=lead, text="B and C together", reason="Overlap", now=ROUND2)
    assert [(ri.item_id, ri.change.value) for ri in second.round_items] == [(merged.id, "merged")]
    assert db.session.get(DelphiItem, b).merged_into_id == merged.id
    assert (AuditAction.ITEM_MERGED, merged.id) in _actions(db, survey)


def test_drop_and_add_from_a_panellist_suggestion(db, lead, after_round_one):
    survey, _panel, _first, second, (_a, b, c) = after_round_one
    services.drop_item(second, c, actor=lead, reason="Out of scope", now=ROUND2)
    added = services.add_item(
        survey,
        actor=lead,
        data={"text": "D", "origin": ItemOrigin.PANELLIST},
        reason="Suggested by two panellists",
        now=ROUND2,
    )
    assert [(ri.item_id, ri.change.value) for ri in second.round_items] == [(b, "carried"), (added.id, "new")]
    assert (AuditAction.ITEM_DROPPED, c) in _actions(db, survey)


def test_items_of_an_open_round_cannot_change(lead, after_round_one):
    _survey, _panel, _first, second, (_a, b, _c) = after_round_one
    with pytest.raises(DomainError) as refused:
        services.reword_item(second, b, actor=lead, text="x", reason="y", now=second.opens_at)
    assert refused.value.code == "round_open"
    with pytest.raises(NotFound):
        services.drop_item(second, 999999, actor=lead, reason="y", now=ROUND2)


def test_round_two_feedback_shows_group_results_anonymous_rationales_and_own_rating(after_round_one):
    _survey, panel, _first, second, (_a, b, c) = after_round_one
    feedback = services.feedback_for(second, panel[1])
    assert set(feedback) == {b, c}
    fc = feedback[c]
    assert fc["statistics"]["distribution"] == {"1": 0, "2": 2, "3": 1, "4": 2, "5": 0}
    assert (fc["statistics"]["median"], fc["statistics"]["iqr"], fc["statistics"]["agreement_percent"]) == (
        3.0,
        2.0,
        40.0,
    )
    assert fc["rationales"] == ["alpha", "zeta"]  # sorted by text, no names
    assert fc["own_rating"] == {"value": 2, "cannot_rate": False}
    assert feedback[b]["own_rating"] == {"value": 3, "cannot_rate": False}
    assert "display_name" not in str(feedback) and panel[0].display_name not in str(feedback)


def test_stability_between_rounds(after_round_one, rate):
    _survey, panel, _first, second, (_a, b, c) = after_round_one
    for user, vb, vc in zip(panel, [4, 4, 4, 4, 3], [2, 2, 3, 4, 5], strict=True):
        rate(second, user, {b: vb, c: vc})
    rows = {r["item_id"]: r for r in services.stability(second, now=second.closes_at)}
    assert rows[b]["changed_percent"] == 80.0 and rows[b]["agreement_change"] == 80.0
    assert rows[b]["is_stable"] is False
    assert rows[c]["changed_percent"] == 20.0 and rows[c]["agreement_change"] == 0.0
    assert rows[c]["is_stable"] is True


def test_finalise_turns_consensus_items_into_coded_priorities(db, lead, after_round_one, rate):
    survey, panel, _first, second, (a, b, c) = after_round_one
    services.reword_item(second, b, actor=lead, text="B, clearer", reason="ambiguous", now=ROUND2)
    for user, vc in zip(panel, [2, 2, 3, 4, 5], strict=True):
        rate(second, user, {b: 4, c: vc})
    with pytest.raises(DomainError) as early:
        services.finalise_survey(survey, actor=lead, now=second.closes_at - timedelta(seconds=1))
    assert early.value.code == "round_not_closed"
    priorities = services.finalise_survey(survey, actor=lead, now=second.closes_at)
    db.session.commit()
    assert [(p.text, p.source_delphi_item_id, p.final_statistics["round"]) for p in priorities] == [
        ("A", a, 1),
        ("B, clearer", b, 2),
    ]
    assert [s.id for s in priorities[0].sub_topics] == [survey.working_group.themes[0].sub_topics[0].id]
    assert priorities[1].final_statistics["statistics"]["agreement_percent"] == 100.0
    assert priorities[0].pillar_id == survey.working_group.pillar_id
    with pytest.raises(DomainError) as twice:
        services.finalise_survey(survey, actor=lead, now=second.closes_at)
    assert twice.value.code == "survey_finalised"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Priority)) == 2


def test_finalise_after_round_one_only_when_everything_reached_consensus(
    db, lead, create_survey, create_panel, open_round, rate, participant
):
    survey = create_survey(texts=("A", "B"))
    panel = create_panel(survey, 2)
    first = open_round(survey)
    rate(first, panel[0], 5)
    rate(first, panel[1], 2)
    with pytest.raises(DomainError) as refused:
        services.finalise_survey(survey, actor=lead, now=first.closes_at)
    assert refused.value.code == "rounds_remaining"
    with pytest.raises(PermissionDenied):
        services.finalise_survey(survey, actor=participant, now=first.closes_at)


def test_stability_is_hidden_when_fewer_than_five_answered_both_rounds(after_round_one, rate):
    _survey, panel, _first, second, (_a, b, c) = after_round_one
    for user in panel[:4]:
        rate(second, user, {b: 4, c: 4})
    rows = services.stability(second, now=second.closes_at)
    assert [(r["item_id"], r.get("suppressed")) for r in rows] == [(b, True), (c, True)]
    assert "changed_percent" not in rows[0]
