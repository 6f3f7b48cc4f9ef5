"""The classifier: every one of the 16 combinations of design answers, and the rationale it gives."""

import pytest

from engage.iap2.classifier import Design, classify
from engage.iap2.levels import ATTRIBUTION, IAP2Level

INF, C, V, L, E = IAP2Level.INFORM, IAP2Level.CONSULT, IAP2Level.INVOLVE, IAP2Level.COLLABORATE, IAP2Level.EMPOWER

# (input sought, iterative throughout, shape alternatives, decision delegated) → level, answers not counted
ALL_COMBINATIONS = [
    ((False, False, False, False), INF, 0),
    ((False, False, False, True), INF, 1),
    ((False, False, True, False), INF, 1),
    ((False, False, True, True), INF, 2),
    ((False, True, False, False), INF, 1),
    ((False, True, False, True), INF, 2),
    ((False, True, True, False), INF, 2),
    ((False, True, True, True), INF, 3),
    ((True, False, False, False), C, 0),
    ((True, False, False, True), C, 1),
    ((True, False, True, False), C, 1),
    ((True, False, True, True), C, 2),
    ((True, True, False, False), V, 0),
    ((True, True, False, True), V, 1),
    ((True, True, True, False), L, 0),
    ((True, True, True, True), E, 0),
]


def test_the_table_covers_all_16_combinations():
    assert len({answers for answers, _level, _ignored in ALL_COMBINATIONS}) == 16


@pytest.mark.parametrize(("answers", "expected", "ignored"), ALL_COMBINATIONS)
def test_classify_every_combination(answers, expected, ignored):
    level, rationale = classify(Design(*answers))
    assert level is expected
    assert rationale.startswith(f"{expected.label}: ")
    assert ("Not counted:" in rationale) == bool(ignored)
    if ignored:
        # One clause per answer that was given but could not count.
        assert rationale.split("Not counted:")[1].split("—")[0].count(";") == ignored - 1


def test_rationale_for_consult_names_the_missing_step():
    _level, rationale = classify(Design(input_sought=True))
    assert rationale == (
        "Consult: participants' input is sought; the work is not iterative with participants throughout."
    )


def test_rationale_for_empower_lists_every_commitment():
    _level, rationale = classify(Design(True, True, True, True))
    assert rationale == (
        "Empower: participants' input is sought; the work is iterative with participants throughout; "
        "participants help develop the alternatives and choose the preferred one; "
        "the final decision is delegated to participants."
    )


def test_decision_delegated_without_input_is_inform_and_explained():
    level, rationale = classify(Design(decision_delegated=True))
    assert level is IAP2Level.INFORM
    assert rationale == (
        "Inform: participants' input is not sought. Not counted: the final decision is delegated to participants "
        "— each level needs every commitment of the levels below it, and participants' input is not sought."
    )


def test_levels_are_ordered_and_carry_goal_and_promise():
    assert [level.rank for level in IAP2Level] == [1, 2, 3, 4, 5]
    assert IAP2Level.from_rank(4) is IAP2Level.COLLABORATE
    assert "how your input influenced the decision" in IAP2Level.CONSULT.promise
    assert IAP2Level.EMPOWER.promise == "We will carry out what you decide."
    assert all(level.goal and level.promise for level in IAP2Level)
    assert [level.owes_feedback for level in IAP2Level] == [False, True, True, True, True]
    assert "© IAP2 International Federation" in str(ATTRIBUTION)
