"""Finalising a survey: its consensus items become priorities."""

from datetime import datetime

from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import AuditAction, DelphiSurvey
from engage.delphi.services.common import audit, latest_round, lock_survey, require_manager, require_not_finalised
from engage.delphi.services.snapshot import round_snapshot
from engage.errors import DomainError
from engage.extensions import db
from engage.priorities.models import Priority
from engage.priorities.services import create_priority
from engage.timeutil import utcnow


def finalise_survey(survey: DelphiSurvey, *, actor: User, now: datetime | None = None) -> list[Priority]:
    """After the last round closed, every item that reached consensus (in any round) becomes a priority,
    worded as last asked (in both languages), coded like the item, with the statistics of the round it reached
    consensus in.

    The last round is the planned last one, or an earlier one in which every item reached consensus.
    """
    now = now or utcnow()
    require_manager(survey, actor)
    lock_survey(survey)
    require_not_finalised(survey)
    last = latest_round(survey)
    if last is None or not last.is_closed(now):
        raise DomainError(_("The survey can be finalised once its last round has closed."), code="round_not_closed")
    snapshots = {r.number: round_snapshot(r, now=now) for r in survey.rounds}
    if last.number < survey.rule.rounds_planned and len(snapshots[last.number].consensus_item_ids) < len(
        last.round_items
    ):
        raise DomainError(
            _(
                "Round %(n)d of %(total)d has closed and some items have no consensus yet; run the next round first.",
                n=last.number,
                total=survey.rule.rounds_planned,
            ),
            code="rounds_remaining",
        )
    items = {item.id: item for item in survey.items}
    priorities = []
    for number, snapshot in sorted(snapshots.items()):
        consensus = set(snapshot.consensus_item_ids)
        for entry in snapshot.results["items"]:
            if entry["item_id"] not in consensus:
                continue
            item = items[entry["item_id"]]
            # Every participant reads a priority's final statistics: the round's published figures, as frozen.
            final_statistics = {
                "round": number,
                "statistics": entry["overall"],
                "by_region": entry["by_region"],
                "by_category": entry["by_category"],
                "rule": snapshot.results["rule"],
            }
            priority = create_priority(
                pillar_id=survey.working_group.pillar_id,
                text=entry["text"],
                source_delphi_item_id=item.id,
                sub_topic_ids=[s.id for s in item.sub_topics],
                final_statistics=final_statistics,
                now=now,
            )
            # Both wordings, as asked in the round that reached consensus (snapshots of before the Chinese
            # wording existed hold none).
            priority.text_zh = entry.get("text_zh", "")
            priorities.append(priority)
    survey.finalised_at = now
    audit(survey, AuditAction.SURVEY_FINALISED, actor=actor, now=now, details={"priorities": len(priorities)})
    db.session.flush()
    return priorities
