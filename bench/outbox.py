"""Benchmark: delivering 10,000 queued messages to a loopback SMTP server, Engage against plain SQL + smtplib;
then an idle scheduler tick with 10,000 people in the database.

    python bench/outbox.py                                           # SQLite file in /tmp
    python bench/outbox.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

10,000 people each hold a seat at one of 100 workshops, with their confirmation queued (as
registering queues it: unrendered, .ics attached). Engage's `run_due_notifications` renders each in
its recipient's language and zone, builds its .ics and sends it; the peer sends the same number of
pre-rendered messages from a plain table with smtplib, one connection, a commit per message. The
SMTP sink (bench/peers/smtp_sink.py, its own process) records every Message-ID, so each round checks
exactly-once delivery. Rounds alternate. Then the whole scheduler tick (every job of
`engage.scheduler.scheduled_jobs`) runs with nothing due, after the day-before reminders of all 100
workshops and a 10,000-person consultation's notices were queued and delivered: its CPU time is
the second figure. Goals: 10,000 messages in < 30 s exactly once; an idle tick < 50 ms CPU.
"""

import argparse
import gc
import os
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from common import (
    ROOT,
    bench_app,
    database_name,
    free_port,
    interleave,
    loadavg,
    median,
    report,
    reset_database,
    sqlite_url,
)

WORKSHOPS = 100


def _sql(text: str) -> sa.TextClause:
    """Raw SQL whose :t parameter is a UTC time, stored as the models store it on either database."""
    from engage.timeutil import UTCDateTime

    clause = sa.text(text)
    return clause.bindparams(sa.bindparam("t", type_=UTCDateTime())) if ":t" in text else clause


def build(app, people: int) -> None:
    from engage.extensions import db
    from engage.timeutil import utcnow
    from engage.workshops.models import Pillar, WorkingGroup, Workshop

    now = utcnow().replace(microsecond=0)
    with app.app_context():
        db.session.add(WorkingGroup(pillar=Pillar(number=1, name="Pillar I"), name="WG1"))
        db.session.flush()
        start = now + timedelta(hours=20)
        for n in range(WORKSHOPS):
            db.session.add(
                Workshop(
                    working_group_id=1,
                    title=f"Workshop {n}",
                    starts_at=start + timedelta(minutes=n),
                    ends_at=start + timedelta(hours=3),
                    timezone="Europe/Rome",
                    venue="Rome",
                    capacity=people // WORKSHOPS,
                    confirmed_count=people // WORKSHOPS,
                )
            )
        db.session.flush()
        conn = db.session.connection()
        conn.execute(
            _sql(
                "INSERT INTO users (email, password_hash, display_name, role, organisation, region, "
                "category, locale, timezone, is_active_account, created_at) VALUES (:e, 'x', :n, "
                "'PARTICIPANT', '', 'IT', 'OTHER', :l, :z, true, :t)"
            ),
            [
                {
                    "e": f"p{i}@bench.example",
                    "n": f"Person {i}",
                    "l": ("en", "zh")[i % 2],
                    "z": ("Europe/Rome", "Asia/Shanghai")[i % 2],
                    "t": now,
                }
                for i in range(people)
            ],
        )
        conn.execute(
            _sql(
                "INSERT INTO registrations (workshop_id, user_id, status, queued_at, created_at, "
                "confirmed_at) SELECT 1 + (id - 1) % :w, id, 'CONFIRMED', :t, :t, :t FROM users"
            ),
            {"w": WORKSHOPS, "t": now - timedelta(days=3)},
        )
        db.session.commit()


