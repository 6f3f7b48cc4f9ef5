"""Setting a survey up: the survey and its consensus rule, items, the panel and the rounds."""

import csv
import io
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi import round_activity
from engage.delphi.models import (
    DEFAULT_SCALE_LABELS,
    AuditAction,
    ConsensusRule,
    DelphiItem,
    DelphiRound,
    DelphiRoundItem,
    DelphiSurvey,
    DisclosureMode,
    ItemOrigin,
    RoundItemChange,
)
from engage.delphi.services.common import (
    audit,
    invalid,
    latest_round,
    lock_survey,
    reject_nul,
    require_manager,
    require_not_finalised,
    require_reason,
    sub_topics_of,
)
from engage.delphi.services.panel import join_accepted_invitations, panel_size
from engage.delphi.services.snapshot import write_round_snapshot
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.iap2 import services as iap2
from engage.timeutil import format_moment, utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup
from engage.workshops.permissions import can_manage_working_group

MAX_IMPORT_ROWS = 500
# An item's wording in both languages: copied into each round it is asked in, frozen there once it opens.
WORDING_FIELDS = ("text", "text_zh", "explanation", "explanation_zh")
MAX_SCALE_POINTS = 11
RULE_FIELDS = (
    "scale_min",
    "scale_max",
    "scale_labels",
    "scale_labels_zh",
    "agreeing_values",
    "threshold_percent",
    "disagreeing_values",
    "veto_max_percent",
    "min_valid_ratings",
    "rounds_planned",
    "allows_cannot_rate",
)


def create_survey(working_group: WorkingGroup, *, actor: User, data: dict, now: datetime | None = None) -> DelphiSurvey:
    """A survey for the working group's pillar, with the default rule (1–5, 4–5 agree, 70 %, 2 rounds) and
    the disclosure mode asked for (group results unless the response matrix is declared)."""
    now = now or utcnow()
    if not can_manage_working_group(actor, working_group.id):
        raise PermissionDenied(_("Only the working group's lead or a coordinator can create its Delphi survey."))
    reject_nul(**{k: data.get(k) for k in ("title", "title_zh", "description", "description_zh")})
    if not data["title"].strip():
        raise invalid("title", _("Give the survey a title."))
    survey = DelphiSurvey(
        working_group_id=working_group.id,
        title=data["title"].strip(),
        title_zh=(data.get("title_zh") or "").strip(),
        description=data.get("description", "").strip(),
        description_zh=(data.get("description_zh") or "").strip(),
        created_by_id=actor.id,
        created_at=now,
        disclosure_mode=data.get("disclosure_mode") or DisclosureMode.GROUP_RESULTS,
    )
    survey.rule = ConsensusRule(updated_at=now)
    db.session.add(survey)
    db.session.flush()
    return survey


# --- the consensus rule ---------------------------------------------------------------------------


def update_rule(survey: DelphiSurvey, *, actor: User, data: dict, now: datetime | None = None) -> ConsensusRule:
    """Change the consensus rule; refused once round 1 has opened (the rule is then frozen)."""
    now = now or utcnow()
    require_manager(survey, actor)
    lock_survey(survey)
    rule = survey.rule
    db.session.refresh(rule)
    if rule.is_frozen(now):
        raise DomainError(
            _(
                "The consensus rule was frozen when round 1 opened (%(when)s) and can no longer change.",
                when=format_moment(rule.frozen_at, "UTC", locale=str(get_locale())),
            ),
            code="rule_frozen",
        )
    reject_nul(scale_labels=data.get("scale_labels"), scale_labels_zh=data.get("scale_labels_zh"))
    values = {name: data.get(name, getattr(rule, name)) for name in RULE_FIELDS}
    if "scale_labels" not in data and ("scale_min" in data or "scale_max" in data):
        values["scale_labels"] = _default_labels(values["scale_min"], values["scale_max"])
    if "scale_labels_zh" not in data and values["scale_labels"] != rule.scale_labels:
        # New English labels: the Chinese ones given for the old labels no longer match them.
        values["scale_labels_zh"] = None
    if values["scale_labels_zh"] is not None and not any(label.strip() for label in values["scale_labels_zh"]):
        values["scale_labels_zh"] = None
    errors = _rule_errors(values)
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    before = {name: getattr(rule, name) for name in RULE_FIELDS}
    for name, value in values.items():
        setattr(rule, name, sorted(value) if name in ("agreeing_values", "disagreeing_values") else value)
    rule.updated_at = now
    audit(survey, AuditAction.RULE_SET, actor=actor, now=now, details={"before": before, "after": values})
    db.session.flush()
    return rule


