"""Delphi business logic, split by stage: set-up, responses, results, next round, finalisation.

Every function follows the house rule: it validates, changes the session and flushes, and never
commits; it never touches the request or the signed-in user.
"""

from engage.delphi.services.finalise import finalise_survey
from engage.delphi.services.next_round import drop_item, merge_items, reword_item
from engage.delphi.services.panel import add_panellists, invite_to_panel, remove_panellist, set_disclosure_mode
from engage.delphi.services.report import methods_report
from engage.delphi.services.responses import my_response, save_response
from engage.delphi.services.results import not_submitted
from engage.delphi.services.setup import (
    add_item,
    close_round,
    create_survey,
    edit_item,
    import_items_csv,
    reschedule_round,
    schedule_round,
    update_rule,
)
from engage.delphi.services.snapshot import (
    consensus_summary,
    download_matrix,
    feedback_for,
    participation_by_round,
    round_results,
    stability,
)

__all__ = [
    "add_item",
    "add_panellists",
    "close_round",
    "consensus_summary",
    "create_survey",
    "download_matrix",
    "drop_item",
    "edit_item",
    "feedback_for",
    "finalise_survey",
    "import_items_csv",
    "invite_to_panel",
    "merge_items",
    "methods_report",
    "my_response",
    "not_submitted",
    "participation_by_round",
    "remove_panellist",
    "reschedule_round",
    "reword_item",
    "round_results",
    "save_response",
    "schedule_round",
    "set_disclosure_mode",
    "stability",
    "update_rule",
]