def queue(app) -> None:
    """The confirmations as registering queues them: one unrendered row each, .ics attached."""
    from engage.extensions import db

    with app.app_context():
        conn = db.session.connection()
        conn.execute(_sql("DELETE FROM notifications"))
        conn.execute(
            _sql(
                "INSERT INTO notifications (user_id, kind, dedupe_key, subject, body_text, body_html, context, "
                "workshop_id, has_ics, state, attempts, next_attempt_at, created_at) SELECT user_id, "
                "'REGISTRATION_CONFIRMED', 'bench:' || id, '', '', '', '{}', workshop_id, true, 'PENDING', 0, :t, :t "
                "FROM registrations"
            ),
            {"t": time_now()},
        )
        db.session.commit()


def time_now():
    from engage.timeutil import utcnow

    return utcnow()


def peer_table(app, people: int) -> None:
    from engage.extensions import db

    with app.app_context():
        conn = db.session.connection()
        conn.execute(_sql("DROP TABLE IF EXISTS bench_outbox"))
        conn.execute(
            _sql(
                "CREATE TABLE bench_outbox (id INTEGER PRIMARY KEY, address VARCHAR(254), subject "
                "VARCHAR(300), body TEXT, html TEXT, state VARCHAR(20), claim VARCHAR(32))"
            )
        )
        body = "Hello,\n\nYour registration is confirmed: you have a seat at this workshop.\n\n" * 3
        conn.execute(
            _sql(
                "INSERT INTO bench_outbox VALUES (:i, :a, 'Registration confirmed: Workshop', :b, :h, 'pending', NULL)"
            ),
            [{"i": i, "a": f"p{i}@bench.example", "b": body, "h": f"<p>{body}</p>"} for i in range(people)],
        )
        db.session.commit()


def peer_deliver(url: str, port: int) -> int:
    """Plain SQL + smtplib: claim 200 rows, send each over one connection, mark it sent in its own commit."""
    sys.path.insert(0, str(ROOT))
    from bench.peers.db import connect, placeholder

    connection = connect(url)
    p = placeholder(connection)
    smtp = smtplib.SMTP("127.0.0.1", port)
    sent = 0
    while True:
        connection.execute("BEGIN")
        rows = connection.execute(
            f"SELECT id, address, subject, body, html FROM bench_outbox WHERE state = 'pending' ORDER BY id LIMIT {p}",
            (200,),
        ).fetchall()
        connection.execute(
            f"UPDATE bench_outbox SET state = 'sending' WHERE id IN ({', '.join(str(r[0]) for r in rows) or 'NULL'})"
        )
        connection.execute("COMMIT")
        if not rows:
            break
        for row_id, address, subject, body, html in rows:
            message = EmailMessage()
            message["Subject"], message["From"], message["To"] = subject, "Engage <engage@localhost>", address
            message["Message-ID"] = f"<peer-{row_id}@bench>"
            message.set_content(body)
            message.add_alternative(html, subtype="html")
            smtp.send_message(message)
            connection.execute("BEGIN")
            connection.execute(f"UPDATE bench_outbox SET state = 'sent' WHERE id = {p}", (row_id,))
            connection.execute("COMMIT")
            sent += 1
    smtp.quit()
    connection.close()
    return sent


