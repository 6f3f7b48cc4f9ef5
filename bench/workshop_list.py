"""Benchmark: `GET /api/v1/workshops?per_page=100` under wrk -c50, Engage against bare Flask serving the same JSON.

    python bench/workshop_list.py                                    # SQLite file in /tmp
    python bench/workshop_list.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

Both run under gunicorn with the same number of sync workers, on loopback ports (--port, --port + 1).
The peer (bench/peers/bare_list.py) reads the same rows with the database driver and builds the same
document; the run stops if the two JSON documents differ. Rounds alternate Engage and the peer.
Reports requests/s, p99 latency, server CPU per request (the workers' utime + stime over the run)
and Engage's throughput as a fraction of the peer's. Goal: ≥ 0.30×, p99 < 50 ms, ≤ 4 ms CPU/request.
With two sync workers, 50 connections queue: p99 is bounded by throughput (Little's law), for the peer too;
`--connections 4` shows the latency of requests that do not wait for a worker.
"""

import argparse
import json
import urllib.request
from datetime import timedelta

from common import (
    bench_app,
    database_name,
    free_port,
    interleave,
    loadavg,
    median,
    report,
    reset_database,
    run_wrk,
    servers,
    sqlite_url,
)

PATH = "/api/v1/workshops?per_page=100"


def build(app, workshops: int) -> None:
    from engage.extensions import db
    from engage.timeutil import utcnow
    from engage.workshops.models import AgendaItem, Pillar, WorkingGroup, Workshop

    with app.app_context():
        groups = [WorkingGroup(pillar=Pillar(number=n, name=f"Pillar {n}"), name=f"WG{n}") for n in (1, 2, 3)]
        db.session.add_all(groups)
        start = utcnow().replace(microsecond=0) + timedelta(days=3)
        for n in range(workshops):
            begins = start + timedelta(hours=6 * n)
            db.session.add(
                Workshop(
                    working_group=groups[n % 3],
                    title=f"Workshop {n}: data exchange across borders",
                    description="Shared standards, controlled access and consent. " * 4,
                    round=1 + n % 3,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=3),
                    timezone=("Europe/Rome", "Asia/Shanghai", "UTC")[n % 3],
                    venue="Rome",
                    video_url="https://meet.example/room" if n % 2 else "",
                    capacity=40,
                    confirmed_count=n % 41,
                    registration_closes_at=begins - timedelta(days=1) if n % 4 == 0 else None,
                    agenda_items=[
                        AgendaItem(position=i, title=f"Agenda item {i}", duration_minutes=30) for i in (1, 2, 3, 4)
                    ],
                )
            )
        db.session.commit()


def fetch(server) -> dict:
    with urllib.request.urlopen(server.url(PATH)) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workshops", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per round and server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=28400)
    args = parser.parse_args()
    url = args.database_url or sqlite_url("workshop-list")
    app = bench_app(url)
    reset_database(app)
    build(app, args.workshops)
    env = {"ENGAGE_DATABASE_URL": url, "BENCH_DATABASE_URL": url, "ENGAGE_SECRET_KEY": "bench-" + "x" * 40}
    specs = [
        {"app_spec": "wsgi:app", "port": free_port(args.port), "workers": args.workers, "env": env, "health": PATH},
        {
            "app_spec": "bench.peers.bare_list:app",
            "port": free_port(args.port + 1),
            "workers": args.workers,
            "env": env,
            "health": PATH,
        },
    ]
    print(
        f"workshop list: {args.workshops} workshops, {PATH}, wrk -c{args.connections} {args.duration}s × "
        f"{args.rounds} rounds, gunicorn -w {args.workers}, {database_name(url)}; loadavg {loadavg()}",
        flush=True,
    )
    with servers(*specs) as (engage, peer):
        ours, theirs = fetch(engage), fetch(peer)
        if ours != theirs:
            raise SystemExit("the peer's JSON differs from Engage's: the comparison would not be fair")
        for server in (engage, peer):  # warm-up: imports, caches, connections in every worker
            run_wrk(server, PATH, connections=args.connections, duration=2)
        engage_runs, peer_runs = interleave(
            args.rounds,
            lambda: run_wrk(engage, PATH, connections=args.connections, duration=args.duration),
            lambda: run_wrk(peer, PATH, connections=args.connections, duration=args.duration),
        )
    for name, runs in (("engage", engage_runs), ("bare Flask", peer_runs)):
        for run in runs:
            print(
                f"  {name:10} {run['rps']:8.1f} req/s  p50 {run['p50_ms']:6.1f} ms  p99 {run['p99_ms']:6.1f} ms  "
                f"CPU {run['cpu_ms']:5.2f} ms/req  non-2xx {run['errors']}"
            )
    engage_rps, peer_rps = median(r["rps"] for r in engage_runs), median(r["rps"] for r in peer_runs)
    p99, cpu = median(r["p99_ms"] for r in engage_runs), median(r["cpu_ms"] for r in engage_runs)
    peer_cpu, peer_p99 = median(r["cpu_ms"] for r in peer_runs), median(r["p99_ms"] for r in peer_runs)
    ratio = engage_rps / peer_rps
    errors = sum(r["errors"] for r in engage_runs + peer_runs)
    figures = {
        "summary": f"-c{args.connections}: engage {engage_rps:.0f} req/s p99 {p99:.1f} ms CPU {cpu:.2f} ms/req; "
        f"bare Flask {peer_rps:.0f} req/s p99 {peer_p99:.1f} ms CPU {peer_cpu:.2f} ms/req; non-2xx {errors}",
        "engage_rps": round(engage_rps, 1),
        "peer_rps": round(peer_rps, 1),
        "engage_p99_ms": round(p99, 1),
        "engage_cpu_ms": round(cpu, 2),
        "peer_cpu_ms": round(peer_cpu, 2),
        "peer_p99_ms": round(peer_p99, 1),
    }
    met = ratio >= 0.30 and p99 < 50 and cpu <= 4 and errors == 0
    goal = "≥ 0.30×, p99 < 50 ms, ≤ 4 ms CPU"
    report(f"workshop list API -c{args.connections}", database_name(url), figures, ratio, goal, met)


if __name__ == "__main__":
    main()
