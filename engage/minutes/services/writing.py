"""Writing minutes: sections, decisions, action items, `[[P-n]]` references, note-takers."""

import re
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import User
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.i18n import localized_text
from engage.links import external_url
from engage.minutes.models import (
    ActionStatus,
    Minutes,
    MinutesActionItem,
    MinutesDecision,
    MinutesEventKind,
    MinutesLink,
    MinutesSection,
    MinutesStatus,
)
from engage.minutes.permissions import can_edit
from engage.minutes.services.common import (
    MAX_DISCUSSION,
    MAX_ITEM_TEXT,
    MAX_ITEMS_PER_SECTION,
    MAX_SECTIONS,
    invalid,
    lock_minutes,
    minutes_of,
    record_event,
    require_manager,
    require_status,
)
from engage.priorities.models import Priority
from engage.text import render_markdown
from engage.timeutil import utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup, Workshop

# Anything written in double brackets is meant as a reference; only [[P-<number>]] (a priority) and
# [[C-<pillar>.<theme>.<letter>]] (a codebook sub-topic, as in Table 1) are.
_REFERENCE = re.compile(r"\[\[([^\[\]\n]{0,40})\]\]")
_PRIORITY_REFERENCE = re.compile(r"\s*P-(\d{1,9})\s*")
_CODE_REFERENCE = re.compile(r"\s*C-(\d{1,2}\.\d{1,2}\.[a-z]{1,2})\s*")

Reference = tuple[str, int | str]  # ("P", priority id) or ("C", "2.2.b")


def start_minutes(workshop: Workshop, *, actor: User, now: datetime | None = None) -> Minutes:
    """Draft minutes with one section per agenda item (one general section for a workshop without agenda)."""
    now = now or utcnow()
    require_manager(workshop, actor, _("Only the working group's lead can start the minutes."))
    if minutes_of(workshop) is not None:
        raise DomainError(_("This workshop already has minutes."), code="minutes_exist")
    minutes = Minutes(workshop=workshop, status=MinutesStatus.DRAFT, created_at=now, updated_at=now)
    items = workshop.agenda_items or []
    for position, item in enumerate(items, start=1):
        minutes.sections.append(
            MinutesSection(position=position, agenda_item_id=item.id, title=localized_text(item, "title"))
        )
    if not items:
        minutes.sections.append(MinutesSection(position=1, title=_("Discussion")))
    db.session.add(minutes)
    db.session.flush()
    record_event(minutes, MinutesEventKind.CREATED, actor, now)
    db.session.flush()
    return minutes


def parse_reference(inner: str) -> Reference | None:
    if match := _PRIORITY_REFERENCE.fullmatch(inner):
        return ("P", int(match.group(1)))
    if match := _CODE_REFERENCE.fullmatch(inner):
        return ("C", match.group(1))
    return None


def find_references(text: str) -> tuple[list[Reference], list[str]]:
    """The references in a text, and the bracketed ones that are not valid references."""
    found, invalid = [], []
    for match in _REFERENCE.finditer(text or ""):
        reference = parse_reference(match.group(1))
        if reference:
            found.append(reference)
        else:
            invalid.append(match.group(0))
    return found, invalid


def render_with_references(text: str) -> str:
    """Sanitised Markdown in which [[P-n]] links priority n's page and [[C-2.2.b]] the roadmap's sub-topic."""

    def link(match: re.Match) -> str:
        reference = parse_reference(match.group(1))
        if reference is None:
            return match.group(0)
        kind, key = reference
        if kind == "P":
            return f"[P-{key}]({external_url('minutes.priority_trace', priority_id=key)})"
        return f"[{key}]({external_url('roadmap.roadmap')}#sub-topic-{key})"

    return render_markdown(_REFERENCE.sub(link, text or ""))