def received(path: str) -> tuple[int, int]:
    with open(path) as f:
        ids = f.read().split()
    return len(ids), len(set(ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=28420)
    args = parser.parse_args()
    url = args.database_url or sqlite_url("outbox")
    port = free_port(args.port)
    sink_file = f"/tmp/engage-bench-outbox-{os.getpid()}.ids"
    app = bench_app(url, ENGAGE_MAIL_SERVER="127.0.0.1", ENGAGE_MAIL_PORT=port)
    reset_database(app)
    build(app, args.messages)
    print(
        f"outbox: {args.messages:,} messages to a loopback SMTP server, {database_name(url)}, {args.rounds} rounds; "
        f"loadavg {loadavg()}",
        flush=True,
    )
    sink = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/peers/smtp_sink.py"), str(port), sink_file],
        stdout=subprocess.PIPE,
        text=True,
    )
    sink.stdout.readline()
    try:

        def engage_round():
            from engage.notifications.jobs import run_due_notifications

            queue(app)
            open(sink_file, "w").close()
            with app.app_context():
                started, cpu = time.perf_counter(), time.process_time()
                counts = run_due_notifications(time_now())
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            total, unique = received(sink_file)
            return {
                "wall": wall,
                "cpu_ms": 1000 * cpu / args.messages,
                "sent": counts["sent"],
                "received": total,
                "unique": unique,
            }

        def peer_round():
            peer_table(app, args.messages)
            open(sink_file, "w").close()
            started, cpu = time.perf_counter(), time.process_time()
            sent = peer_deliver(url, port)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            total, unique = received(sink_file)
            return {
                "wall": wall,
                "cpu_ms": 1000 * cpu / args.messages,
                "sent": sent,
                "received": total,
                "unique": unique,
            }

        engage_runs, peer_runs = interleave(args.rounds, engage_round, peer_round)
        idle = idle_tick(app)
    finally:
        sink.terminate()
        sink.wait()
        os.remove(sink_file)
    for name, runs in (("engage", engage_runs), ("plain SQL", peer_runs)):
        for r in runs:
            print(
                f"  {name:9} {r['wall']:6.1f} s  {args.messages / r['wall']:6.0f} messages/s  CPU {r['cpu_ms']:.2f} ms "
                f"each  received {r['received']} ({r['unique']} distinct)"
            )
    ours, theirs = median(r["wall"] for r in engage_runs), median(r["wall"] for r in peer_runs)
    exact = all(r["received"] == r["unique"] == args.messages for r in engage_runs)
    cpu = median(r["cpu_ms"] for r in engage_runs)
    figures = {
        "summary": f"engage {ours:.1f} s ({args.messages / ours:.0f}/s, CPU {cpu:.2f}"
        f" ms each, exactly once: {exact}); plain SQL + smtplib {theirs:.1f} s; idle tick {idle:.1f} ms CPU",
        "engage_s": round(ours, 2),
        "peer_s": round(theirs, 2),
        "exactly_once": exact,
        "idle_tick_cpu_ms": round(idle, 1),
    }
    met = ours < 30 and exact and idle < 50
    # Ratio as throughput, Engage / peer (1.0 = as fast as plain SQL + smtplib).
    report(
        "outbox 10,000 messages + idle tick",
        database_name(url),
        figures,
        theirs / ours,
        "< 30 s exactly once; idle tick < 50 ms CPU",
        met,
    )


def idle_tick(app, ticks: int = 5) -> float:
    """CPU ms of one whole scheduler tick with nothing due (median), after reminders and notices were handled."""
    from engage.consultations.models import Audience, Consultation
    from engage.extensions import db
    from engage.scheduler import scheduled_jobs

    now = time_now()
    with app.app_context():
        db.session.add(
            Consultation(
                title="National consultation",
                body="",
                body_html="",
                timezone="UTC",
                opens_at=now - timedelta(days=5),
                closes_at=now + timedelta(hours=20),
                audience=Audience.EVERYONE,
                created_at=now,
                updated_at=now,
            )
        )
        db.session.commit()
    for job in scheduled_jobs():  # the first tick queues the reminders and notices …
        with app.app_context():
            job(now)
            db.session.remove()
    with app.app_context():  # … which are delivered (marked here; delivery itself is measured above)
        db.session.execute(_sql("UPDATE notifications SET state = 'SENT', context = NULL"))
        db.session.commit()
    # As the scheduler process does after start-up (engage/cli.py): what is loaded stays out of full collections.
    gc.collect()
    gc.freeze()
    timings = []
    for _ in range(ticks):
        cpu = time.process_time()
        for job in scheduled_jobs():
            with app.app_context():
                job(now + timedelta(minutes=1))
                db.session.remove()
        timings.append(1000 * (time.process_time() - cpu))
    return median(timings)


if __name__ == "__main__":
    main()
