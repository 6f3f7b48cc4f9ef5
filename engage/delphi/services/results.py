"""Round figures computed in the database: one GROUP BY returns how many valid ratings each value got per
item and per (region group, stakeholder category) cell; medians, IQRs and so on come from those counts
(engage.delphi.statistics). Individual ratings are never loaded, except the rows of the response matrix
in a survey that declared it.

Groups are those stored on each response when it was submitted (never today's profiles), and what is
published follows the disclosure model (engage.delphi.disclosure). These functions compute; the results
snapshot (engage.delphi.services.snapshot) stores what they computed when a round closes, and everything
shown afterwards is read from it.
"""

import secrets
from collections import Counter, defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import StakeholderCategory, User
from engage.auth.regions import CHINESE_PROVINCES, EU_MEMBER_STATES, RegionGroup
from engage.delphi import disclosure
from engage.delphi.models import (
    DelphiPanelMember,
    DelphiRating,
    DelphiResponse,
    DelphiRound,
    DisclosureMode,
    ResponseStatus,
)
from engage.delphi.statistics import MIN_GROUP_SIZE, QUANTILE_DEFINITION, Rule, summarise
from engage.errors import DomainError
from engage.extensions import db

STABLE_MAX_POINTS = 15
OVERALL = ("overall", "")
SUPPRESSED = disclosure.suppression(disclosure.SMALL_GROUP)


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


# The languages a respondent may have read and answered a round in (DelphiResponse.language).
LANGUAGES = ["en", "zh"]
# The language "group" of responses saved before languages were recorded: never published.
UNSTATED_LANGUAGE = "unstated"


def group_keys() -> dict[str, list[str]]:
    return {
        "region": [g.value for g in RegionGroup],
        "category": [c.value for c in StakeholderCategory],
        "language": list(LANGUAGES),
    }


def _group_keys(region: str, category: str, language: str) -> tuple:
    return OVERALL, ("region", region), ("category", category), ("language", language)


def _cell(
    region: RegionGroup | None, category: StakeholderCategory | None, language: str | None
) -> tuple[str, str, str]:
    # Responses submitted before groups were stored on them were filled in by the migration; a missing value
    # can only come from a row written outside the application, and counts as "other".
    language = language if language in LANGUAGES else UNSTATED_LANGUAGE
    return (region or RegionGroup.OTHER).value, (category or StakeholderCategory.OTHER).value, language


