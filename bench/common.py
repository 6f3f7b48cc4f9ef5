"""Shared pieces of the benchmarks: servers on loopback, wrk, CPU accounting, alternating rounds, the summary.

Every benchmark runs Engage and its peer alternately in the same run (so load from other processes
hits both alike), takes the median of several rounds, and prints absolute figures, CPU time per
operation and the ratio, with /proc/loadavg beside them. Results are also appended as one JSON line
per row to $BENCH_RESULTS (if set), from which `bench/run_all.py` prints the summary table.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine_speed() -> str:
    """CPU milliseconds of a fixed pure-Python loop, best of three: absolute figures are only comparable
    between runs with a similar value (on 2026-12-04 the same loop took from 1x to 1.6x within an hour)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return f"{best * 1000:.0f} ms"


def sqlite_url(name: str) -> str:
    """A fresh SQLite file in /tmp for one benchmark (the old one and its WAL removed)."""
    path = f"/tmp/engage-bench-{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return f"sqlite:///{path}"


def reset_database(app) -> None:
    """Empty the database (PostgreSQL: the public schema) and build it with the migrations."""
    from flask_migrate import upgrade

    from engage.extensions import db

    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade()


def bench_app(database_url: str, **config):
    from engage import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-" + "x" * 40, **config})


def interleave(rounds: int, *runs):
    """Run each callable once per round, alternately; returns one list of results per callable."""
    results = [[] for _ in runs]
    for _ in range(rounds):
        for index, run in enumerate(runs):
            results[index].append(run())
    return results


def median(values):
    return statistics.median(values)


def cpu_seconds(pids) -> float:
    """User + system CPU time consumed so far by these processes (and their reaped children)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        # utime, stime, cutime, cstime are fields 14–17 of stat (index 11–14 after the command name).
        total += sum(int(x) for x in fields[11:15])
    return total / CLOCK_TICKS


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except FileNotFoundError:
        return []


def free_port(port: int) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use; pass another --port")
    return port


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Server:
    """A gunicorn on loopback, its workers' CPU time readable while it runs."""

    def __init__(self, app_spec: str, port: int, workers: int, env: dict, health: str = "/"):
        self.port = port
        # The servers' logs (Engage writes one JSON line per request, as in production) go to a file.
        self.log_path = f"/tmp/engage-bench-server-{port}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Several workers need shared rate-limit counters (gunicorn.conf.py refuses in-memory ones), as
            # in production: the machine's Redis, db 13 (BENCH_REDIS_URL to change it).
            env={
                **os.environ,
                "ENGAGE_RATELIMIT_STORAGE_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
                **env,
            },
        )
        try:
            wait_http(self.url(health))
        except OSError:
            self.stop()
            with open(self.log_path) as log:
                raise SystemExit(f"{app_spec} did not answer on port {port}; its log:\n{log.read()[-3000:]}") from None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_cpu(self) -> float:
        return cpu_seconds(children(self.process.pid))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@contextmanager
def servers(*specs):
    started = []
    try:
        for spec in specs:
            started.append(Server(**spec))
        yield started
    finally:
        for server in started:
            server.stop()


def require_wrk() -> str:
    """wrk is Debian's `wrk` package; installed with apt-get when missing (as root), else a clear stop."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        print("installing Debian's wrk package …", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install wrk")
    return found


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(server: Server, path: str, *, connections: int, duration: int, threads: int = 2, headers=()) -> dict:
    """Requests per second, p50/p99 latency (ms), non-2xx count and the server's CPU ms per request."""
    command = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    before = server.worker_cpu()
    output = subprocess.run([*command, server.url(path)], capture_output=True, text=True, check=True).stdout
    cpu = server.worker_cpu() - before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M))
    if "99" not in latency:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "cpu_ms": 1000 * cpu / max(requests, 1),
        "requests": requests,
    }


def report(row: str, database: str, figures: dict, ratio: float, goal: str, met: bool) -> None:
    """Print one result line and append it to $BENCH_RESULTS for the summary."""
    load, speed = loadavg(), machine_speed()
    print(
        f"  → {row} [{database}]: {figures['summary']}; ratio {ratio:.2f} (goal {goal}: "
        f"{'met' if met else 'NOT met'}); loadavg {load}; calibration loop {speed}",
        flush=True,
    )
    target = os.environ.get("BENCH_RESULTS")
    if target:
        with open(target, "a") as f:
            f.write(
                json.dumps(
                    {
                        "row": row,
                        "database": database,
                        "ratio": round(ratio, 3),
                        "goal": goal,
                        "met": met,
                        "loadavg": load,
                        "calibration": speed,
                        **figures,
                    }
                )
                + "\n"
            )


def database_name(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"
