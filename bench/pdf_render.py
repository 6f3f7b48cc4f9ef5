"""Benchmark: PDF rendering through engage.reports against bare WeasyPrint on the same final HTML.

    python bench/pdf_render.py            # SQLite file in /tmp, 5 repetitions

Measures (median of the repetitions):
- a ~10-page bilingual (English / 简体中文) minutes PDF of one approved version, rendered by
  `engage.minutes.pdf.version_pdf` with its cache emptied each time (context + template + the
  restricted fetcher + attachment removal + WeasyPrint), against `weasyprint.HTML(...).write_pdf()`
  on the same HTML with WeasyPrint's default fetcher reading the same static files from disk;
- the 9-workshop compilation (cover, contents with page numbers, bookmarks), as the export job
  renders it, against bare WeasyPrint on the same HTML.
Target: our overhead ≤ 20 % over bare WeasyPrint; a single minutes PDF well under 2 s.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import pypdf  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from weasyprint import HTML  # noqa: E402

from engage import create_app  # noqa: E402
from engage.auth.models import ConsentPurpose, Role, StakeholderCategory, User  # noqa: E402
from engage.auth.services import record_consent  # noqa: E402
from engage.extensions import db  # noqa: E402
from engage.minutes import services  # noqa: E402
from engage.minutes.exports import approved_minutes  # noqa: E402
from engage.minutes.pdf import compiled_html, minutes_html, version_pdf, version_pdf_key  # noqa: E402
from engage.participation.models import Registration, RegistrationStatus  # noqa: E402
from engage.priorities.services import create_priority  # noqa: E402
from engage.reports.pdf import PDF_BASE_URL, render_pdf  # noqa: E402
from engage.storage import get_storage  # noqa: E402
from engage.workshops.models import AgendaItem, Pillar, SubTopic, Theme, WorkingGroup, Workshop  # noqa: E402

T0 = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
PARAGRAPH_EN = (
    "Participants from the EU and China discussed how shared data standards, controlled access and "
    "patient consent could make genomic and clinical data comparable across borders. "
)
PARAGRAPH_ZH = "来自欧盟和中国的与会者讨论了共享数据标准、受控访问和患者知情同意如何使跨境基因组和临床数据具有可比性。"


def _discussion(paragraphs: int, priority_id: int) -> str:
    return "\n\n".join(f"{PARAGRAPH_EN * 2}[[P-{priority_id}]]\n\n{PARAGRAPH_ZH * 2}" for _ in range(paragraphs))


def build(paragraphs_per_section: int) -> None:
    """A working group with 9 workshops (3 rounds × 3), each with approved bilingual minutes."""
    group = WorkingGroup(pillar=Pillar(number=2, name="Innovation and market"), name="WG2: 创新与市场")
    theme = Theme(position=1, name="Adopting Big Data and ICT solutions")
    theme.sub_topics = [SubTopic(letter="a", name="Data exchange")]
    group.themes.append(theme)
    lead = User(email="lead@bench.example", password_hash="x", display_name="Huang Mei", role=Role.LEAD)
    lead.led_working_groups.append(group)
    people = [
        User(
            email=f"p{i}@bench.example",
            password_hash="x",
            display_name=name,
            region=region,
            category=StakeholderCategory.ACADEMIA_RESEARCH,
        )
        for i, (name, region) in enumerate(
            [
                ("王丽", "CN-BJ"),
                ("Giulia Romano", "IT"),
                ("Li Wei", "CN-SH"),
                ("Jan de Vries", "NL"),
                ("Zhang Min", "CN-SH"),
            ]
        )
    ]
    db.session.add_all([group, lead, *people])
    db.session.flush()
    for person in people[:3]:
        record_consent(person, ConsentPurpose.NAMED_IN_MINUTES, now=T0)
    priority = create_priority(
        pillar_id=group.pillar_id,
        text="推广数据互操作性 Promote data interoperability",
        sub_topic_ids=[theme.sub_topics[0].id],
        final_statistics={
            "round": 2,
            "statistics": {"agreement_percent": 86.4, "n_valid": 22, "median": 5.0, "iqr": 1.0},
        },
    )
    for number in range(1, 10):
        starts = T0 + timedelta(weeks=number)
        workshop = Workshop(
            working_group=group,
            title=f"Workshop {number} · 第{number}次研讨会",
            round=(number + 2) // 3,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            timezone="Asia/Shanghai",
            venue="Online",
            capacity=30,
            agenda_items=[AgendaItem(position=i, title=f"议程 {i}: Agenda item {i}") for i in range(1, 5)],
        )
        db.session.add(workshop)
        db.session.flush()
        for person in people:
            db.session.add(Registration(workshop_id=workshop.id, user_id=person.id, status=RegistrationStatus.ATTENDED))
        minutes = services.start_minutes(workshop, actor=lead, now=starts)
        sections = [
            {
                "agenda_item_id": s.agenda_item_id,
                "title": s.title,
                "discussion": _discussion(paragraphs_per_section, priority.id),
                "decisions": [{"text": f"Adopt shared standards [[P-{priority.id}]] 采用共同标准"}],
                "actions": [
                    {
                        "description": "Draft a data-sharing template 起草数据共享模板",
                        "owner": "王丽",
                        "due_on": "2027-06-30",
                        "status": "open",
                    }
                ],
            }
            for s in minutes.sections
        ]
        services.save_minutes(minutes, actor=lead, data={"sections": sections}, now=starts)
        services.circulate(minutes, actor=lead, deadline=starts + timedelta(days=7), now=starts)
        services.approve(minutes, actor=lead, now=starts + timedelta(days=8))
    db.session.commit()


def _once(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def interleaved(ours, theirs, repetitions: int) -> tuple[float, object, float, object]:
    """Median times of both, run alternately so that load from other processes hits both alike."""
    ours_times, their_times, ours_result, their_result = [], [], None, None
    for _ in range(repetitions):
        elapsed, ours_result = _once(ours)
        ours_times.append(elapsed)
        elapsed, their_result = _once(theirs)
        their_times.append(elapsed)
    return statistics.median(ours_times), ours_result, statistics.median(their_times), their_result


def bare(html: str, static_folder: str) -> bytes:
    """WeasyPrint alone: the same HTML, static files read from disk by its default fetcher."""
    return HTML(
        string=html.replace(PDF_BASE_URL, Path(static_folder).as_uri() + "/"),
        base_url=Path(static_folder).as_uri() + "/",
    ).write_pdf()


def pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--paragraphs", type=int, default=12, help="per agenda item; 12 gives ~10 pages")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="engage-bench-pdf-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.sqlite3", "SERVER_NAME": "engage.bench"})
    app.instance_path = workdir
    try:
        with app.app_context():
            upgrade()
            build(args.paragraphs)
        with app.test_request_context():
            minutes, version = approved_minutes(None)[0]
            cache_key = version_pdf_key(version)

            def ours_single():
                get_storage().delete(cache_key)
                return version_pdf(version)

            html = minutes_html(version.content, version)
            bare(html, app.static_folder)  # warm-up: fontconfig and font loading happen once per process
            ours_s, pdf, bare_s, bare_pdf = interleaved(
                ours_single, lambda: bare(html, app.static_folder), args.repetitions
            )
            cached_s = statistics.median(_once(lambda: version_pdf(version))[0] for _ in range(args.repetitions))
            entries = approved_minutes(None)
            compiled_page = compiled_html(entries, title="Minutes 会议纪要")
            ours_c, compiled, bare_c, bare_compiled = interleaved(
                lambda: render_pdf(compiled_html(entries, title="Minutes 会议纪要")),
                lambda: bare(compiled_page, app.static_folder),
                args.repetitions,
            )
        print(f"median of {args.repetitions} runs, WeasyPrint {__import__('weasyprint').__version__}")
        print(
            f"single minutes PDF ({pages(pdf)} pages, bilingual): engage {ours_s:.3f} s, bare WeasyPrint "
            f"{bare_s:.3f} s ({pages(bare_pdf)} pages), overhead {100 * (ours_s / bare_s - 1):+.1f} %; "
            f"cached download {cached_s * 1000:.1f} ms"
        )
        print(
            f"9-workshop compilation ({pages(compiled)} pages): engage {ours_c:.3f} s, bare WeasyPrint "
            f"{bare_c:.3f} s ({pages(bare_compiled)} pages), overhead {100 * (ours_c / bare_c - 1):+.1f} %"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