def respondent_cells(round_id: int) -> dict[tuple[str, str, str], int]:
    """Submitted responses per (region group, category, language) cell, by what was stored on each response."""
    rows = db.session.execute(
        sa.select(DelphiResponse.region_group, DelphiResponse.category, DelphiResponse.language, sa.func.count())
        .where(DelphiResponse.round_id == round_id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .group_by(DelphiResponse.region_group, DelphiResponse.category, DelphiResponse.language)
    )
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    for region, category, language, count in rows:
        cells[_cell(region, category, language)] += count
    return dict(cells)


def by_group(cells: dict[tuple[str, str, str], int]) -> dict[tuple, int]:
    """Counts per cell rolled up to the whole panel, each region group, each category and each language."""
    counts: dict[tuple, int] = defaultdict(int)
    for cell, n in cells.items():
        for key in _group_keys(*cell):
            counts[key] += n
    return counts


def _count_cells(round_id: int) -> dict[int, dict[tuple, dict]]:
    """item id → group key → {value (None = cannot rate): count}, from one GROUP BY over the round's ratings
    joined to the submitted responses (whose stored groups say where each rating counts).

    A round of 2,000 panellists returns ~60,000 count rows: the groups come back as the stored names (no
    enum conversion per row), each (region, category, language) combination is mapped to its group keys once,
    and the rows are read through the Core connection, without the ORM's loading layer.
    """
    stored = [sa.type_coerce(column, sa.String) for column in (DelphiResponse.region_group, DelphiResponse.category)]
    stmt = (
        sa.select(DelphiRating.item_id, *stored, DelphiResponse.language, DelphiRating.value, sa.func.count())
        .select_from(DelphiRating)
        .join(DelphiResponse, DelphiResponse.id == DelphiRating.response_id)
        .where(DelphiRating.round_id == round_id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .group_by(DelphiRating.item_id, *stored, DelphiResponse.language, DelphiRating.value)
    )
    cells: dict[int, dict[tuple, dict]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    keys_of: dict[tuple, tuple] = {}
    for item_id, region, category, language, value, count in db.session.connection().execute(stmt):
        keys = keys_of.get((region, category, language))
        if keys is None:
            keys = keys_of[(region, category, language)] = _group_keys(
                *_cell(_member(RegionGroup, region), _member(StakeholderCategory, category), language)
            )
        item = cells[item_id]
        for key in keys:
            item[key][value] += count
    return cells


def _member(enum, name: str | None):
    """The enum member a stored name stands for (None for a missing or unknown name: counted as "other")."""
    return enum.__members__.get(name) if name is not None else None


def _stats(cell: dict, rule: Rule) -> dict:
    counts = {value: count for value, count in cell.items() if value is not None}
    return summarise(counts, cell.get(None, 0), rule).as_dict()


def rule_summary(rule) -> dict:
    return {
        "scale_min": rule.scale_min,
        "scale_max": rule.scale_max,
        "scale_labels": rule.scale_labels,
        "scale_labels_zh": rule.scale_labels_zh,
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


def shown_groups(round_: DelphiRound, cells: dict[tuple[str, str], int]) -> dict[str, set[str]]:
    """The groups whose figures this round publishes (none in the response-matrix mode)."""
    if round_.survey.disclosure_mode is DisclosureMode.RESPONSE_MATRIX:
        return {kind: set() for kind in group_keys()}
    return disclosure.published_groups(cells, *group_keys().values())


def compute_results(round_: DelphiRound) -> tuple[dict, list[int]]:
    """The round's published figures, and the items that reached consensus.

    Published: per item the whole panel's statistics (none when fewer than 5 responded: with the
    "not yet submitted" list a lead could tell whose ratings they are) and those of the groups the
    disclosure model lets through. Consensus is decided by the frozen rule on all valid ratings, also
    with fewer than 5 respondents; the decision is used, its figures are not shown.
    """
    rule = round_.survey.rule
    value_rule = Rule.of(rule)
    mode = round_.survey.disclosure_mode
    cells = _count_cells(round_.id)
    respondents_by_cell = respondent_cells(round_.id)
    respondents = by_group(respondents_by_cell)
    shown = shown_groups(round_, respondents_by_cell)
    overall_hidden = respondents.get(OVERALL, 0) < MIN_GROUP_SIZE

    def group(kind: str, name: str, item_cells: dict) -> dict:
        if name in shown[kind]:
            return _stats(item_cells.get((kind, name), {}), value_rule)
        return disclosure.suppression(disclosure.suppression_reason(mode, respondents.get((kind, name), 0)))

    items, consensus = [], []
    for round_item in round_.round_items:
        item_cells = cells.get(round_item.item_id, {})
        overall = _stats(item_cells.get(OVERALL, {}), value_rule)
        if overall["has_consensus"]:
            consensus.append(round_item.item_id)
        entry = {
            "item_id": round_item.item_id,
            "position": round_item.position,
            "text": round_item.text,
            "text_zh": round_item.text_zh,
            "change": round_item.change.value,
            "overall": dict(SUPPRESSED) if overall_hidden else overall,
        }
        for kind, names in group_keys().items():
            entry[f"by_{kind}"] = {name: group(kind, name, item_cells) for name in names}
        items.append(entry)
    results = {
        "round": {
            "id": round_.id,
            "number": round_.number,
            "opens_at": round_.opens_at.isoformat(),
            "closes_at": round_.closes_at.isoformat(),
        },
        "rule": rule_summary(rule),
        "quantile_definition": QUANTILE_DEFINITION,
        "disclosure": {
            "mode": mode.value,
            "min_group_size": MIN_GROUP_SIZE,
            "shown": {kind: [n for n in names if n in shown[kind]] for kind, names in group_keys().items()},
        },
        "is_suppressed": overall_hidden,
        "respondents": {
            "overall": respondents.get(OVERALL, 0),
            **{
                f"by_{kind}": {
                    name: respondents.get((kind, name), 0) if name in shown[kind] else None for name in names
                }
                for kind, names in group_keys().items()
            },
        },
        "items": items,
    }
    return results, consensus


def next_round_feedback(round_: DelphiRound, results: dict) -> dict[str, dict]:
    """What the next round shows panellists, per item (id as text): the wording in both languages, the whole
    panel's published figures and the non-empty rationales of submitted responses, sorted (so no order leaks),
    with the language of the response each was written in (`rationale_languages`, in the same order) — none
    at all when the whole panel's figures are suppressed."""
    texts = {} if results["is_suppressed"] else _rationales(round_)
    return {
        str(item["item_id"]): {
            "text": item["text"],
            "text_zh": item.get("text_zh", ""),
            "overall": item["overall"],
            "rationales": [text for text, _language in texts.get(str(item["item_id"]), [])],
            "rationale_languages": [language for _text, language in texts.get(str(item["item_id"]), [])],
        }
        for item in results["items"]
    }


def _rationales(round_: DelphiRound) -> dict[str, list[tuple[str, str | None]]]:
    """Item id → [(rationale, language of its response)], sorted by text."""
    rows = db.session.execute(
        _submitted_join(
            sa.select(DelphiRating.item_id, DelphiRating.rationale, DelphiResponse.language)
            .select_from(DelphiRating)
            .where(DelphiRating.round_id == round_.id, DelphiRating.rationale != "")
        ).order_by(DelphiRating.item_id, DelphiRating.rationale)
    )
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for item_id, text, language in rows:
        found[str(item_id)].append((text, language))
    return dict(found)


def matrix_rows(round_: DelphiRound) -> list[dict]:
    """The response matrix: each submitted response's ratings, and the language it was answered in, under a
    random code of this round only (no group figures are published beside it). The language is stated only
    when every language was answered in by none or at least 5 respondents.

    The codes come from a random generator, not from the secret key or the person, and are not kept
    anywhere else: they cannot be linked to a panellist or to the same panellist in another round.
    Sorted by code, so the order says nothing either.
    """
    ratings: dict[int, dict[str, str]] = defaultdict(dict)
    languages: dict[int, str | None] = {}
    for response_id, language, item_id, value, cannot in db.session.execute(
        _submitted_join(
            sa.select(
                DelphiRating.response_id,
                DelphiResponse.language,
                DelphiRating.item_id,
                DelphiRating.value,
                DelphiRating.is_cannot_rate,
            )
            .select_from(DelphiRating)
            .where(DelphiRating.round_id == round_.id)
        )
    ):
        ratings[response_id][str(item_id)] = "cannot rate" if cannot else str(value)
        languages[response_id] = language
    codes: set[str] = set()
    while len(codes) < len(ratings):
        codes.add(f"R{round_.number}-{secrets.token_hex(5).upper()}")
    # A language answered in by 1–4 respondents would point at them: then no row states its language.
    per_language = Counter(languages.values())
    if any(n < MIN_GROUP_SIZE for n in per_language.values()):
        languages = dict.fromkeys(languages)
    rows = [{"ratings": row, "language": languages[response_id]} for response_id, row in ratings.items()]
    return [{"pseudonym": code, **row} for code, row in sorted(zip(codes, rows, strict=True), key=lambda pair: pair[0])]


# --- participation: response rate and attrition ---------------------------------------------------


def _panel_at(round_: DelphiRound) -> dict[tuple, int]:
    """Panel members during the round, by group of their current profile (language: the one they read the
    site in): added before it closed, not removed before it opened. (Frozen in the round's snapshot.)"""
    region = region_group_expr()
    rows = db.session.execute(
        sa.select(region, User.category, User.locale, sa.func.count())
        .select_from(DelphiPanelMember)
        .join(User, User.id == DelphiPanelMember.user_id)
        .where(
            DelphiPanelMember.survey_id == round_.survey_id,
            DelphiPanelMember.added_at <= round_.closes_at,
            sa.or_(DelphiPanelMember.removed_at.is_(None), DelphiPanelMember.removed_at > round_.opens_at),
        )
        .group_by(region, User.category, User.locale)
    )
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    for region_value, category, locale, count in rows:
        cells[(region_value, category.value, locale if locale in LANGUAGES else UNSTATED_LANGUAGE)] += count
    return by_group(cells)


def _dropped_out(previous: DelphiRound, round_: DelphiRound) -> dict[tuple, int]:
    """Respondents of the previous round who did not submit this one, by their group then."""
    later = sa.orm.aliased(DelphiResponse)
    rows = db.session.execute(
        sa.select(DelphiResponse.region_group, DelphiResponse.category, DelphiResponse.language, sa.func.count())
        .where(DelphiResponse.round_id == previous.id, DelphiResponse.status == ResponseStatus.SUBMITTED)
        .where(
            ~sa.exists().where(
                later.round_id == round_.id,
                later.panellist_id == DelphiResponse.panellist_id,
                later.status == ResponseStatus.SUBMITTED,
            )
        )
        .group_by(DelphiResponse.region_group, DelphiResponse.category, DelphiResponse.language)
    )
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    for region, category, language, count in rows:
        cells[_cell(region, category, language)] += count
    return by_group(cells)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def round_participation(round_: DelphiRound, previous: DelphiRound | None) -> dict:
    """Panel size, respondents, response rate and attrition since the previous round (share of its
    respondents who did not submit this one), overall and per group. The panel size of a group is always
    shown; its respondent and attrition figures only where the disclosure model would show the group's
    figures in group-results mode (counts of people, not ratings, but kept to the same groups)."""
    cells = respondent_cells(round_.id)
    panel, responded = _panel_at(round_), by_group(cells)
    dropped = _dropped_out(previous, round_) if previous else None
    before = by_group(respondent_cells(previous.id)) if previous else {}
    shown = disclosure.published_groups(cells, *group_keys().values())

    def row(key: tuple) -> dict:
        entry = {"panel": panel.get(key, 0)}
        n = responded.get(key, 0)
        if key != OVERALL and key[1] not in shown[key[0]]:
            return entry | disclosure.suppression(disclosure.suppression_reason(DisclosureMode.GROUP_RESULTS, n))
        entry |= {"respondents": n, "response_rate": _percent(n, panel.get(key, 0))}
        if dropped is not None:
            entry |= {
                "dropped_out": dropped.get(key, 0),
                "attrition": _percent(dropped.get(key, 0), before.get(key, 0)),
            }
        return entry

    participation = {
        "round": round_.number,
        "opens_at": round_.opens_at.isoformat(),
        "closes_at": round_.closes_at.isoformat(),
        "overall": row(OVERALL),
    }
    for kind, names in group_keys().items():
        participation[f"by_{kind}"] = {name: row((kind, name)) for name in names}
    return participation


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


def paired_changes(previous: DelphiRound, round_: DelphiRound) -> dict[int, tuple[int, int]]:
    """Item id → (panellists with a valid rating of it in both rounds, how many of them changed it).

    "Cannot rate" in either round is no valid rating, so such a panellist is not paired for that item.
    """
    earlier, earlier_response = sa.orm.aliased(DelphiRating), sa.orm.aliased(DelphiResponse)
    changed = sa.case((earlier.value != DelphiRating.value, 1), else_=0)
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
        .where(DelphiRating.round_id == round_.id, DelphiRating.value.is_not(None), earlier.value.is_not(None))
        .group_by(DelphiRating.item_id)
    )
    stmt = _submitted_join(_submitted_join(stmt), earlier, earlier_response)
    return {item_id: (n, int(n_changed or 0)) for item_id, n, n_changed in db.session.execute(stmt)}


def stability_rows(round_: DelphiRound, now_results: dict, before_results: dict, pairs: dict) -> list[dict]:
    """Per item asked in both rounds: the paired change and the change in % agreement (stable when it
    moved by at most 15 points). Hidden when either round had fewer than 5 respondents; the share that
    changed is hidden when fewer than 5 are paired (whether one or two known people moved is not shown)."""
    if now_results["is_suppressed"] or before_results["is_suppressed"]:
        return [{"item_id": ri.item_id, "text": ri.text, **SUPPRESSED} for ri in round_.round_items]
    now_overall = {i["item_id"]: i["overall"] for i in now_results["items"]}
    before_overall = {i["item_id"]: i["overall"] for i in before_results["items"]}
    rows = []
    for round_item in round_.round_items:
        if round_item.item_id not in before_overall:
            continue
        n, n_changed = pairs.get(round_item.item_id, (0, 0))
        a_now = now_overall[round_item.item_id]["agreement_percent"]
        a_before = before_overall[round_item.item_id]["agreement_percent"]
        delta = None if a_now is None or a_before is None else a_now - a_before
        rows.append(
            {
                "item_id": round_item.item_id,
                "text": round_item.text,
                "paired_panellists": n,
                "changed_percent": _percent(n_changed, n) if n >= MIN_GROUP_SIZE else None,
                "agreement_before": a_before,
                "agreement_now": a_now,
                "agreement_change": delta,
                "is_stable": delta is not None and abs(delta) <= STABLE_MAX_POINTS,
            }
        )
    return rows
