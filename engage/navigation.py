"""The site menu, by role: at most six top-level entries, the rest grouped under one heading.

Visitors: home, workshops, roadmap, scorecard, working groups. Participants add their Delphi
surveys and consultations, with priorities and the rest under "More". Leads get "Manage" and
coordinators "Consortium" for the tools of their role. An entry is marked current when the page
shown is it or lies under it (`prefixes`), and a group when one of its entries is.
Endpoints are named, not imported, so this base module depends on no feature.
"""

from dataclasses import dataclass, field

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass
class Entry:
    label: str
    endpoint: str
    prefixes: tuple[str, ...] = ()
    children: list["Entry"] = field(default_factory=list)
    url: str = ""
    current: bool = False


def _e(label, endpoint, *prefixes) -> Entry:
    return Entry(str(label), endpoint, prefixes)


def _public() -> list[Entry]:
    return [
        _e(_l("Home"), "home.index"),
        _e(_l("Workshops"), "workshops.list_workshops", "/workshops"),
        _e(_l("Roadmap"), "roadmap.roadmap", "/roadmap", "/priorities"),
        _e(_l("Scorecard"), "indicators.scorecard", "/scorecard", "/indicators"),
        _e(_l("Working groups"), "workshops.working_groups", "/working-groups"),
    ]


def _signed_in_common() -> list[Entry]:
    return [
        _e(_l("Home"), "home.index"),
        _e(_l("Workshops"), "workshops.list_workshops", "/workshops", "/manage/workshops"),
        _e(_l("Delphi surveys"), "delphi.my_surveys", "/delphi", "/manage/delphi"),
        _e(_l("Consultations"), "consultations.list_consultations", "/consultations"),
        _e(_l("Roadmap"), "roadmap.roadmap", "/roadmap"),
    ]


def _manage_tools() -> list[Entry]:
    return [
        _e(_l("Priorities"), "priorities.list_priorities", "/priorities"),
        _e(_l("Compiled minutes"), "minutes.export_page", "/minutes/exports"),
        _e(_l("Invitations"), "auth.invitations", "/invitations"),
        _e(_l("Involvement report"), "iap2.involvement_report", "/iap2/reports"),
        _e(_l("Overdue promises"), "iap2.promises", "/iap2/promises"),
        _e(_l("Briefings"), "iap2.briefings", "/iap2/briefings"),
        _e(_l("Slot finder"), "scheduling.slots", "/scheduling"),
        _e(_l("Scorecard"), "indicators.scorecard", "/scorecard", "/indicators"),
        _e(_l("Working groups and codebook"), "workshops.working_groups", "/working-groups"),
    ]


def _entries(user) -> list[Entry]:
    if not user.is_authenticated:
        return _public()
    entries = _signed_in_common()
    if user.is_coordinator:
        group = Entry(str(_l("Consortium")), "", ())
        group.children = [
            _e(_l("Dashboard"), "indicators.dashboard", "/dashboard"),
            *_manage_tools(),
            _e(_l("People"), "admin.users", "/admin/users"),
            _e(_l("Audit log"), "audit.index", "/admin/audit"),
            _e(_l("Settings"), "auth.settings", "/settings"),
        ]
    elif user.role.value == "lead":
        group = Entry(str(_l("Manage")), "", ())
        group.children = _manage_tools()
    else:
        group = Entry(str(_l("More")), "", ())
        group.children = [
            _e(_l("Priorities"), "priorities.list_priorities", "/priorities"),
            _e(_l("Scorecard"), "indicators.scorecard", "/scorecard", "/indicators"),
            _e(_l("Working groups"), "workshops.working_groups", "/working-groups"),
        ]
    return [*entries, group]


def _is_current(entry: Entry, path: str) -> bool:
    if entry.endpoint and request.endpoint == entry.endpoint:
        return True
    return any(path == p or path.startswith(p + "/") or path.startswith(p + ".") for p in entry.prefixes)


def navigation() -> list[Entry]:
    """The menu for the signed-in person (or a visitor), with the current entry and group marked."""
    entries = _entries(current_user)
    path = request.path
    for entry in entries:
        for child in entry.children:
            child.url = url_for(child.endpoint)
            child.current = _is_current(child, path)
        if entry.endpoint:
            entry.url = url_for(entry.endpoint)
            entry.current = _is_current(entry, path)
        else:
            entry.current = any(child.current for child in entry.children)
    # One page, one current entry: the most specific match wins (a child over a top-level prefix).
    marked = [e for e in entries if e.current and e.endpoint]
    if any(c.current for e in entries for c in e.children):
        for e in marked:
            e.current = False
    return entries
