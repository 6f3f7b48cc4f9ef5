"""Benchmark: full results of one Delphi round with 2,000 panellists × 300 items (× 2 rounds = 1.2 M ratings).

    python bench/delphi_results.py                                   # SQLite file in /tmp
    python bench/delphi_results.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

The database is emptied and rebuilt with the migrations. Rows are bulk-inserted with executemany
(COPY on PostgreSQL), never as ORM objects. Prints the build time and the results timings.
Target: under 2 s for one round's full results on PostgreSQL.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from engage import create_app  # noqa: E402
from engage.auth.models import StakeholderCategory, User  # noqa: E402
from engage.auth.regions import region_group  # noqa: E402
from engage.delphi.models import (  # noqa: E402
    ConsensusRule,
    DelphiItem,
    DelphiPanelMember,
    DelphiRating,
    DelphiResponse,
    DelphiRound,
    DelphiRoundItem,
    DelphiSurvey,
)
from engage.delphi.services import participation_by_round, round_results  # noqa: E402
from engage.extensions import db  # noqa: E402
from engage.workshops.models import Pillar, WorkingGroup  # noqa: E402

T0 = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
REGIONS = ["IT", "DE", "FR", "ES", "NL", "CN-BJ", "CN-SH", "CN-GD", "OTHER"]


def remove_sqlite_file(url: str) -> None:
    """Start a SQLite benchmark from an empty file (with its WAL and shared-memory files)."""
    if url.startswith("sqlite:////"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def reset(app) -> None:
    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade()


def insert(conn, model, rows) -> None:
    if rows:
        conn.execute(sa.insert(model.__table__), rows)


def copy_ratings(conn, rows) -> None:
    """COPY on PostgreSQL, executemany elsewhere."""
    if conn.dialect.name != "postgresql":
        insert(conn, DelphiRating, rows)
        return
    columns = (
        "round_id",
        "item_id",
        "panellist_id",
        "response_id",
        "value",
        "is_cannot_rate",
        "rationale",
        "updated_at",
    )
    raw = conn.connection.driver_connection
    with raw.cursor().copy(f"COPY delphi_ratings ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def build(panellists: int, items: int, rounds: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    categories = list(StakeholderCategory)
    profiles = {u: (rng.choice(REGIONS), rng.choice(categories)) for u in range(1, panellists + 1)}
    with db.engine.begin() as conn:
        pillar_id = conn.execute(
            sa.insert(Pillar.__table__).values(number=1, name="Pillar I").returning(Pillar.__table__.c.id)
        ).scalar_one()
        group_id = conn.execute(
            sa.insert(WorkingGroup.__table__)
            .values(pillar_id=pillar_id, name="WG1", description="")
            .returning(WorkingGroup.__table__.c.id)
        ).scalar_one()
        insert(
            conn,
            User,
            [
                {
                    "id": i,
                    "email": f"p{i}@bench.example",
                    "password_hash": "x",
                    "display_name": f"P{i}",
                    "role": "PARTICIPANT",
                    "organisation": "",
                    "region": profiles[i][0],
                    "category": profiles[i][1].name,
                    "locale": "en",
                    "timezone": "UTC",
                    "is_active_account": True,
                    "created_at": T0,
                }
                for i in range(1, panellists + 1)
            ],
        )
        survey_id = conn.execute(
            sa.insert(DelphiSurvey.__table__)
            .values(working_group_id=group_id, title="Bench", description="", created_at=T0)
            .returning(DelphiSurvey.__table__.c.id)
        ).scalar_one()
        insert(
            conn,
            ConsensusRule,
            [
                {
                    "survey_id": survey_id,
                    "scale_min": 1,
                    "scale_max": 5,
                    "scale_labels": ["1", "2", "3", "4", "5"],
                    "agreeing_values": [4, 5],
                    "threshold_percent": 70,
                    "disagreeing_values": [1, 2],
                    "min_valid_ratings": 1,
                    "rounds_planned": rounds,
                    "allows_cannot_rate": True,
                    "updated_at": T0,
                    "frozen_at": T0,
                }
            ],
        )
        insert(
            conn,
            DelphiItem,
            [
                {
                    "id": i,
                    "survey_id": survey_id,
                    "text": f"Item {i}",
                    "explanation": "",
                    "origin": "LITERATURE",
                    "created_at": T0,
                }
                for i in range(1, items + 1)
            ],
        )
        insert(
            conn,
            DelphiPanelMember,
            [{"survey_id": survey_id, "user_id": u, "added_at": T0} for u in range(1, panellists + 1)],
        )
        weights = {i: [rng.random() for _ in range(5)] for i in range(1, items + 1)}
        response_id = 0
        for number in range(1, rounds + 1):
            opens = T0 + timedelta(days=14 * (number - 1))
            round_id = conn.execute(
                sa.insert(DelphiRound.__table__)
                .values(
                    survey_id=survey_id,
                    number=number,
                    opens_at=opens,
                    closes_at=opens + timedelta(days=7),
                    created_at=T0,
                )
                .returning(DelphiRound.__table__.c.id)
            ).scalar_one()
            insert(
                conn,
                DelphiRoundItem,
                [
                    {
                        "round_id": round_id,
                        "item_id": i,
                        "position": i,
                        "text": f"Item {i}",
                        "explanation": "",
                        "change": "NEW" if number == 1 else "CARRIED",
                    }
                    for i in range(1, items + 1)
                ],
            )
            first_response = response_id + 1
            insert(
                conn,
                DelphiResponse,
                [
                    {
                        "id": first_response + u - 1,
                        "round_id": round_id,
                        "panellist_id": u,
                        "status": "SUBMITTED",
                        "created_at": opens,
                        "updated_at": opens,
                        "submitted_at": opens,
                        # the groups stored at submission, as the application does
                        "region_group": region_group(profiles[u][0]).name,
                        "category": profiles[u][1].name,
                    }
                    for u in range(1, panellists + 1)
                ],
            )
            response_id += panellists
            for start in range(1, panellists + 1, 200):
                rows = []
                for u in range(start, min(start + 200, panellists + 1)):
                    for i in range(1, items + 1):
                        cannot = rng.random() < 0.03
                        rows.append(
                            {
                                "round_id": round_id,
                                "item_id": i,
                                "panellist_id": u,
                                "response_id": first_response + u - 1,
                                "value": None if cannot else rng.choices(range(1, 6), weights[i])[0],
                                "is_cannot_rate": cannot,
                                "rationale": "",
                                "updated_at": opens,
                            }
                        )
                copy_ratings(conn, rows)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return survey_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/engage-delphi-bench.sqlite3")
    parser.add_argument("--panellists", type=int, default=2000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    remove_sqlite_file(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    reset(app)
    with app.app_context():
        started = time.perf_counter()
        survey_id = build(args.panellists, args.items, args.rounds)
        built = time.perf_counter() - started
        total = db.session.scalar(sa.select(sa.func.count()).select_from(DelphiRating))
        print(
            f"{db.engine.dialect.name}: built {total:,} ratings "
            f"({args.panellists} panellists × {args.items} items × {args.rounds} rounds) in {built:.1f} s"
        )
        survey = db.session.get(DelphiSurvey, survey_id)
        round_ = survey.rounds[0]
        timings = []
        for _ in range(args.repeat):
            db.session.expire_all()
            started = time.perf_counter()
            results = round_results(round_, require_closed=False)
            timings.append(time.perf_counter() - started)
        consensus = sum(item["overall"]["has_consensus"] for item in results["items"])
        print(
            f"round 1 full results (overall + 3 region groups + 9 categories, {len(results['items'])} items, "
            f"{consensus} with consensus): first {timings[0]:.3f} s, median {statistics.median(timings):.3f} s, "
            f"best {min(timings):.3f} s over {len(timings)} runs"
        )
        started = time.perf_counter()
        participation_by_round(survey)
        print(f"response rate and attrition for all rounds: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
