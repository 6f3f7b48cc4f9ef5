"""The minutes PDFs read back: the IAP2 over-claim flag the pages show, the version hash beside its
workshop (never a page of its own), and no text set outside the A4 page."""

import re
from datetime import timedelta

from engage.iap2.activities import load_activity
from engage.iap2.levels import IAP2Level
from engage.iap2.models import ActivityKind
from engage.iap2.services import save_design
from engage.minutes import services
from engage.minutes.jobs import run_due_exports
from engage.minutes.pdf import version_pdf
from engage.timeutil import utcnow
from engage.workshops.models import AgendaItem


def _approved(db, workshop, lead, document, priority):
    minutes = services.start_minutes(workshop, actor=lead)
    services.save_minutes(minutes, actor=lead, data=document(p=priority.id))
    services.circulate(minutes, actor=lead, deadline=utcnow() + timedelta(days=1))
    version = services.approve(minutes, actor=lead)
    db.session.commit()
    return version


def test_minutes_pdf_flags_a_level_declared_above_the_design(db, workshop, lead, document, make_priority, read_pdf):
    info = load_activity(ActivityKind.WORKSHOP, workshop.id)
    answers = {"input_sought": True, "iterative_throughout": False, "shape_alternatives": False}
    save_design(
        info, actor=lead, data={**answers, "decision_delegated": False, "declared_level": IAP2Level.COLLABORATE}
    )
    version = _approved(db, workshop, lead, document, make_priority())
    pages = read_pdf(version_pdf(version))
    text = " ".join(" ".join(p["text"].split()) for p in pages)
    assert "Collaborate" in text
    assert "Flagged: declared Collaborate, design supports Consult." in text
    assert version.content_hash in text.replace(" ", "")
    assert all(not p["outside"] for p in pages), [p["outside"] for p in pages]


def test_compiled_pdf_keeps_each_hash_with_its_workshop(
    db, client, auth_headers, create_workshop, working_group, lead, document, make_priority, read_pdf
):
    priority = make_priority()
    hashes = {}
    for n in (1, 2, 3):
        workshop = create_workshop(
            working_group,
            title=f"Round {n} workshop",
            round=n,
            starts_at=utcnow().replace(microsecond=0) - timedelta(days=30 - n),
            agenda_items=[AgendaItem(position=1, title="Welcome"), AgendaItem(position=2, title="Data")],
        )
        hashes[n] = _approved(db, workshop, lead, document, priority).content_hash
    headers = auth_headers(lead)
    job = client.post("/api/v1/minutes-exports", json={"working_group_id": working_group.id}, headers=headers)
    run_due_exports(utcnow())
    status = client.get(f"/api/v1/minutes-exports/{job.get_json()['id']}", headers=headers).get_json()
    pages = read_pdf(client.get(status["download_url"], headers=headers).data)
    for n, digest in hashes.items():
        holding = [p for p in pages if digest in p["text"].replace("\n", "").replace(" ", "")]
        assert len(holding) == 1 and f"Minutes: Round {n} workshop" in holding[0]["text"]
    for page in pages:
        lines = [line for line in page["text"].splitlines() if line.strip()]
        body = [line for line in lines if not re.match(r"^(Page \d+ of \d+|Minutes of .*)$", line)]
        assert len(body) > 2, f"a page holding almost nothing: {lines}"
        assert not page["outside"], page["outside"]