def _default_labels(low: int, high: int) -> list[str]:
    return list(DEFAULT_SCALE_LABELS) if (low, high) == (1, 5) else [str(v) for v in range(low, high + 1)]


def _rule_errors(v: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if v["scale_min"] >= v["scale_max"]:
        errors["scale_max"] = [_("The top of the scale must be above its bottom.")]
        return errors
    scale = set(range(v["scale_min"], v["scale_max"] + 1))
    if len(scale) > MAX_SCALE_POINTS:
        errors["scale_max"] = [_("A scale has at most %(n)d points.", n=MAX_SCALE_POINTS)]
    if len(v["scale_labels"]) != len(scale):
        errors["scale_labels"] = [_("Give one label per scale point (%(n)d).", n=len(scale))]
    if v["scale_labels_zh"] is not None and len(v["scale_labels_zh"]) != len(scale):
        errors["scale_labels_zh"] = [_("Give one Chinese label per scale point (%(n)d).", n=len(scale))]
    agree, disagree = set(v["agreeing_values"]), set(v["disagreeing_values"])
    if not agree or not agree <= scale:
        errors["agreeing_values"] = [_("Agreeing values must be points of the scale.")]
    if not disagree <= scale:
        errors["disagreeing_values"] = [_("Disagreeing values must be points of the scale.")]
    elif agree & disagree:
        errors["disagreeing_values"] = [_("A value cannot both agree and disagree.")]
    if v["veto_max_percent"] is not None and not disagree:
        errors["disagreeing_values"] = [_("A disagreement veto needs disagreeing values.")]
    return errors


# --- items ---------------------------------------------------------------------------------------


def _round_one(survey: DelphiSurvey) -> DelphiRound | None:
    return next((r for r in survey.rounds if r.number == 1), None)


def _next_position(round_: DelphiRound) -> int:
    current = db.session.scalar(
        sa.select(sa.func.max(DelphiRoundItem.position)).where(DelphiRoundItem.round_id == round_.id)
    )
    return (current or 0) + 1


def attach(
    round_: DelphiRound,
    item: DelphiItem,
    change: RoundItemChange,
    *,
    wording: DelphiRoundItem | None = None,
) -> DelphiRoundItem:
    """Put an item into a round, worded as `wording` (a round item of an earlier round: carried forward as it
    was asked) or as the item is now. Both languages' wordings are copied: the round asks them as they are."""
    source = wording if wording is not None else item
    round_item = DelphiRoundItem(
        round_id=round_.id,
        item_id=item.id,
        position=_next_position(round_),
        change=change,
        **{field: getattr(source, field) for field in WORDING_FIELDS},
    )
    db.session.add(round_item)
    db.session.flush()
    return round_item


def add_item(
    survey: DelphiSurvey, *, actor: User, data: dict, reason: str = "", now: datetime | None = None
) -> DelphiItem:
    """A new item. Before round 1 opens it joins round 1; later only a round being prepared, with a reason."""
    now = now or utcnow()
    require_manager(survey, actor)
    lock_survey(survey)
    require_not_finalised(survey)
    first = _round_one(survey)
    target, change = first, RoundItemChange.NEW
    if first is not None and first.has_opened(now):
        target = latest_round(survey)
        if target.has_opened(now):
            raise DomainError(
                _(
                    "Round %(n)d has opened; new items can only go into the next round once it is scheduled.",
                    n=target.number,
                ),
                code="round_open",
            )
        reason = require_reason(reason)
    reject_nul(**{field: data.get(field) for field in WORDING_FIELDS})
    if not data["text"].strip():
        raise invalid("text", _("Write the statement."))
    item = DelphiItem(
        survey_id=survey.id,
        text=data["text"].strip(),
        text_zh=(data.get("text_zh") or "").strip(),
        explanation=data.get("explanation", "").strip(),
        explanation_zh=(data.get("explanation_zh") or "").strip(),
        origin=data.get("origin", ItemOrigin.LITERATURE),
        created_by_id=actor.id,
        created_at=now,
        sub_topics=sub_topics_of(survey, data.get("sub_topic_ids")),
    )
    db.session.add(item)
    db.session.flush()
    if target is not None:
        attach(target, item, change)
    audit(
        survey,
        AuditAction.ITEM_ADDED,
        actor=actor,
        now=now,
        item_id=item.id,
        reason=reason,
        round_id=target.id if target else None,
        details={"text": item.text, "text_zh": item.text_zh},
    )
    return item


def edit_item(item: DelphiItem, *, actor: User, data: dict, now: datetime | None = None) -> DelphiItem:
    """Edit an item's wording (either language's) before round 1 opens; its codebook codes may change at any
    time. Once round 1 has opened, a new wording in either language is a rewording for the next round."""
    now = now or utcnow()
    survey = item.survey
    require_manager(survey, actor)
    first = _round_one(survey)
    wording = {k: data[k] for k in (*WORDING_FIELDS, "origin") if k in data}
    reject_nul(**{field: wording.get(field) for field in WORDING_FIELDS})
    if "text" in wording and not wording["text"].strip():
        raise invalid("text", _("Write the statement."))
    if wording and first is not None and first.has_opened(now):
        raise DomainError(_("Round 1 has opened; reword the item for the next round instead."), code="round_open")

    def state() -> dict:
        return {field: getattr(item, field) for field in WORDING_FIELDS} | {
            "sub_topic_ids": [s.id for s in item.sub_topics]
        }

    before = state()
    for key, value in wording.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    if "sub_topic_ids" in data:
        item.sub_topics = sub_topics_of(survey, data["sub_topic_ids"])
    if first is not None and not first.has_opened(now):
        for round_item in first.round_items:
            if round_item.item_id == item.id:
                for field in WORDING_FIELDS:
                    setattr(round_item, field, getattr(item, field))
    after = state()
    audit(
        survey,
        AuditAction.ITEM_EDITED,
        actor=actor,
        now=now,
        item_id=item.id,
        details={"before": before, "after": after},
    )
    db.session.flush()
    return item


def _codes_index(survey: DelphiSurvey) -> dict[str, int]:
    """Codebook code "pillar.theme.letter" (e.g. "2.2.b") → sub-topic id, for this working group."""
    rows = db.session.execute(
        sa.select(Pillar.number, Theme.position, SubTopic.letter, SubTopic.id)
        .join(Theme, SubTopic.theme_id == Theme.id)
        .join(WorkingGroup, Theme.working_group_id == WorkingGroup.id)
        .join(Pillar, WorkingGroup.pillar_id == Pillar.id)
        .where(WorkingGroup.id == survey.working_group_id)
    )
    return {f"{p}.{t}.{letter}".lower(): sid for p, t, letter, sid in rows}


def import_items_csv(survey: DelphiSurvey, *, actor: User, text: str, now: datetime | None = None) -> list[DelphiItem]:
    """Items from CSV with columns text, explanation, origin, codes ("2.2.b; 2.2.a") and optionally text_zh and
    explanation_zh (the Chinese wording). All rows or none.

    A bad row is reported per field as ``rows.<n>.<column>`` (the header is row 1), each message naming
    its row and column and, where a value was wrong, the values accepted.
    """
    now = now or utcnow()
    require_manager(survey, actor)
    try:
        raw_rows = list(_read_csv(text))
    except csv.Error as exc:
        raise invalid("file", _("This file cannot be read as CSV: %(error)s", error=str(exc))) from exc
    codes = _codes_index(survey)
    rows, errors = [], {}
    for number, raw in enumerate(raw_rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str | None)}
        row_errors, data = _import_row(row, codes)
        for column, message in row_errors.items():
            errors[f"rows.{number}.{column}"] = [
                _("Row %(n)d, %(column)s: %(message)s", n=number, column=column, message=message)
            ]
        if not row_errors:
            rows.append(data)
    if errors:
        raise ValidationError(_("Some rows of the CSV are not valid; nothing was imported."), errors=errors)
    if not rows:
        raise invalid("file", _("The CSV has no items."))
    return [add_item(survey, actor=actor, data=data, reason=_("CSV import"), now=now) for data in rows]


