"""Derive an activity's IAP2 level from how it is designed. Pure: no database, no request.

The rule is a ladder. Each level keeps every commitment of the levels below it and adds one:

    input sought                          → Consult      (otherwise Inform)
    + iterative with participants         → Involve
    + participants shape the alternatives → Collaborate  (develop them and choose the preferred one)
    + final decision delegated            → Empower

The level is the highest rung reached without a gap. A "yes" above a "no" (for example, the
decision is said to be delegated but nobody's input is sought) cannot be honoured — a group cannot
decide what it was never asked about — so it does not raise the level; the rationale names it as
not counted, so the organiser can correct the design.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from engage.iap2.levels import IAP2Level

ANSWERS = ("input_sought", "iterative_throughout", "shape_alternatives", "decision_delegated")
_LEVEL_OF_ANSWER = dict(zip(ANSWERS, list(IAP2Level)[1:], strict=True))


@dataclass(frozen=True)
class Design:
    input_sought: bool = False
    iterative_throughout: bool = False
    shape_alternatives: bool = False
    decision_delegated: bool = False


def _yes(answer: str) -> str:
    return {
        "input_sought": _("participants' input is sought"),
        "iterative_throughout": _("the work is iterative with participants throughout"),
        "shape_alternatives": _("participants help develop the alternatives and choose the preferred one"),
        "decision_delegated": _("the final decision is delegated to participants"),
    }[answer]


def _no(answer: str) -> str:
    return {
        "input_sought": _("participants' input is not sought"),
        "iterative_throughout": _("the work is not iterative with participants throughout"),
        "shape_alternatives": _("participants do not develop the alternatives or choose among them"),
        "decision_delegated": _("the final decision stays with the organisers"),
    }[answer]


def classify(design: Design) -> tuple[IAP2Level, str]:
    """The level the design supports, and a sentence saying why."""
    level = IAP2Level.INFORM
    reached = 0
    for answer in ANSWERS:
        if not getattr(design, answer):
            break
        level = _LEVEL_OF_ANSWER[answer]
        reached += 1
    clauses = [_yes(answer) for answer in ANSWERS[:reached]]
    missing = ANSWERS[reached] if reached < len(ANSWERS) else None
    if missing:
        clauses.append(_no(missing))
    rationale = _("%(level)s: %(reasons)s.", level=level.label, reasons="; ".join(clauses))
    ignored = [answer for answer in ANSWERS[reached + 1 :] if getattr(design, answer)]
    if ignored:
        rationale += " " + _(
            "Not counted: %(answers)s — each level needs every commitment of the levels below it, and %(missing)s.",
            answers="; ".join(_yes(answer) for answer in ignored),
            missing=_no(missing),
        )
    return level, rationale
