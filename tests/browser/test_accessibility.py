"""Every page each role can reach from its home page, on the demo consortium, on a 390 px phone:
axe-core finds no critical or serious violation, and no page scrolls sideways.

The crawl follows the links a person can click (same site, GET pages; no downloads, API or sign-out),
keeping at most two pages of each route (`/workshops/3` and `/workshops/7` are one route) so the run
stays a few minutes while every kind of page is checked with real data.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_check import axe_source, blocking_violations
from playwright.sync_api import expect

from engage.demo import DEMO_PASSWORD, seed_demo
from engage.timeutil import utcnow

PHONE = {"width": 390, "height": 844}
PAGES_PER_ROUTE = 2
MAX_PAGES = 150
SKIPPED = re.compile(
    r"(\.(pdf|csv|ics|svg|png|zip)$)|/(pdf|csv)$|^/(api|calendar|static)/|/download$|^/logout|^/login|/file$"
)
ROLES = {
    "public visitor": None,
    "participant": ("giulia.romano@engage.example", "Giulia Romano"),
    "lead": ("lead.pillar1@engage.example", "Chiara Conti"),
    "coordinator": ("coordinator@engage.example", "Elena Ricci"),
}


def _route(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != base or SKIPPED.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _check(page, url: str, source: str, problems: list[str]) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{url}: the page scrolls sideways ({width} px wide at {PHONE['width']} px)")
    for v in blocking_violations(page, source):
        problems.append(f"{url}: {v['impact']} {v['id']} ({v['help']}): {'; '.join(v['nodes'])}")


@pytest.fixture
def demo(db):
    seed_demo(utcnow())
    db.session.commit()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_the_role_passes_axe_and_fits_a_phone(role, demo, browser, live_server, end_transaction):
    end_transaction()
    source = axe_source()
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, timezone_id="Europe/Rome", locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        account = ROLES[role]
        if account:
            page.goto("/login")
            page.get_by_label("E-mail").fill(account[0])
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("button", name=f"Sign out ({account[1]})")).to_be_visible()
        problems: list[str] = []
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        queue = deque(["/"])
        visited = 0
        while queue and visited < MAX_PAGES:
            url = queue.popleft()
            response = page.goto(url)
            visited += 1
            if response is None or response.status >= 400:
                problems.append(f"{url}: answered {response.status if response else 'nothing'}")
                continue
            _check(page, url, source, problems)
            if url == "/":
                # The menu's groups open as <details>: check them open too.
                page.eval_on_selector_all(".nav-group details", "groups => groups.forEach(d => d.open = true)")
                _check(page, url + " (menu open)", source, problems)
            for link in _links(page, live_server):
                route = _route(urlsplit(link).path)
                if link in seen or per_route.get(route, 0) >= PAGES_PER_ROUTE:
                    continue
                seen.add(link)
                per_route[route] = per_route.get(route, 0) + 1
                queue.append(link)
        assert visited >= 5, f"the crawl found only {visited} pages for the {role}"
        assert not problems, f"{role}, {visited} pages:\n" + "\n".join(problems)
    finally:
        context.close()


def test_a_refused_form_passes_axe(demo, browser, live_server, end_transaction):
    """The error state: summary, messages tied to fields, invalid fields marked."""
    end_transaction()
    source = axe_source()
    context = browser.new_context(base_url=live_server, viewport=PHONE, timezone_id="Europe/Rome", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("E-mail").fill("lead.pillar1@engage.example")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/manage/workshops/new")
        page.get_by_role("button", name="Save workshop").click()
        expect(page.get_by_role("alert")).to_contain_text("There are problems with")
        assert blocking_violations(page, source) == []
    finally:
        context.close()
