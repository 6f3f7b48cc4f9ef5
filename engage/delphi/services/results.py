"""Round results computed in the database: one GROUP BY returns how many valid ratings each value got
per item and per (region group, stakeholder category); medians, IQRs and so on come from those counts
(engage.delphi.statistics). Individual ratings are never loaded, and no function here returns one
panellist's rating to anyone but that panellist (`feedback_for`).
"""

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import StakeholderCategory, User
from engage.auth.regions import CHINESE_PROVINCES, EU_MEMBER_STATES, RegionGroup
from engage.delphi.models import (
    DelphiPanelMember,
    DelphiRating,
    DelphiResponse,
    DelphiRound,
    DelphiRoundItem,
    ResponseStatus,
)
from engage.delphi.services.common import round_by_number
from engage.delphi.statistics import MIN_GROUP_SIZE, QUANTILE_DEFINITION, Rule, summarise
from engage.errors import DomainError
from engage.extensions import db

STABLE_MAX_POINTS = 15
SUPPRESSED = {"suppressed": True, "label": "n < 5"}


def region_group_expr():
    """The region group of users.region, computed by the database (EU / China / other)."""
    return sa.case(
        (User.region.in_(sorted(EU_MEMBER_STATES)), RegionGroup.EU.value),
        (User.region.in_(sorted(CHINESE_PROVINCES)), RegionGroup.CHINA.value),
        else_=RegionGroup.OTHER.value,
    )


def _submitted_join(stmt, rating=DelphiRating, response=DelphiResponse):
    return stmt.join(
        response, sa.and_(response.round_id == rating.round_id, response.panellist_id == rating.panellist_id)
    ).where(response.status == ResponseStatus.SUBMITTED)


def _group_keys(region: str, category: StakeholderCategory) -> tuple:
    return ("overall", ""), ("region", region), ("category", category.value)


