"""Benchmark: full results of one Delphi round with 2,000 panellists × 300 items (× 2 rounds = 1.2 M ratings).

    python bench/delphi_results.py                                   # SQLite file in /tmp
    python bench/delphi_results.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

The database is emptied and rebuilt with the migrations. Rows are bulk-inserted with executemany
(COPY on PostgreSQL), never as ORM objects. Prints the build time, then, alternating rounds:
- round 1's full results (overall, region groups, categories and languages per item) by
  `engage.delphi.services.round_results`, against the raw-SQL peer: the same GROUP BY sent through the
  database driver and the same statistics (`engage.delphi.statistics.summarise`) per item and group,
  without the ORM, suppression or the result document. Goal: ≤ 1.5× the peer on both databases.
The round-2 rating page, which reads round 1's feedback, has its own benchmark (bench/delphi_feedback.py).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))

import sqlalchemy as sa  # noqa: E402
from common import loadavg, report  # noqa: E402
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
from engage.delphi.statistics import Rule, summarise  # noqa: E402
from engage.extensions import db  # noqa: E402
from engage.workshops.models import Pillar, WorkingGroup  # noqa: E402

# Both rounds in the past: round 1 closed (its results final), round 2 open for the rating page.
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=20)
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
                        # the language of the round's pages: Chinese for most panellists in China
                        "language": "zh" if profiles[u][0].startswith("CN") and u % 5 else "en",
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
        rule = Rule.of(survey.rule)

        def ours():
            db.session.expire_all()
            started = time.perf_counter()
            results = round_results(round_, require_closed=False)
            return time.perf_counter() - started, results

        def peer():
            started = time.perf_counter()
            raw_sql_statistics(round_.id, rule)
            return time.perf_counter() - started, None

        ours_times, peer_times = [], []
        for _ in range(args.repeat):
            elapsed, results = ours()
            ours_times.append(elapsed)
            peer_times.append(peer()[0])
        consensus = sum(item["overall"]["has_consensus"] for item in results["items"])
        ratio = statistics.median(ours_times) / statistics.median(peer_times)
        print(
            f"round 1 full results ({len(results['items'])} items, {consensus} with consensus): engage median "
            f"{statistics.median(ours_times):.3f} s, raw SQL {statistics.median(peer_times):.3f} s, "
            f"ratio {ratio:.2f} (goal ≤ 1.5) over {args.repeat} alternating runs; loadavg {loadavg()}"
        )
        # The first call freezes each closed round's figures in its results snapshot (done once, at close);
        # later calls read the snapshots.
        started = time.perf_counter()
        participation_by_round(survey)
        first = time.perf_counter() - started
        started = time.perf_counter()
        participation_by_round(survey)
        print(
            f"response rate and attrition for all rounds: {first:.3f} s writing the closed rounds' snapshots, "
            f"then {time.perf_counter() - started:.3f} s from them"
        )
    database = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    report(
        "Delphi round results",
        database,
        {"summary": f"engage {statistics.median(ours_times):.3f} s, raw SQL {statistics.median(peer_times):.3f} s"},
        ratio,
        "≤ 1.5× raw SQL",
        ratio <= 1.5,
    )


def raw_sql_statistics(round_id: int, rule: Rule) -> dict:
    """The peer: the same GROUP BY through the driver (ratings of submitted responses, by the groups stored on
    each response), then the same statistics per item for the whole panel and each region group, category and
    language."""
    sql = (
        "SELECT r.item_id, s.region_group, s.category, s.language, r.value, count(*) FROM delphi_ratings r "
        "JOIN delphi_responses s ON s.id = r.response_id "
        f"WHERE r.round_id = {int(round_id)} AND s.status = 'SUBMITTED' "
        "GROUP BY r.item_id, s.region_group, s.category, s.language, r.value"
    )
    cells = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for item_id, region, category, language, value, count in db.session.connection().exec_driver_sql(sql):
        for key in (("overall", ""), ("region", region), ("category", category), ("language", language)):
            cells[item_id][key][value] += count
    return {
        item_id: {
            key: summarise({v: c for v, c in cell.items() if v is not None}, cell.get(None, 0), rule)
            for key, cell in groups.items()
        }
        for item_id, groups in cells.items()
    }


if __name__ == "__main__":
    main()
