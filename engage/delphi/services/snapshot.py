"""The results snapshot of a closed round: written once when the round closes, read by everything after.

Results pages and the API, the CSV exports, the next round's feedback, stability, the methods report,
finalisation and the priorities' final statistics all read the snapshot; none recomputes a closed
round. So a closed round's published figures never move — not when a panellist changes region, not
when an account is erased — and showing them costs one row read, however large the round.

The snapshot is written by whoever first needs it after the close: `close_round`, the scheduler's
`run_due_round_snapshots`, or the first page that shows the round (in its own write transaction). The
round's row is locked while it is written, and a save in progress holds that lock shared: so every save
accepted before the close is in the snapshot, and no save is accepted once it exists.
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import (
    AuditAction,
    DelphiResponse,
    DelphiRound,
    DelphiRoundSnapshot,
    DelphiSurvey,
    DisclosureMode,
)
from engage.delphi.services.common import audit, require_manager, round_by_number
from engage.delphi.services.responses import ratings_of
from engage.delphi.services.results import (
    compute_results,
    matrix_rows,
    next_round_feedback,
    paired_changes,
    require_round_closed,
    round_participation,
    stability_rows,
)
from engage.errors import DomainError
from engage.extensions import db
from engage.timeutil import utcnow


def _previous(round_: DelphiRound) -> DelphiRound | None:
    return round_by_number(round_.survey, round_.number - 1) if round_.number > 1 else None


def stored_snapshot(round_: DelphiRound) -> DelphiRoundSnapshot | None:
    return db.session.get(DelphiRoundSnapshot, round_.id)


def round_snapshot(round_: DelphiRound, *, now: datetime | None = None) -> DelphiRoundSnapshot:
    """The snapshot of a closed round, written now if nobody has written it yet."""
    return stored_snapshot(round_) or write_round_snapshot(round_, now=now)


def write_round_snapshot(round_: DelphiRound, *, now: datetime | None = None) -> DelphiRoundSnapshot:
    """Compute and store a closed round's figures, once: a second writer waits for the first's lock and
    then finds its snapshot. The previous round's snapshot is written first if missing (stability needs it)."""
    now = now or utcnow()
    require_round_closed(round_, now)
    db.session.execute(sa.select(DelphiRound.id).where(DelphiRound.id == round_.id).with_for_update())
    existing = db.session.scalar(
        sa.select(DelphiRoundSnapshot)
        .where(DelphiRoundSnapshot.round_id == round_.id)
        .execution_options(populate_existing=True)
    )
    if existing is not None:
        return existing
    previous = _previous(round_)
    results, consensus = compute_results(round_)
    stability = None
    if previous is not None:
        before = round_snapshot(previous, now=now).results
        stability = stability_rows(round_, results, before, paired_changes(previous, round_))
    shown, survey_mode = not results["is_suppressed"], round_.survey.disclosure_mode
    snapshot = DelphiRoundSnapshot(
        round_id=round_.id,
        written_at=now,
        results=results,
        consensus_item_ids=consensus,
        feedback=next_round_feedback(round_, results),
        stability=stability,
        participation=round_participation(round_, previous),
        matrix=matrix_rows(round_) if shown and survey_mode is DisclosureMode.RESPONSE_MATRIX else None,
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def missing_snapshots(rounds: list[DelphiRound], now: datetime | None = None) -> list[DelphiRound]:
    """The closed rounds among these that have no snapshot yet."""
    now = now or utcnow()
    closed = [r.id for r in rounds if r.is_closed(now)]
    if not closed:
        return []
    stored = set(
        db.session.scalars(sa.select(DelphiRoundSnapshot.round_id).where(DelphiRoundSnapshot.round_id.in_(closed)))
    )
    return [r for r in rounds if r.id in closed and r.id not in stored]


def round_results(round_: DelphiRound, *, now: datetime | None = None, require_closed: bool = True) -> dict:
    """The published figures of a closed round (see engage.delphi.disclosure for what is shown).

    `require_closed=False` computes the figures of the round as it stands, storing nothing (benchmarks).
    """
    if not require_closed:
        return compute_results(round_)[0]
    return round_snapshot(round_, now=now).results


def consensus_summary(round_: DelphiRound, *, now: datetime | None = None) -> dict:
    """How many of a closed round's items reached consensus by the frozen rule."""
    items = round_results(round_, now=now)["items"]
    return {"items": len(items), "consensus": sum(1 for item in items if item["overall"].get("has_consensus"))}


def consensus_item_ids(round_: DelphiRound, *, now: datetime | None = None) -> set[int]:
    """The items that reached consensus in a closed round, by the frozen rule on all its valid ratings."""
    return set(round_snapshot(round_, now=now).consensus_item_ids)


def stability(round_: DelphiRound, *, now: datetime | None = None) -> list[dict]:
    """Per item asked in this closed round and the one before: panellists with a valid rating in both,
    the share of them who changed it, and the change in % agreement (stable within 15 points)."""
    if round_.number == 1:
        raise DomainError(_("Round 1 has no earlier round to compare with."), code="no_previous_round")
    return round_snapshot(round_, now=now).stability or []


def participation_by_round(survey: DelphiSurvey, *, now: datetime | None = None) -> list[dict]:
    """Per round, overall and per group: panel size, respondents, response rate, attrition. Closed rounds
    come from their snapshots; a round still open or scheduled is counted as it stands."""
    now = now or utcnow()
    rows, previous = [], None
    for round_ in survey.rounds:
        if round_.is_closed(now):
            rows.append(round_snapshot(round_, now=now).participation)
        else:
            rows.append(round_participation(round_, previous))
        previous = round_
    return rows


def feedback_for(round_: DelphiRound, actor: User) -> dict[int, dict]:
    """For each item carried into this round: the previous round's published distribution, median, IQR,
    % agreement and anonymous rationales (from its snapshot), and the actor's own earlier rating."""
    previous = _previous(round_)
    if previous is None:
        return {}
    # A round is scheduled only once the one before has closed, so by this one's opening it is closed.
    snapshot = round_snapshot(previous, now=round_.opens_at)
    own_response = db.session.scalar(
        sa.select(DelphiResponse.id).where(
            DelphiResponse.round_id == previous.id, DelphiResponse.panellist_id == actor.id
        )
    )
    own = ratings_of(own_response) if own_response is not None else {}
    feedback = {}
    for round_item in round_.round_items:
        item_id = round_item.item_id
        shown = snapshot.feedback.get(str(item_id))
        if shown is None:  # a new item, or one merged from others: not asked in the previous round
            continue
        mine = own.get(item_id)
        feedback[item_id] = {
            "item_id": item_id,
            "previous_round": previous.number,
            "previous_text": shown["text"],
            "previous_text_zh": shown.get("text_zh", ""),
            "statistics": shown["overall"],
            "rationales": shown["rationales"],
            # Older snapshots did not record a rationale's language: None, shown without a lang of its own.
            "rationale_languages": shown.get("rationale_languages") or [None] * len(shown["rationales"]),
            "own_rating": None if mine is None else {"value": mine.value, "cannot_rate": mine.is_cannot_rate},
        }
    return feedback


def download_matrix(round_: DelphiRound, *, actor: User, now: datetime | None = None) -> DelphiRoundSnapshot:
    """The snapshot holding a closed round's response matrix, for a survey that declared it; each download
    is recorded in the survey's audit trail (who, when, which round)."""
    now = now or utcnow()
    require_manager(round_.survey, actor)
    if round_.survey.disclosure_mode is not DisclosureMode.RESPONSE_MATRIX:
        raise DomainError(
            _(
                "This survey publishes group results; its panel was not told that individual rows would be "
                "released, so there is no response matrix."
            ),
            code="matrix_not_released",
        )
    snapshot = round_snapshot(round_, now=now)
    if snapshot.matrix is None:
        raise DomainError(
            _("Fewer than 5 panellists responded; the response matrix could identify them."), code="too_few_respondents"
        )
    audit(
        round_.survey,
        AuditAction.MATRIX_DOWNLOADED,
        actor=actor,
        now=now,
        round_id=round_.id,
        details={"round": round_.number, "rows": len(snapshot.matrix)},
    )
    db.session.flush()
    return snapshot
