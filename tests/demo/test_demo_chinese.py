"""The demo in Simplified Chinese, as a participant from China meets it: every page each role reaches
is in Chinese (no interface string left in English), the open Delphi round is rated in Chinese, and
PDFs read back in Chinese with their language declared.

"Interface string" is every message of the catalogue that has no placeholder: a page whose text node or
label equals one of those in English shows an untranslated string (consortium content is not checked
here: it is English in the demo's content, and its bilingual version is another part of the work).
"""

import html as html_lib
import re
from collections import deque
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from engage.auth.models import User
from engage.delphi.models import DelphiRating, DelphiResponse, DelphiRound, DelphiSurvey
from engage.timeutil import utcnow

PO = Path(__file__).resolve().parents[2] / "engage/translations/zh_Hans/LC_MESSAGES/messages.po"
SKIPPED = re.compile(
    r"(\.(pdf|csv|ics|svg|png|zip)$)|/(pdf|csv)$|^/(api|calendar|static)/|/download$|^/logout|^/login|/file$"
)
PAGES_PER_ROUTE = 2
# Demo content that happens to equal an interface string: a round-3 agenda item is called "Welcome", and
# an indicator's owner (free text, not bilingual) is "Coordinator".
CONTENT = {"Welcome", "Coordinator"}
TEXT_NODE = re.compile(r">([^<>]+)<")
LABEL = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')


def _interface_strings() -> set[str]:
    with open(PO, "rb") as handle:
        catalog = read_po(handle)
    found = set()
    for message in catalog:
        if not message.id or isinstance(message.id, (list, tuple)) or "%" in message.id or "{" in message.id:
            continue
        if message.string and message.string != message.id and re.search(r"[A-Za-z]{3}", message.id):
            found.add(message.id)
    return found


def _zh(app, msgid: str, **values) -> str:
    with app.test_request_context(), force_locale("zh_Hans"):
        return str(gettext(msgid, **values))


def _english_left(page: str, interface: set[str]) -> set[str]:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    texts = [html_lib.unescape(t).strip() for t in TEXT_NODE.findall(page)]
    texts += [html_lib.unescape(t).strip() for t in LABEL.findall(page)]
    return {t for t in texts if t in interface and t not in CONTENT}


def _crawl(client, start: str = "/", limit: int = 120):
    seen_routes: dict[str, int] = {}
    queue, visited = deque([start]), set()
    while queue and len(visited) < limit:
        path = queue.popleft()
        if path in visited:
            continue
        route = re.sub(r"\d+", "N", path.split("?")[0])
        if seen_routes.get(route, 0) >= PAGES_PER_ROUTE:
            continue
        visited.add(path)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        page = response.get_data(as_text=True)
        yield path, page
        for href in re.findall(r'<a [^>]*href="([^"#]+)', page):
            href = html_lib.unescape(href)
            if href.startswith("/") and not href.startswith("//") and not SKIPPED.search(href.split("?")[0]):
                queue.append(href)


@pytest.mark.parametrize(
    "email",
    [
        "li.wei@engage.example",  # a participant in China: Chinese from the account
        "lead.pillar2@engage.example",  # a lead in China
        "coordinator@engage.example",  # the coordinator, switched to Chinese
        None,  # a public visitor, switched to Chinese
    ],
)
def test_every_page_a_role_reaches_is_in_chinese(client, sign_in, email):
    interface = _interface_strings()
    assert len(interface) > 600
    if email:
        sign_in(email)
    if email in (None, "coordinator@engage.example"):
        client.get("/")
        assert client.post("/language", data={"language": "zh", "next": "/"}).status_code == 303
    problems, pages = [], 0
    try:
        for path, page in _crawl(client):
            pages += 1
            if '<html lang="zh-Hans">' not in page:
                problems.append(f"{path}: not declared zh-Hans")
            left = _english_left(page, interface)
            if left:
                problems.append(f"{path}: {sorted(left)}")
    finally:
        if email == "coordinator@engage.example":
            client.post("/language", data={"language": "en", "next": "/"})
    assert pages >= (8 if email is None else 25), pages
    assert problems == [], "\n".join(problems)


def test_a_participant_from_china_rates_the_open_round_in_chinese(app, client, db, sign_in):
    now = utcnow()
    round_ = db.session.scalar(
        sa.select(DelphiRound).join(DelphiSurvey).where(DelphiRound.opens_at <= now, DelphiRound.closes_at > now)
    )
    li_wei = db.session.scalar(sa.select(User).where(User.email == "li.wei@engage.example"))
    assert li_wei.locale == "zh"
    sign_in(li_wei.email)
    try:
        page = client.get(f"/delphi/rounds/{round_.id}").get_data(as_text=True)
        assert '<html lang="zh-Hans">' in page
        assert f'value="submit">{_zh(app, "Submit")}</button>' in page
        form = {f"value-{ri.item_id}": "5" for ri in round_.round_items} | {"action": "submit"}
        done = client.post(f"/delphi/rounds/{round_.id}", data=form, follow_redirects=True).get_data(as_text=True)
        assert _zh(app, "Your answers are submitted. You can change them until the round closes.") in done
    finally:
        db.session.rollback()
        for model in (DelphiRating, DelphiResponse):
            column = model.panellist_id
            db.session.execute(sa.delete(model).where(model.round_id == round_.id, column == li_wei.id))
        db.session.commit()


def test_pdfs_in_chinese_declare_their_language(app, client, read_pdf):
    import io

    import pypdf

    client.get("/")
    client.post("/language", data={"language": "zh", "next": "/"})
    try:
        data = client.get("/scorecard.pdf").data
        assert pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "zh-Hans"
        text = " ".join(" ".join(p["text"].split()) for p in read_pdf(data))
        assert _zh(app, "Roadmap scorecard") in text
    finally:
        client.post("/language", data={"language": "en", "next": "/"})
