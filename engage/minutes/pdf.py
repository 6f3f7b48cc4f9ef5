"""The minutes PDF of an approved version (cached by content hash) and the compiled minutes PDF."""

import hashlib
import json
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _

from engage.auth.services import consortium_name
from engage.extensions import db
from engage.i18n import localized_text
from engage.labels import category_label, region_group_label
from engage.minutes.models import ActionStatus, Minutes, MinutesVersion
from engage.reports.layout import render_layout
from engage.reports.pdf import render_pdf
from engage.storage import get_storage, read_bytes
from engage.timeutil import format_day, format_moment


def _workshop_extras(workshop_id: int) -> dict:
    """What the PDF shows besides the frozen text: the workshop's IAP2 level and promise."""
    from engage.iap2.models import ActivityKind
    from engage.iap2.services import design_of, flag_text

    design = design_of(ActivityKind.WORKSHOP, workshop_id)
    if design is None:
        return {}
    level = design.promised_level
    # The same warning as the activity page: a level declared above what the design supports is flagged.
    return {"iap2_level": level.label, "iap2_promise": level.promise, "iap2_flag": flag_text(design) or ""}


def _roadmap_actions(priority_ids: list[int]) -> dict[int, list[str]]:
    from engage.roadmap.services import action_titles_by_priority

    return action_titles_by_priority(priority_ids)


def local_time(iso: str, zone: str) -> str:
    return format_moment(datetime.fromisoformat(iso), zone, locale=str(get_locale()))


def action_status_label(code: str) -> str:
    return ActionStatus(code).label


def _context(content: dict, version: MinutesVersion | None) -> dict:
    workshop = content["workshop"]
    footer = ""
    if version is not None:
        footer = _(
            "Version %(n)d · approved %(date)s · SHA-256 %(hash)s",
            n=version.number,
            date=format_day(version.approved_at.date(), locale=str(get_locale())),
            hash=version.content_hash,
        )
    else:
        footer = _("Draft — not approved")
    consortium = consortium_name()
    return {
        "consortium": consortium,
        "content": content,
        "version": version,
        "footer_text": footer,
        "header_text": _(
            "%(consortium)s · Pillar %(n)d · %(group)s · round %(round)d",
            consortium=consortium or _("Engage"),
            n=workshop["pillar_number"],
            group=localized_text(workshop, "working_group"),
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


def _cache_key(version: MinutesVersion, context: dict) -> str:
    """By content hash, language, and the live parts (consortium name, IAP2 level, roadmap actions) the PDF shows."""
    live = json.dumps(
        [str(get_locale()), context["consortium"], context["extras"], context["roadmap"]], sort_keys=True, default=str
    )
    # The footer names the version and its approval date: a later version with the same text is another PDF.
    stamp = f"{version.content_hash}:{version.number}:{version.approved_at.isoformat()}"
    key = hashlib.sha256(f"{stamp}:{live}".encode()).hexdigest()
    return f"pdf-cache/minutes-{key}.pdf"


def version_pdf_key(version: MinutesVersion) -> str:
    """The storage key of an approved version's PDF: rendered once per content hash (and language), then
    served from the shared storage by any web host.

    A cache fill, so it commits: first the request's reading transaction (on SQLite the write must start
    a transaction of its own), then the stored PDF.
    """
    context = _context(version.content, version)
    key = _cache_key(version, context)
    storage = get_storage()
    if not storage.exists(key):
        pdf = render_pdf(render_layout("minutes/pdf.html", **context))
        db.session.commit()
        storage.put(key, pdf, content_type="application/pdf")
        db.session.commit()
    return key


def version_pdf(version: MinutesVersion) -> bytes:
    return read_bytes(version_pdf_key(version))


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
    get_storage().delete_prefix("pdf-cache/minutes-")
