"""Benchmark: 1,000 concurrent registrations for 100 seats, Engage against bare Flask doing the same SQL.

    python bench/registrations.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench
    python bench/registrations.py                                    # SQLite file in /tmp

Each round opens a fresh 100-seat workshop for each server and fires 1,000 POSTs of 1,000 different
people at once (asyncio, one connection each) at gunicorn -w 4 on loopback (--port, --port + 1).
The peer (bench/peers/bare_register.py) looks up the bearer token, locks the workshop row, runs the
same conditional UPDATE and inserts the registration. Reports registrations per second (1,000 over
the wall time from the first request sent to the last answer), the workers' CPU per registration,
and checks that exactly 100 seats are taken and every request got its 201 (0 overbooked).
Goal: ≥ 200 registrations/s on PostgreSQL, 0 overbooked.
"""

import argparse
import asyncio
import time
from datetime import timedelta

import sqlalchemy as sa
from common import (
    bench_app,
    database_name,
    free_port,
    interleave,
    loadavg,
    median,
    report,
    reset_database,
    servers,
    sqlite_url,
)

SEATS = 100


def build(app, people: int) -> list[str]:
    """People with one API token each; returns the plain tokens."""
    from engage.auth.models import ApiToken, ConsentPurpose, ConsentRecord, User, hash_token, new_token
    from engage.auth.services import CONSENT_TEXT_VERSION
    from engage.extensions import db
    from engage.timeutil import utcnow
    from engage.workshops.models import Pillar, WorkingGroup

    now = utcnow()
    tokens = [new_token("eng") for _ in range(people)]
    with app.app_context():
        db.session.add(WorkingGroup(pillar=Pillar(number=1, name="Pillar I"), name="WG1"))
        db.session.execute(
            sa.insert(User.__table__),
            [
                {
                    "email": f"p{i}@bench.example",
                    "password_hash": "x",
                    "display_name": f"Person {i}",
                    "role": "PARTICIPANT",
                    "organisation": "",
                    "region": "IT",
                    "category": "OTHER",
                    "locale": "en",
                    "timezone": "Europe/Rome",
                    "is_active_account": True,
                    "created_at": now,
                }
                for i in range(1, people + 1)
            ],
        )
        ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
        db.session.execute(
            sa.insert(ApiToken.__table__),
            [
                {
                    "user_id": u,
                    "token_hash": hash_token(t),
                    "name": "bench",
                    "created_at": now,
                    "expires_at": now + timedelta(days=30),
                }
                for u, t in zip(ids, tokens, strict=True)
            ],
        )
        # Each agreed to the current participation terms at sign-up (the API refuses anyone who has not).
        db.session.execute(
            sa.insert(ConsentRecord.__table__),
            [
                {"user_id": u, "purpose": ConsentPurpose.PARTICIPATION.name, "text_version": CONSENT_TEXT_VERSION,
                 "given_at": now}
                for u in ids
            ],
        )  # fmt: skip
        db.session.commit()
    return tokens


def new_workshop(app) -> int:
    from engage.extensions import db
    from engage.timeutil import utcnow
    from engage.workshops.models import Workshop

    with app.app_context():
        start = utcnow() + timedelta(days=30)
        workshop = Workshop(
            working_group_id=1,
            title="Bench workshop",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            timezone="Europe/Rome",
            venue="Rome",
            capacity=SEATS,
        )
        db.session.add(workshop)
        db.session.commit()
        return workshop.id


async def _post(port: int, path: str, token: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    return int(status_line.split()[1])


async def _fire(port: int, path: str, tokens: list[str]) -> list[int]:
    return await asyncio.gather(*(_post(port, path, t) for t in tokens))


def one_round(app, server, tokens) -> dict:
    from engage.extensions import db
    from engage.participation.models import Registration, RegistrationStatus
    from engage.workshops.models import Workshop

    workshop_id = new_workshop(app)
    before = server.worker_cpu()
    started = time.perf_counter()
    statuses = asyncio.run(_fire(server.port, f"/api/v1/workshops/{workshop_id}/registrations", tokens))
    wall = time.perf_counter() - started
    cpu = server.worker_cpu() - before
    with app.app_context():
        seats = db.session.get(Workshop, workshop_id).confirmed_count
        confirmed = db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.CONFIRMED
            )
        )
    return {
        "per_s": len(tokens) / wall,
        "cpu_ms": 1000 * cpu / len(tokens),
        "ok": sum(s == 201 for s in statuses),
        "overbooked": max(seats, confirmed) - SEATS,
        "seats": seats,
        "confirmed": confirmed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=28410)
    args = parser.parse_args()
    url = args.database_url or sqlite_url("registrations")
    app = bench_app(url)
    reset_database(app)
    tokens = build(app, args.people)
    env = {
        "ENGAGE_DATABASE_URL": url,
        "BENCH_DATABASE_URL": url,
        "ENGAGE_SECRET_KEY": "bench-" + "x" * 40,
        "ENGAGE_ENV": "production",
    }
    specs = [
        {
            "app_spec": "wsgi:app",
            "port": free_port(args.port),
            "workers": args.workers,
            "env": env,
            "health": "/api/v1/workshops",
        },
        {
            "app_spec": "bench.peers.bare_register:app",
            "port": free_port(args.port + 1),
            "workers": args.workers,
            "env": env,
            "health": "/",
        },
    ]
    print(
        f"registrations: {args.people} at once for {SEATS} seats, gunicorn -w {args.workers}, "
        f"{database_name(url)}, {args.rounds} rounds; loadavg {loadavg()}",
        flush=True,
    )
    with servers(*specs) as (engage, peer):
        one_round(app, engage, tokens[:50])  # warm-up: every worker imports, connects and renders once
        one_round(app, peer, tokens[:50])
        engage_runs, peer_runs = interleave(
            args.rounds, lambda: one_round(app, engage, tokens), lambda: one_round(app, peer, tokens)
        )
    for name, runs in (("engage", engage_runs), ("bare Flask", peer_runs)):
        for run in runs:
            print(
                f"  {name:10} {run['per_s']:7.1f} registrations/s  CPU {run['cpu_ms']:5.2f} ms each  "
                f"201s {run['ok']}  seats {run['seats']}  confirmed {run['confirmed']}"
            )
    ours, theirs = median(r["per_s"] for r in engage_runs), median(r["per_s"] for r in peer_runs)
    cpu, peer_cpu = median(r["cpu_ms"] for r in engage_runs), median(r["cpu_ms"] for r in peer_runs)
    overbooked = max(r["overbooked"] for r in engage_runs)
    failed = sum(len(tokens) - r["ok"] for r in engage_runs)
    figures = {
        "summary": f"engage {ours:.0f}/s CPU {cpu:.2f} ms each, overbooked {overbooked}, non-201 {failed}; "
        f"bare Flask {theirs:.0f}/s CPU {peer_cpu:.2f} ms each",
        "engage_per_s": round(ours, 1),
        "peer_per_s": round(theirs, 1),
        "engage_cpu_ms": round(cpu, 2),
        "peer_cpu_ms": round(peer_cpu, 2),
        "overbooked": overbooked,
    }
    met = ours >= 200 and overbooked == 0 and failed == 0
    report("1,000 concurrent registrations", database_name(url), figures, ours / theirs, "≥ 200/s, 0 overbooked", met)


if __name__ == "__main__":
    main()