def _count_cells(round_id: int) -> dict[int, dict[tuple, dict]]:
    """item id → group key → {value (None = cannot rate): count}, from one GROUP BY.

    The respondents and their groups are worked out once (a small subquery, one row per submitted
    response), so the aggregation over the ratings joins one narrow row per panellist.
    """
    respondents = (
        sa.select(
            DelphiResponse.panellist_id.label("panellist_id"),
            region_group_expr().label("region"),
            User.category.label("category"),
        )
        .join(User, User.id == DelphiResponse.panellist_id)
        .where(DelphiResponse.round_id == round_id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .subquery()
    )
    stmt = (
        sa.select(
            DelphiRating.item_id, respondents.c.region, respondents.c.category, DelphiRating.value, sa.func.count()
        )
        .join(respondents, respondents.c.panellist_id == DelphiRating.panellist_id)
        .where(DelphiRating.round_id == round_id)
        .group_by(DelphiRating.item_id, respondents.c.region, respondents.c.category, DelphiRating.value)
    )
    cells: dict[int, dict[tuple, dict]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for item_id, region_value, category, value, count in db.session.execute(stmt):
        for key in _group_keys(region_value, category):
            cells[item_id][key][value] += count
    return cells


def _respondents(round_id: int) -> dict[tuple, int]:
    region = region_group_expr()
    rows = db.session.execute(
        sa.select(region, User.category, sa.func.count())
        .select_from(DelphiResponse)
        .join(User, User.id == DelphiResponse.panellist_id)
        .where(DelphiResponse.round_id == round_id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .group_by(region, User.category)
    )
    counts: dict[tuple, int] = defaultdict(int)
    for region_value, category, count in rows:
        for key in _group_keys(region_value, category):
            counts[key] += count
    return counts


def group_keys() -> dict[str, list[str]]:
    return {"region": [g.value for g in RegionGroup], "category": [c.value for c in StakeholderCategory]}


def visible_groups(respondents: dict[tuple, int]) -> dict[str, set[str]]:
    """The groups whose figures may be shown, per dimension (region, category).

    A group with fewer than 5 respondents is hidden. Because the groups of a dimension add up to the
    overall figures, hiding them alone is not enough: overall minus the shown groups would give the
    hidden ones. So while the hidden groups together hold 1–4 respondents, the smallest shown group
    is hidden too (complementary suppression).
    """
    visible = {}
    for kind, names in group_keys().items():
        counts = {name: respondents.get((kind, name), 0) for name in names}
        shown = {name for name, n in counts.items() if n >= MIN_GROUP_SIZE}
        hidden_total = sum(n for name, n in counts.items() if name not in shown)
        while 0 < hidden_total < MIN_GROUP_SIZE and shown:
            smallest = min(shown, key=lambda name: (counts[name], name))
            shown.discard(smallest)
            hidden_total += counts[smallest]
        visible[kind] = shown
    return visible


def _stats(cell: dict, rule: Rule) -> dict:
    counts = {value: count for value, count in cell.items() if value is not None}
    return summarise(counts, cell.get(None, 0), rule).as_dict()


def rule_summary(rule) -> dict:
    return {
        "scale_min": rule.scale_min,
        "scale_max": rule.scale_max,
        "scale_labels": rule.scale_labels,
        "agreeing_values": rule.agreeing_values,
        "threshold_percent": rule.threshold_percent,
        "disagreeing_values": rule.disagreeing_values,
        "veto_max_percent": rule.veto_max_percent,
        "min_valid_ratings": rule.min_valid_ratings,
        "rounds_planned": rule.rounds_planned,
        "allows_cannot_rate": rule.allows_cannot_rate,
        "frozen_at": rule.frozen_at.isoformat() if rule.frozen_at else None,
    }


def require_round_closed(round_: DelphiRound, now: datetime) -> None:
    if not round_.is_closed(now):
        raise DomainError(
            _("Results are available once round %(n)d has closed.", n=round_.number), code="round_not_closed"
        )


def round_results(
    round_: DelphiRound, *, now: datetime | None = None, require_closed: bool = True, for_display: bool = True
) -> dict:
    """Per item: overall statistics and consensus, and the same per region group and stakeholder category,
    with every group of fewer than 5 respondents suppressed (no numbers at all).

    For display (`for_display`), the overall figures of a round with fewer than 5 respondents are
    suppressed too: with the "not yet submitted" list, a lead could otherwise tell whose ratings they are.
    Decisions (settling items, priorities) use the real figures (`for_display=False`).
    """
    if require_closed and now is not None:
        require_round_closed(round_, now)
    rule = round_.survey.rule
    value_rule = Rule.of(rule)
    cells = _count_cells(round_.id)
    respondents = _respondents(round_.id)
    keys = group_keys()

    visible = visible_groups(respondents)

    def shown(kind: str, name: str) -> bool:
        return name in visible[kind]

    overall_hidden = for_display and respondents.get(("overall", ""), 0) < MIN_GROUP_SIZE

    items = []
    for round_item in round_.round_items:
        item_cells = cells.get(round_item.item_id, {})
        entry = {
            "item_id": round_item.item_id,
            "position": round_item.position,
            "text": round_item.text,
            "change": round_item.change.value,
            "overall": dict(SUPPRESSED) if overall_hidden else _stats(item_cells.get(("overall", ""), {}), value_rule),
        }
        for kind, names in keys.items():
            entry[f"by_{kind}"] = {
                name: _stats(item_cells.get((kind, name), {}), value_rule) if shown(kind, name) else dict(SUPPRESSED)
                for name in names
            }
        items.append(entry)
    return {
        "round": {
            "id": round_.id,
            "number": round_.number,
            "opens_at": round_.opens_at.isoformat(),
            "closes_at": round_.closes_at.isoformat(),
        },
        "rule": rule_summary(rule),
        "quantile_definition": QUANTILE_DEFINITION,
        "is_suppressed": overall_hidden,
        "respondents": {
            "overall": respondents.get(("overall", ""), 0),
            **{
                f"by_{kind}": {name: respondents.get((kind, name), 0) if shown(kind, name) else None for name in names}
                for kind, names in keys.items()
            },
        },
        "items": items,
    }


# --- participation: response rate and attrition ---------------------------------------------------


def _panel_at(round_: DelphiRound) -> dict[tuple, int]:
    """Panel members during the round, by group: added before it closed, not removed before it opened."""
    region = region_group_expr()
    rows = db.session.execute(
        sa.select(region, User.category, sa.func.count())
        .select_from(DelphiPanelMember)
        .join(User, User.id == DelphiPanelMember.user_id)
        .where(
            DelphiPanelMember.survey_id == round_.survey_id,
            DelphiPanelMember.added_at <= round_.closes_at,
            sa.or_(DelphiPanelMember.removed_at.is_(None), DelphiPanelMember.removed_at > round_.opens_at),
        )
        .group_by(region, User.category)
    )
    counts: dict[tuple, int] = defaultdict(int)
    for region_value, category, count in rows:
        for key in _group_keys(region_value, category):
            counts[key] += count
    return counts


def _dropped_out(previous: DelphiRound, round_: DelphiRound) -> dict[tuple, int]:
    """Respondents of the previous round who did not submit this one, by group."""
    region = region_group_expr()
    later = sa.orm.aliased(DelphiResponse)
    rows = db.session.execute(
        sa.select(region, User.category, sa.func.count())
        .select_from(DelphiResponse)
        .join(User, User.id == DelphiResponse.panellist_id)
        .where(DelphiResponse.round_id == previous.id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .where(
            ~sa.exists().where(
                later.round_id == round_.id,
                later.panellist_id == DelphiResponse.panellist_id,
                later.status == ResponseStatus.SUBMITTED,
            )
        )
        .group_by(region, User.category)
    )
    counts: dict[tuple, int] = defaultdict(int)
    for region_value, category, count in rows:
        for key in _group_keys(region_value, category):
            counts[key] += count
    return counts


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _participation(key: tuple, panel: dict, responded: dict, dropped: dict | None, before: dict) -> dict:
    n = responded.get(key, 0)
    row = {"panel": panel.get(key, 0)}
    if key != ("overall", "") and key[1] not in visible_groups(responded)[key[0]]:
        return row | {"suppressed": True, "label": "n < 5"}
    row |= {"respondents": n, "response_rate": _percent(n, panel.get(key, 0))}
    if dropped is not None:
        row |= {"dropped_out": dropped.get(key, 0), "attrition": _percent(dropped.get(key, 0), before.get(key, 0))}
    return row


def participation_by_round(survey) -> list[dict]:
    """Per round, overall and per group: panel size, respondents, response rate, attrition since the
    previous round (share of its respondents who did not submit this one). Respondent and attrition
    figures of groups under 5 respondents are suppressed; the panel size of a group is always shown."""
    rows, previous = [], None
    for round_ in survey.rounds:
        counts = (
            _panel_at(round_),
            _respondents(round_.id),
            _dropped_out(previous, round_) if previous else None,
            _respondents(previous.id) if previous else {},
        )
        entry = {
            "round": round_.number,
            "opens_at": round_.opens_at.isoformat(),
            "closes_at": round_.closes_at.isoformat(),
            "overall": _participation(("overall", ""), *counts),
        }
        for kind, names in group_keys().items():
            entry[f"by_{kind}"] = {name: _participation((kind, name), *counts) for name in names}
        rows.append(entry)
        previous = round_
    return rows


def consensus_summary(round_: DelphiRound, *, now: datetime | None = None) -> dict:
    """How many of a closed round's items reached consensus by the frozen rule."""
    items = round_results(round_, now=now)["items"]
    return {"items": len(items), "consensus": sum(1 for item in items if item["overall"].get("has_consensus"))}


def not_submitted(round_: DelphiRound) -> dict:
    """Who on the panel has not submitted this round, for reminders: names and counts, never ratings."""
    submitted = sa.exists().where(
        DelphiResponse.round_id == round_.id,
        DelphiResponse.panellist_id == DelphiPanelMember.user_id,
        DelphiResponse.status == ResponseStatus.SUBMITTED,
    )
    base = (
        sa.select(User)
        .join(DelphiPanelMember, DelphiPanelMember.user_id == User.id)
        .where(DelphiPanelMember.survey_id == round_.survey_id, DelphiPanelMember.removed_at.is_(None))
    )
    people = db.session.scalars(base.where(~submitted).order_by(User.display_name, User.id)).all()
    panel = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    return {
        "round": round_.number,
        "panel": panel,
        "submitted": panel - len(people),
        "not_submitted": len(people),
        "people": [{"id": u.id, "display_name": u.display_name} for u in people],
    }


# --- between rounds ------------------------------------------------------------------------------


def _previous(round_: DelphiRound) -> DelphiRound:
    previous = round_by_number(round_.survey, round_.number - 1) if round_.number > 1 else None
    if previous is None:
        raise DomainError(_("Round 1 has no earlier round to compare with."), code="no_previous_round")
    return previous


def stability(round_: DelphiRound, *, now: datetime | None = None) -> list[dict]:
    """Per item asked in both this round and the one before: % of panellists (who submitted both) whose
    rating changed, and the change in % agreement; "stable" when it moved by at most 15 points."""
    previous = _previous(round_)
    earlier, earlier_response = sa.orm.aliased(DelphiRating), sa.orm.aliased(DelphiResponse)
    changed = sa.case((earlier.value.is_distinct_from(DelphiRating.value), 1), else_=0)
    stmt = (
        sa.select(DelphiRating.item_id, sa.func.count(), sa.func.sum(changed))
        .select_from(DelphiRating)
        .join(
            earlier,
            sa.and_(
                earlier.round_id == previous.id,
                earlier.item_id == DelphiRating.item_id,
                earlier.panellist_id == DelphiRating.panellist_id,
            ),
        )
        .where(DelphiRating.round_id == round_.id)
        .group_by(DelphiRating.item_id)
    )
    stmt = _submitted_join(_submitted_join(stmt), earlier, earlier_response)
    pairs = {item_id: (n, int(n_changed or 0)) for item_id, n, n_changed in db.session.execute(stmt)}
    current, earlier_results = (round_results(r, now=now, for_display=False) for r in (round_, previous))
    if min(current["respondents"]["overall"], earlier_results["respondents"]["overall"]) < MIN_GROUP_SIZE:
        return [{"item_id": ri.item_id, "text": ri.text, **SUPPRESSED} for ri in round_.round_items]
    now_results = {i["item_id"]: i["overall"] for i in current["items"]}
    before_results = {i["item_id"]: i["overall"] for i in earlier_results["items"]}
    rows = []
    for round_item in round_.round_items:
        if round_item.item_id not in before_results:
            continue
        n, n_changed = pairs.get(round_item.item_id, (0, 0))
        if n < MIN_GROUP_SIZE:  # whether one or two known people changed their mind is not shown
            n_changed = None
        a_now, a_before = (
            now_results[round_item.item_id]["agreement_percent"],
            before_results[round_item.item_id]["agreement_percent"],
        )
        delta = None if a_now is None or a_before is None else a_now - a_before
        rows.append(
            {
                "item_id": round_item.item_id,
                "text": round_item.text,
                "paired_panellists": n,
                "changed_percent": None if n_changed is None else _percent(n_changed, n),
                "agreement_before": a_before,
                "agreement_now": a_now,
                "agreement_change": delta,
                "is_stable": delta is not None and abs(delta) <= STABLE_MAX_POINTS,
            }
        )
    return rows


def feedback_for(round_: DelphiRound, actor: User, *, now: datetime | None = None) -> dict[int, dict]:
    """For each item carried into this round: the previous round's group distribution, median, IQR,
    % agreement, its rationales (anonymous, sorted by text) and the actor's own earlier rating."""
    if round_.number == 1:
        return {}
    previous = _previous(round_)
    carried = {ri.item_id for ri in round_.round_items}
    before = {
        i["item_id"]: i
        for i in round_results(previous, now=now, require_closed=False)["items"]
        if i["item_id"] in carried
    }
    rationale_rows = db.session.execute(
        _submitted_join(
            sa.select(DelphiRating.item_id, DelphiRating.rationale)
            .select_from(DelphiRating)
            .where(DelphiRating.round_id == previous.id, DelphiRating.item_id.in_(before), DelphiRating.rationale != "")
        ).order_by(DelphiRating.item_id, DelphiRating.rationale)
    )
    rationales: dict[int, list[str]] = defaultdict(list)
    for item_id, text in rationale_rows:
        rationales[item_id].append(text)
    own = {
        r.item_id: r
        for r in db.session.scalars(
            sa.select(DelphiRating).where(DelphiRating.round_id == previous.id, DelphiRating.panellist_id == actor.id)
        )
    }
    feedback = {}
    for item_id, result in before.items():
        mine = own.get(item_id)
        feedback[item_id] = {
            "item_id": item_id,
            "previous_round": previous.number,
            "previous_text": result["text"],
            "statistics": result["overall"],
            "rationales": [] if result["overall"].get("suppressed") else rationales.get(item_id, []),
            "own_rating": None if mine is None else {"value": mine.value, "cannot_rate": mine.is_cannot_rate},
        }
    return feedback


def consensus_item_ids(round_: DelphiRound) -> set[int]:
    results = round_results(round_, require_closed=False, for_display=False)
    return {i["item_id"] for i in results["items"] if i["overall"]["has_consensus"]}


def round_item_ids(round_: DelphiRound) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(DelphiRoundItem.item_id)
            .where(DelphiRoundItem.round_id == round_.id)
            .order_by(DelphiRoundItem.position)
        )
    )
