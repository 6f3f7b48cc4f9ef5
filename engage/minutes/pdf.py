"""The minutes PDF of an approved version (cached by content hash) and the compiled minutes PDF."""

import hashlib
import json
import os
import uuid
from datetime import datetime

from babel.dates import format_datetime
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.auth.models import CATEGORY_LABELS, StakeholderCategory
from engage.minutes.models import ActionStatus, Minutes, MinutesVersion
from engage.reports.layout import render_layout
from engage.reports.pdf import render_pdf
from engage.timeutil import to_zone


def _workshop_extras(workshop_id: int) -> dict:
    """What the PDF shows besides the frozen text: the workshop's IAP2 level and promise."""
    from engage.iap2.models import ActivityKind
    from engage.iap2.services import design_of

    design = design_of(ActivityKind.WORKSHOP, workshop_id)
    if design is None:
        return {}
    level = design.promised_level
    return {"iap2_level": level.label, "iap2_promise": level.promise}


def _roadmap_actions(priority_ids: list[int]) -> dict[int, list[str]]:
    from engage.roadmap.services import action_titles_by_priority

    return action_titles_by_priority(priority_ids)


def local_time(iso: str, zone: str) -> str:
    moment = to_zone(datetime.fromisoformat(iso), zone)
    return f"{format_datetime(moment, 'EEE d MMM y, HH:mm', locale=str(get_locale()))} ({zone})"


def category_label(code: str) -> str:
    try:
        return str(CATEGORY_LABELS[StakeholderCategory(code)])
    except ValueError:
        return code


_REGION_GROUPS = {"EU": _l("EU"), "China": _l("China"), "other": _l("other regions")}


def region_group_label(code: str) -> str:
    return str(_REGION_GROUPS.get(code, code))


def action_status_label(code: str) -> str:
    return ActionStatus(code).label


def _context(content: dict, version: MinutesVersion | None) -> dict:
    workshop = content["workshop"]
    footer = ""
    if version is not None:
        footer = _(
            "Version %(n)d · approved %(date)s · SHA-256 %(hash)s",
            n=version.number,
            date=version.approved_at.strftime("%Y-%m-%d"),
            hash=version.content_hash,
        )
    else:
        footer = _("Draft — not approved")
    return {
        "content": content,
        "version": version,
        "footer_text": footer,
        "header_text": _(
            "Engage · Pillar %(n)d · %(group)s · round %(round)d",
            n=workshop["pillar_number"],
            group=workshop["working_group"],
            round=workshop["round"],
        ),
        "extras": _workshop_extras(workshop["id"]),
        "roadmap": _roadmap_actions([p["id"] for p in content["priorities"]]),
        "local_time": local_time,
        "category_label": category_label,
        "action_status_label": action_status_label,
        "region_group_label": region_group_label,
    }


def minutes_html(content: dict, version: MinutesVersion | None) -> str:
    return render_layout("minutes/pdf.html", **_context(content, version))


def _cache_path(version: MinutesVersion, context: dict) -> str:
    """By content hash, language, and the live parts (IAP2 level, roadmap actions) the PDF also shows."""
    live = json.dumps([str(get_locale()), context["extras"], context["roadmap"]], sort_keys=True, default=str)
    # The footer names the version and its approval date: a later version with the same text is another PDF.
    stamp = f"{version.content_hash}:{version.number}:{version.approved_at.isoformat()}"
    key = hashlib.sha256(f"{stamp}:{live}".encode()).hexdigest()
    return os.path.join(current_app.instance_path, "pdf-cache", f"minutes-{key}.pdf")


def version_pdf(version: MinutesVersion) -> bytes:
    """The PDF of an approved version; rendered once per content hash (and language), then served from disk."""
    context = _context(version.content, version)
    path = _cache_path(version, context)
    if os.path.exists(path):
        with open(path, "rb") as handle:
            return handle.read()
    pdf = render_pdf(render_layout("minutes/pdf.html", **context))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Written under a temporary name and renamed, so a concurrent reader never sees half a file.
    temporary = f"{path}.{uuid.uuid4().hex}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(pdf)
    os.replace(temporary, path)
    return pdf


def compiled_html(entries: list[tuple[Minutes, MinutesVersion]], *, title: str) -> str:
    """One document: cover, table of contents with page numbers, each workshop from a new page."""
    documents = [(minutes, version, _context(version.content, version)) for minutes, version in entries]
    return render_layout(
        "minutes/compiled_pdf.html",
        title=title,
        documents=documents,
        header_text=title,
        footer_text=title,
        local_time=local_time,
        category_label=category_label,
        action_status_label=action_status_label,
        region_group_label=region_group_label,
    )


def clear_pdf_cache() -> None:
    """Drop every cached minutes PDF (they are made again on demand): after a privacy correction, no copy of
    a withdrawn version may stay on disk."""
    folder = os.path.join(current_app.instance_path, "pdf-cache")
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        if name.startswith("minutes-") and name.endswith(".pdf"):
            os.remove(os.path.join(folder, name))
