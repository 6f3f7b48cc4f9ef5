"""Every response carries nosniff, a same-origin referrer policy, no framing and a Content-Security-Policy
without 'unsafe-inline'; templates hold no inline script or event-handler attribute that the policy would block."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _check(response, *, page: bool) -> str:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if page:
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
    else:
        assert policy.startswith("default-src 'none'")
    return policy


def test_pages_and_error_pages_get_the_page_policy(client):
    _check(client.get("/workshops"), page=True)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    _check(missing, page=True)


@pytest.mark.parametrize("path", ["/api/v1/workshops", "/api/v1/no-such-endpoint", "/static/engage.js"])
def test_api_answers_and_files_get_a_policy_that_allows_nothing(client, path):
    _check(client.get(path), page=False)


def test_svg_pdf_csv_and_calendar_downloads_carry_the_headers(client, db, lead, working_group, create_workshop, login):
    workshop = create_workshop(working_group=working_group)
    _check(client.get(f"/workshops/{workshop.id}.ics"), page=False)
    pdf = client.get("/roadmap.pdf")
    assert pdf.mimetype == "application/pdf"
    _check(pdf, page=False)
    login(client, lead)
    csv = client.get(f"/manage/workshops/{workshop.id}/registrations.csv")
    assert csv.mimetype == "text/csv"
    _check(csv, page=False)
    svg = client.get("/iap2/reports/involvement.svg")
    assert svg.mimetype == "image/svg+xml"
    _check(svg, page=False)


def test_no_template_has_an_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
    javascript_url = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, javascript_url):
            found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert found == []


def test_page_templates_have_no_inline_styles():
    """style-src is 'self' only: a style attribute or <style> element in a page would be ignored.
    (E-mails and PDF layouts are not pages and may keep theirs.)"""
    not_pages = {"notifications", "reports"}
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in not_pages
        and re.search(r"\sstyle\s*=|<style", path.read_text(encoding="utf-8"))
        and not path.name.endswith("_pdf.html")
    ]
    assert found == []