def _read_csv(text: str):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        raise invalid("file", _("The CSV needs a header row with at least a “text” column."))
    for number, row in enumerate(reader, start=1):
        if number > MAX_IMPORT_ROWS:
            raise invalid("file", _("Import at most %(n)d items at a time.", n=MAX_IMPORT_ROWS))
        yield row


def _import_row(row: dict, codes: dict[str, int]) -> tuple[dict[str, str], dict]:
    """One row's data, and a message per bad column."""
    errors: dict[str, str] = {}
    if any("\x00" in value for value in row.values()):
        errors["file"] = _("this row contains a character that is not allowed (NUL).")
    text = row.get("text", "")
    if not text:
        errors["text"] = _("the statement is missing.")
    elif len(text) > 2000:
        errors["text"] = _("the statement is longer than 2,000 characters.")
    if len(row.get("text_zh", "")) > 2000:
        errors["text_zh"] = _("the statement is longer than 2,000 characters.")
    try:
        origin = ItemOrigin((row.get("origin") or "literature").lower())
    except ValueError:
        origin = None
        errors["origin"] = _(
            "“%(value)s” is not an origin; use literature, workshop or panellist (empty means literature).",
            value=row.get("origin", "")[:50],
        )
    wanted = [c.strip().lower() for c in (row.get("codes") or "").replace(",", ";").split(";") if c.strip()]
    unknown = [c for c in wanted if c not in codes]
    if unknown and codes:
        errors["codes"] = _(
            "unknown codebook codes %(codes)s; use this working group's codes, such as %(example)s.",
            codes=", ".join(unknown)[:200],
            example=", ".join(sorted(codes)[:3]),
        )
    elif unknown:
        errors["codes"] = _(
            "unknown codebook codes %(codes)s; this working group's codebook is empty.", codes=", ".join(unknown)[:200]
        )
    data = {
        "text": text,
        "text_zh": row.get("text_zh", ""),
        "explanation": row.get("explanation", "")[:5000],
        "explanation_zh": row.get("explanation_zh", "")[:5000],
        "origin": origin,
        "sub_topic_ids": [codes[c] for c in wanted if c in codes],
    }
    return errors, data


