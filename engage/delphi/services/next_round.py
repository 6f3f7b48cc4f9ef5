"""Preparing the next round: settle consensus items, carry the rest forward, reword, merge, drop, add.

Changes are possible while the next round is scheduled but not yet open; each is audited with who,
when and why. A reworded item keeps both wordings (each round item stores the wording it was asked in).
"""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import AuditAction, DelphiItem, DelphiRound, DelphiRoundItem, RoundItemChange
from engage.delphi.services.common import (
    audit,
    invalid,
    reject_nul,
    require_manager,
    require_not_finalised,
    require_reason,
)
from engage.errors import DomainError, NotFound
from engage.extensions import db
from engage.timeutil import utcnow


def carry_forward(previous: DelphiRound, round_: DelphiRound, *, actor: User, now: datetime) -> None:
    """Items with consensus in the previous round are settled; every other item is carried forward as worded
    in it, in both languages."""
    from engage.delphi.services.setup import attach
    from engage.delphi.services.snapshot import consensus_item_ids

    settled = consensus_item_ids(previous, now=now)
    for round_item in previous.round_items:
        if round_item.item_id in settled:
            audit(
                round_.survey,
                AuditAction.ITEM_SETTLED,
                actor=actor,
                now=now,
                round_id=previous.id,
                item_id=round_item.item_id,
                reason=_("Consensus reached in round %(n)d.", n=previous.number),
            )
            continue
        attach(round_, round_item.item, RoundItemChange.CARRIED, wording=round_item)
        audit(
            round_.survey,
            AuditAction.ITEM_CARRIED,
            actor=actor,
            now=now,
            round_id=round_.id,
            item_id=round_item.item_id,
            reason=_("No consensus in round %(n)d.", n=previous.number),
        )


def _preparing(round_: DelphiRound, actor: User, now: datetime) -> None:
    require_manager(round_.survey, actor)
    require_not_finalised(round_.survey)
    if round_.number == 1:
        raise DomainError(
            _("Round 1 items are edited directly; this is for preparing a later round."), code="not_a_later_round"
        )
    if round_.has_opened(now):
        raise DomainError(
            _("Round %(n)d has opened; its items can no longer change.", n=round_.number), code="round_open"
        )


def _round_item(round_: DelphiRound, item_id: int) -> DelphiRoundItem:
    round_item = db.session.get(DelphiRoundItem, (round_.id, item_id))
    if round_item is None:
        raise NotFound(_("This item is not part of round %(n)d.", n=round_.number))
    return round_item


def reword_item(
    round_: DelphiRound,
    item_id: int,
    *,
    actor: User,
    text: str | None = None,
    explanation: str | None = None,
    text_zh: str | None = None,
    explanation_zh: str | None = None,
    reason: str,
    now: datetime | None = None,
) -> DelphiRoundItem:
    """A new wording, in either language or both, of an item of the round being prepared; a wording not
    given stays as carried forward. A change to the Chinese wording alone is a rewording as much as one to
    the English: audited with its reason, and carried into later rounds like any wording."""
    from engage.delphi.services.setup import WORDING_FIELDS

    now = now or utcnow()
    _preparing(round_, actor, now)
    reason = require_reason(reason)
    given = {"text": text, "text_zh": text_zh, "explanation": explanation, "explanation_zh": explanation_zh}
    given = {field: value.strip() for field, value in given.items() if value is not None}
    reject_nul(**given)
    round_item = _round_item(round_, item_id)
    if not given:
        raise invalid("text", _("Write the new wording."))
    if "text" in given and not given["text"]:
        raise invalid("text", _("Write the new wording."))
    before = {field: getattr(round_item, field) for field in WORDING_FIELDS}
    if all(before[field] == value for field, value in given.items()):
        raise invalid("text", _("This is the wording the item already has."))
    for field, value in given.items():
        setattr(round_item, field, value)
    round_item.change = RoundItemChange.REWORDED
    audit(
        round_.survey,
        AuditAction.ITEM_REWORDED,
        actor=actor,
        now=now,
        round_id=round_.id,
        item_id=item_id,
        reason=reason,
        details={"before": before, "after": {field: getattr(round_item, field) for field in WORDING_FIELDS}},
    )
    db.session.flush()
    return round_item


def drop_item(round_: DelphiRound, item_id: int, *, actor: User, reason: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    _preparing(round_, actor, now)
    reason = require_reason(reason)
    round_item = _round_item(round_, item_id)
    audit(
        round_.survey,
        AuditAction.ITEM_DROPPED,
        actor=actor,
        now=now,
        round_id=round_.id,
        item_id=item_id,
        reason=reason,
        details={"text": round_item.text},
    )
    db.session.delete(round_item)
    db.session.flush()


def merge_items(
    round_: DelphiRound,
    item_ids: list[int],
    *,
    actor: User,
    text: str,
    explanation: str = "",
    text_zh: str = "",
    explanation_zh: str = "",
    reason: str,
    now: datetime | None = None,
) -> DelphiItem:
    """Replace two or more items of the round by one new item (codes: the union of theirs)."""
    from engage.delphi.services.setup import attach

    now = now or utcnow()
    _preparing(round_, actor, now)
    reason = require_reason(reason)
    reject_nul(text=text, explanation=explanation, text_zh=text_zh, explanation_zh=explanation_zh)
    item_ids = list(dict.fromkeys(item_ids))
    if len(item_ids) < 2:
        raise invalid("item_ids", _("Choose at least two items to merge."))
    if not text.strip():
        raise invalid("text", _("Write the wording of the merged item."))
    sources = [_round_item(round_, item_id) for item_id in item_ids]
    codes = {s.id: s for source in sources for s in source.item.sub_topics}
    merged = DelphiItem(
        survey_id=round_.survey_id,
        text=text.strip(),
        text_zh=(text_zh or "").strip(),
        explanation=explanation.strip(),
        explanation_zh=(explanation_zh or "").strip(),
        origin=sources[0].item.origin,
        created_by_id=actor.id,
        created_at=now,
        sub_topics=list(codes.values()),
    )
    db.session.add(merged)
    db.session.flush()
    for source in sources:
        source.item.merged_into_id = merged.id
        db.session.delete(source)
    db.session.flush()
    attach(round_, merged, RoundItemChange.MERGED)
    audit(
        round_.survey,
        AuditAction.ITEM_MERGED,
        actor=actor,
        now=now,
        round_id=round_.id,
        item_id=merged.id,
        reason=reason,
        details={"merged_from": item_ids, "texts": [s.text for s in sources]},
    )
    db.session.flush()
    return merged


def round_changes(round_: DelphiRound) -> dict[str, int]:
    """How the round's items came about: new, carried, reworded, merged (for the methods report)."""
    rows = db.session.execute(
        sa.select(DelphiRoundItem.change, sa.func.count())
        .where(DelphiRoundItem.round_id == round_.id)
        .group_by(DelphiRoundItem.change)
    )
    counts = {change.value: 0 for change in RoundItemChange}
    counts.update({change.value: n for change, n in rows})
    return counts
