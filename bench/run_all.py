"""Run every benchmark (non-interactively) and print one summary table with the load average.

    python bench/run_all.py                                          # SQLite
    python bench/run_all.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

With a URL, the database benchmarks run on SQLite and then on that PostgreSQL database (which
they empty and rebuild). `make bench BENCH_DATABASE_URL=…` does the same.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (script and its arguments, runs on PostgreSQL too)
BENCHES = [
    (["workshop_list.py"], True),
    # the same list without queueing for a worker: the latency of one request
    (["workshop_list.py", "--connections", "4", "--rounds", "3"], False),
    (["registrations.py"], True),
    (["outbox.py"], True),
    (["delphi_results.py"], True),
    (["delphi_feedback.py"], True),
    (["pdf_render.py"], False),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database the benchmarks may empty")
    args = parser.parse_args()
    results = Path(tempfile.mkstemp(prefix="engage-bench-", suffix=".jsonl")[1])
    env = {**os.environ, "BENCH_RESULTS": str(results)}
    failed = []
    for (script, *script_args), on_postgres in BENCHES:
        urls = [None] + ([args.database_url] if args.database_url and on_postgres else [])
        for url in urls:
            command = [sys.executable, str(HERE / script), *script_args] + (["--database-url", url] if url else [])
            print(f"\n$ {' '.join(command[1:])}", flush=True)
            if subprocess.run(command, cwd=HERE, env=env).returncode != 0:
                failed.append(f"{' '.join([script, *script_args])} {url or 'sqlite'}")
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    results.unlink()
    print("\nSummary (ratio: Engage against its peer, higher is better except where noted)")
    print("(calibration: CPU ms of a fixed Python loop at the time; absolute figures compare only at similar values)")
    print(f"{'path':38} {'db':10} {'ratio':>6}  {'goal met':8} {'loadavg':15} {'calib.':7} figures")
    for row in rows:
        print(
            f"{row['row']:38} {row['database']:10} {row['ratio']:6.2f}  {'yes' if row['met'] else 'NO':8} "
            f"{row['loadavg']:15} {row.get('calibration', ''):7} {row['summary']}"
        )
    if failed:
        print("failed to run: " + ", ".join(failed))
        sys.exit(1)


if __name__ == "__main__":
    main()