# --- rounds --------------------------------------------------------------------------------------


def schedule_round(
    survey: DelphiSurvey, *, actor: User, opens_at: datetime, closes_at: datetime, now: datetime | None = None
) -> DelphiRound:
    """The next round. Round 1 takes every item and freezes the rule at its opening time; a later
    round starts after the previous one closed, with the items that did not reach consensus carried forward.
    An opening time in the past means "open now".
    """
    from engage.delphi.services.next_round import carry_forward  # next_round uses attach() from here

    now = now or utcnow()
    require_manager(survey, actor)
    lock_survey(survey)
    require_not_finalised(survey)
    opens_at = max(opens_at, now)
    if closes_at <= opens_at:
        raise invalid("closes_at", _("A round must close after it opens."))
    previous = latest_round(survey)
    number = previous.number + 1 if previous else 1
    if number > survey.rule.rounds_planned:
        raise DomainError(
            _("The consensus rule plans %(n)d rounds; all of them are scheduled.", n=survey.rule.rounds_planned),
            code="no_more_rounds",
        )
    if previous is not None and not previous.is_closed(now):
        raise DomainError(_("Round %(n)d has not closed yet.", n=previous.number), code="previous_round_open")
    join_accepted_invitations(survey, now=now)
    if number == 1:
        if not survey.items:
            raise DomainError(_("Write at least one item before scheduling round 1."), code="no_items")
        if panel_size(survey) == 0:
            raise DomainError(_("Put at least one person on the panel before scheduling round 1."), code="no_panel")
    round_ = DelphiRound(survey_id=survey.id, number=number, opens_at=opens_at, closes_at=closes_at, created_at=now)
    db.session.add(round_)
    db.session.flush()
    if number == 1:
        for item in survey.items:
            attach(round_, item, RoundItemChange.NEW)
        survey.rule.frozen_at = opens_at
    else:
        carry_forward(previous, round_, actor=actor, now=now)
    audit(
        survey,
        AuditAction.ROUND_SCHEDULED,
        actor=actor,
        now=now,
        round_id=round_.id,
        details={"number": number, "opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
    )
    # A Delphi round seeks input iteratively, with feedback between rounds: Involve, until the lead refines it.
    iap2.save_design(
        round_activity(round_.id, survey.title, number, survey.working_group_id, closes_at, survey.id),
        actor=actor,
        now=now,
        data={
            "input_sought": True,
            "iterative_throughout": True,
            "shape_alternatives": False,
            "decision_delegated": False,
            "declared_level": None,
        },
    )
    db.session.flush()
    db.session.refresh(survey)
    return round_


def reschedule_round(
    round_: DelphiRound,
    *,
    actor: User,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    now: datetime | None = None,
) -> DelphiRound:
    """Move a round's opening (only before it opens) or closing (only before it closes)."""
    now = now or utcnow()
    survey = round_.survey
    require_manager(survey, actor)
    require_not_finalised(survey)
    if opens_at is not None and opens_at != round_.opens_at:
        if round_.has_opened(now):
            raise DomainError(_("This round has already opened."), code="round_open")
        round_.opens_at = max(opens_at, now)
    if closes_at is not None and closes_at != round_.closes_at:
        if round_.is_closed(now):
            raise DomainError(_("This round has already closed."), code="round_closed")
        round_.closes_at = closes_at
    if round_.closes_at <= round_.opens_at or round_.closes_at <= now:
        raise invalid("closes_at", _("A round must close after it opens and in the future."))
    if round_.number == 1:
        survey.rule.frozen_at = round_.opens_at
    audit(
        survey,
        AuditAction.ROUND_SCHEDULED,
        actor=actor,
        now=now,
        round_id=round_.id,
        details={"opens_at": round_.opens_at.isoformat(), "closes_at": round_.closes_at.isoformat()},
    )
    db.session.flush()
    return round_


def close_round(round_: DelphiRound, *, actor: User, now: datetime | None = None) -> DelphiRound:
    """Close an open round now (before its scheduled close) and write its results snapshot."""
    now = now or utcnow()
    require_manager(round_.survey, actor)
    if not round_.is_open(now):
        raise DomainError(_("Only an open round can be closed."), code="round_not_open")
    # A round closed the instant it opened still closes after it opened (the database checks this).
    round_.closes_at = max(now, round_.opens_at + timedelta(microseconds=1))
    audit(round_.survey, AuditAction.ROUND_CLOSED, actor=actor, now=now, round_id=round_.id)
    db.session.flush()
    write_round_snapshot(round_, now=now)
    return round_
