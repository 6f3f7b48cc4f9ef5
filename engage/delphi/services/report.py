"""The methods report: what CREDES/ACCORD ask a Delphi study to report, generated from the data."""

from collections import Counter

import sqlalchemy as sa

from engage.auth.models import Invitation
from engage.delphi import disclosure
from engage.delphi.models import AuditAction, DelphiAuditEntry, DelphiPanelInvitation, DelphiPanelMember, DelphiSurvey
from engage.delphi.services.next_round import round_changes
from engage.delphi.services.results import rule_summary
from engage.delphi.services.snapshot import participation_by_round, stored_snapshot
from engage.delphi.statistics import MIN_GROUP_SIZE, QUANTILE_DEFINITION
from engage.extensions import db
from engage.priorities.models import Priority


def methods_report(survey: DelphiSurvey) -> dict:
    """Panel composition, invitations, response and attrition per round, the rule and when it froze,
    rounds and dates, items per round (new / carried / reworded / merged / dropped / settled) and each item's
    wording in both languages as asked in each round, respondents per language, priorities,
    and the disclosure model: what was published, the groups shown per round, every matrix download."""
    members = db.session.scalars(
        sa.select(DelphiPanelMember).where(
            DelphiPanelMember.survey_id == survey.id, DelphiPanelMember.removed_at.is_(None)
        )
    ).all()
    invitations = db.session.scalars(
        sa.select(Invitation).join(DelphiPanelInvitation).where(DelphiPanelInvitation.survey_id == survey.id)
    ).all()
    audit_counts = Counter(
        db.session.execute(
            sa.select(DelphiAuditEntry.round_id, DelphiAuditEntry.action).where(
                DelphiAuditEntry.survey_id == survey.id,
                DelphiAuditEntry.action.in_([AuditAction.ITEM_DROPPED, AuditAction.ITEM_SETTLED]),
            )
        ).all()
    )
    rounds = []
    for round_ in survey.rounds:
        snapshot = stored_snapshot(round_)
        rounds.append(
            {
                "number": round_.number,
                "opens_at": round_.opens_at,
                "closes_at": round_.closes_at,
                "items": len(round_.round_items),
                "changes": round_changes(round_),
                "dropped": audit_counts[(round_.id, AuditAction.ITEM_DROPPED)],
                "settled_after": audit_counts[(round_.id, AuditAction.ITEM_SETTLED)],
                "groups_shown": snapshot.results["disclosure"]["shown"] if snapshot else None,
                "wordings": list(round_.round_items),
            }
        )
    priorities = db.session.scalars(
        sa.select(Priority)
        .where(Priority.source_delphi_item_id.in_([item.id for item in survey.items]))
        .order_by(Priority.id)
    ).all()
    downloads = db.session.scalars(
        sa.select(DelphiAuditEntry)
        .where(DelphiAuditEntry.survey_id == survey.id, DelphiAuditEntry.action == AuditAction.MATRIX_DOWNLOADED)
        .order_by(DelphiAuditEntry.id)
    ).all()
    return {
        "survey": survey,
        "disclosure_statement": disclosure.statement(survey.disclosure_mode),
        "min_group_size": MIN_GROUP_SIZE,
        "matrix_downloads": downloads,
        "rule": rule_summary(survey.rule),
        "quantile_definition": QUANTILE_DEFINITION,
        "panel_size": len(members),
        "panel_by_region": Counter(m.user.region_group.value for m in members),
        "panel_by_category": Counter(m.user.category.value for m in members),
        "panel_by_language": Counter(m.user.locale for m in members),
        "scale_labels_zh": [str(label) for label in survey.rule.labels_in("zh")],
        "invitations_sent": len(invitations),
        "invitations_accepted": sum(1 for i in invitations if i.accepted_at is not None),
        "rounds": rounds,
        "participation": participation_by_round(survey),
        "priorities": priorities,
    }