def _parse_date(value, errors: dict, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Give the date as YYYY-MM-DD.")]
        return None
    if not 1900 <= parsed.year <= 2200:
        errors[field] = [_("Give the date as YYYY-MM-DD.")]
        return None
    return parsed


def _check_text(value, limit: int, errors: dict, field: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors[field] = [_("Not valid.")]
        return ""
    if required and not text:
        errors[field] = [_("Write something here.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(n)d characters.", n=limit)]
    return text


def _check_references(text: str, field: str, known: dict, errors: dict, found: list) -> None:
    references, invalid = find_references(text)
    unknown_priorities = [f"[[P-{key}]]" for kind, key in references if kind == "P" and (kind, key) not in known]
    unknown_codes = [f"[[C-{key}]]" for kind, key in references if kind == "C" and (kind, key) not in known]
    messages = []
    if invalid:
        messages.append(
            _(
                "Not a reference: %(refs)s. Write [[P-12]] for priority 12, [[C-2.2.b]] for a codebook sub-topic.",
                refs=", ".join(invalid),
            )
        )
    if unknown_priorities:
        messages.append(_("No such priority: %(refs)s.", refs=", ".join(unknown_priorities)))
    if unknown_codes:
        messages.append(_("No such codebook sub-topic: %(refs)s.", refs=", ".join(unknown_codes)))
    if messages:
        errors.setdefault(field, []).extend(messages)
    found.extend(references)


def _resolve_references(sections: list[dict]) -> dict[Reference, int]:
    """Every valid reference in the document → the id of its priority or sub-topic (two queries)."""
    references: set[Reference] = set()
    for section in sections:
        texts = [section.get("discussion") or ""]
        texts += [(d or {}).get("text") or "" for d in section.get("decisions") or [] if isinstance(d, dict)]
        texts += [(a or {}).get("description") or "" for a in section.get("actions") or [] if isinstance(a, dict)]
        for text in texts:
            references.update(find_references(text if isinstance(text, str) else "")[0])
    priority_ids = {key for kind, key in references if kind == "P"}
    codes = {key for kind, key in references if kind == "C"}
    resolved: dict[Reference, int] = {}
    if priority_ids:
        resolved.update(
            {("P", i): i for i in db.session.scalars(sa.select(Priority.id).where(Priority.id.in_(priority_ids)))}
        )
    if codes:
        rows = db.session.execute(
            sa.select(SubTopic.id, Pillar.number, Theme.position, SubTopic.letter)
            .join(Theme, SubTopic.theme_id == Theme.id)
            .join(WorkingGroup, Theme.working_group_id == WorkingGroup.id)
            .join(Pillar, WorkingGroup.pillar_id == Pillar.id)
        ).all()
        resolved.update({("C", f"{n}.{p}.{letter}"): i for i, n, p, letter in rows if f"{n}.{p}.{letter}" in codes})
    return resolved


def _validate_sections(sections, errors: dict) -> tuple[list[dict], dict[Reference, int]]:
    """Check the whole document; every problem is reported at once, by field ("sections.0.discussion")."""
    if not isinstance(sections, list) or not sections:
        errors["sections"] = [_("The minutes need at least one section.")]
        return [], {}
    if len(sections) > MAX_SECTIONS:
        errors["sections"] = [_("At most %(n)d sections.", n=MAX_SECTIONS)]
        return [], {}
    known = _resolve_references([s for s in sections if isinstance(s, dict)])
    cleaned = []
    for i, raw in enumerate(sections):
        prefix = f"sections.{i}"
        if not isinstance(raw, dict):
            errors[prefix] = [_("Not valid.")]
            continue
        section = {
            "agenda_item_id": raw.get("agenda_item_id"),
            "title": _check_text(raw.get("title"), 200, errors, f"{prefix}.title", required=True),
            "discussion": _check_text(raw.get("discussion"), MAX_DISCUSSION, errors, f"{prefix}.discussion"),
            "decisions": [],
            "actions": [],
            "discussion_refs": [],
        }
        _check_references(section["discussion"], f"{prefix}.discussion", known, errors, section["discussion_refs"])
        decisions, actions = raw.get("decisions") or [], raw.get("actions") or []
        if (
            not isinstance(decisions, list)
            or not isinstance(actions, list)
            or max(len(decisions), len(actions)) > MAX_ITEMS_PER_SECTION
        ):
            errors[prefix] = [_("At most %(n)d decisions and %(n)d action items per section.", n=MAX_ITEMS_PER_SECTION)]
            continue
        for j, decision in enumerate(decisions):
            field = f"{prefix}.decisions.{j}"
            text = _check_text(
                (decision or {}).get("text") if isinstance(decision, dict) else None,
                MAX_ITEM_TEXT,
                errors,
                field,
                required=True,
            )
            refs = []
            _check_references(text, field, known, errors, refs)
            section["decisions"].append({"text": text, "refs": refs})
        for j, action in enumerate(actions):
            field = f"{prefix}.actions.{j}"
            action = action if isinstance(action, dict) else {}
            description = _check_text(
                action.get("description"), MAX_ITEM_TEXT, errors, f"{field}.description", required=True
            )
            refs = []
            _check_references(description, f"{field}.description", known, errors, refs)
            status = action.get("status") or ActionStatus.OPEN.value
            if not isinstance(status, str) or status not in {s.value for s in ActionStatus}:
                errors[f"{field}.status"] = [_("Choose open, in_progress or done.")]
                status = ActionStatus.OPEN.value
            section["actions"].append(
                {
                    "description": description,
                    "refs": refs,
                    "status": ActionStatus(status),
                    "owner": _check_text(action.get("owner"), 200, errors, f"{field}.owner"),
                    "due_on": _parse_date(action.get("due_on"), errors, f"{field}.due_on"),
                }
            )
        cleaned.append(section)
    return cleaned, known


def save_minutes(minutes: Minutes, *, actor: User, data: dict, now: datetime | None = None) -> Minutes:
    """Replace the text of draft minutes. Unknown [[P-n]] / [[C-…]] references are errors, never dropped."""
    now = now or utcnow()
    if not can_edit(actor, minutes):
        raise PermissionDenied(_("Only the lead and the delegated note-takers can edit these minutes."))
    lock_minutes(minutes)
    require_status(minutes, MinutesStatus.DRAFT)
    expected = data.get("revision")
    if expected is not None and expected != minutes.revision:
        raise DomainError(
            _("Someone else saved these minutes in the meantime. Reload them and apply your changes again."),
            code="stale_revision",
        )
    errors: dict = {}
    sections, resolved = _validate_sections(data.get("sections"), errors)
    agenda_ids = {item.id for item in minutes.workshop.agenda_items}
    for i, section in enumerate(sections):
        item_id = section["agenda_item_id"]
        if item_id is not None and (type(item_id) is not int or item_id not in agenda_ids):
            errors[f"sections.{i}.agenda_item_id"] = [_("Not an agenda item of this workshop.")]
    if errors:
        raise invalid(errors)
    _write_sections(minutes, sections)
    _write_links(minutes, sections, resolved)
    minutes.revision += 1
    minutes.updated_at = now
    db.session.flush()
    return minutes


def _write_sections(minutes: Minutes, sections: list[dict]) -> None:
    db.session.execute(sa.delete(MinutesLink).where(MinutesLink.minutes_id == minutes.id))
    for section in minutes.sections:
        section.decisions.clear()
        section.actions.clear()
    del minutes.sections[len(sections) :]
    db.session.flush()
    for position, data in enumerate(sections, start=1):
        if position <= len(minutes.sections):
            section = minutes.sections[position - 1]
        else:
            section = MinutesSection(position=position)
            minutes.sections.append(section)
        section.agenda_item_id = data["agenda_item_id"]
        section.title = data["title"]
        section.discussion = data["discussion"]
        section.discussion_html = render_with_references(data["discussion"])
        section.decisions = [
            MinutesDecision(position=j, text=d["text"], text_html=render_with_references(d["text"]))
            for j, d in enumerate(data["decisions"], start=1)
        ]
        section.actions = [
            MinutesActionItem(
                position=j,
                description=a["description"],
                owner=a["owner"],
                due_on=a["due_on"],
                status=a["status"],
                description_html=render_with_references(a["description"]),
            )
            for j, a in enumerate(data["actions"], start=1)
        ]
    db.session.flush()


def _write_links(minutes: Minutes, sections: list[dict], resolved: dict[Reference, int]) -> None:
    """One row per distinct reference of each discussion, decision and action item."""

    def add(section: MinutesSection, references: list[Reference], **target) -> None:
        for kind, key in dict.fromkeys(references):
            column = "priority_id" if kind == "P" else "sub_topic_id"
            db.session.add(
                MinutesLink(minutes_id=minutes.id, section_id=section.id, **target, **{column: resolved[(kind, key)]})
            )

    for section, data in zip(minutes.sections, sections, strict=True):
        add(section, data["discussion_refs"])
        for decision, d in zip(section.decisions, data["decisions"], strict=True):
            add(section, d["refs"], decision_id=decision.id)
        for action, a in zip(section.actions, data["actions"], strict=True):
            add(section, a["refs"], action_item_id=action.id)


def set_editors(minutes: Minutes, *, actor: User, user_ids: list[int], now: datetime | None = None) -> Minutes:
    """The lead delegates note-taking: the complete list of people who may edit besides the lead."""
    now = now or utcnow()
    require_manager(minutes, actor, _("Only the working group's lead can choose note-takers."))
    ids = list(dict.fromkeys(user_ids))
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids), User.is_active_account.is_(True))).all()
    if len(users) != len(ids):
        raise invalid({"user_ids": [_("Choose existing, active accounts.")]})
    before = {u.id for u in minutes.editors}
    minutes.editors = list(users)
    for user in users:
        if user.id not in before:
            record_event(minutes, MinutesEventKind.EDITOR_ADDED, actor, now, details=user.display_name)
    for user_id in before - set(ids):
        record_event(minutes, MinutesEventKind.EDITOR_REMOVED, actor, now, details=str(user_id))
    db.session.flush()
    return minutes
