"""Minutes: writing (with `[[P-n]]` links to priorities), the lifecycle, versions, comments."""

from engage.minutes.services.common import MAX_COMMENT, MAX_DISCUSSION, MAX_SECTIONS, minutes_of
from engage.minutes.services.content import (
    attendees,
    canonical_json,
    content_hash,
    linked_priority_ids,
    links_to_priority,
    snapshot,
)
from engage.minutes.services.lifecycle import (
    add_comment,
    approve,
    circulate,
    comments_query,
    publish,
    start_correction,
    version_of,
)
from engage.minutes.services.writing import (
    find_references,
    render_with_references,
    save_minutes,
    set_editors,
    start_minutes,
)

__all__ = [
    "MAX_COMMENT",
    "MAX_DISCUSSION",
    "MAX_SECTIONS",
    "add_comment",
    "approve",
    "attendees",
    "canonical_json",
    "circulate",
    "comments_query",
    "content_hash",
    "find_references",
    "linked_priority_ids",
    "links_to_priority",
    "minutes_of",
    "publish",
    "render_with_references",
    "save_minutes",
    "set_editors",
    "snapshot",
    "start_correction",
    "start_minutes",
    "version_of",
]
