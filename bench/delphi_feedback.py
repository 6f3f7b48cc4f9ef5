"""Benchmark: the round-2 rating page (with round 1's feedback) at 2,000 panellists × 300 items.

    python bench/delphi_feedback.py                                   # SQLite file in /tmp
    python bench/delphi_feedback.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/engage_bench

Builds the data of bench/delphi_results.py, opens round 2 (the app's test clock), and times, alternately
in the same run: the rating page and the feedback API as served now (round 1 read from its results
snapshot), against the peer — what each view did before the snapshot: recomputing round 1's results
(the GROUP BY and statistics) on every view. Prints medians, CPU per view, the ratio and /proc/loadavg.
Target: < 100 ms server time per page view.
"""

import argparse
import gc
import os
import statistics
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from delphi_results import T0, build, remove_sqlite_file, reset  # noqa: E402

from engage import create_app  # noqa: E402
from engage.auth.models import (
    ConsentPurpose,  # noqa: E402
    User,  # noqa: E402
)
from engage.auth.services import hash_password, issue_api_token, record_consent  # noqa: E402
from engage.delphi.models import DelphiRound, DelphiSurvey  # noqa: E402
from engage.delphi.services.results import compute_results  # noqa: E402
from engage.delphi.services.snapshot import write_round_snapshot  # noqa: E402
from engage.extensions import db  # noqa: E402

PASSWORD = "bench panellist password"


def timed(call) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def report(name: str, samples: list[tuple[float, float]]) -> float:
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    print(f"  {name:<48} median {wall * 1000:8.1f} ms   CPU {cpu * 1000:8.1f} ms")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/engage-delphi-feedback-bench.sqlite3")
    parser.add_argument("--panellists", type=int, default=2000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    remove_sqlite_file(args.database_url)
    round_two_open = T0 + timedelta(days=15)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SECRET_KEY": "bench",
            "TESTING": True,  # only for the test clock below: round 2 of the built data is open
            "ENGAGE_TEST_NOW": lambda: round_two_open,
            "WTF_CSRF_ENABLED": False,  # the bench signs in through the login form below
            "RATELIMIT_ENABLED": False,
        }
    )
    reset(app)
    with app.app_context():
        survey_id = build(args.panellists, args.items, rounds=2)
        first, second = (r.id for r in db.session.get(DelphiSurvey, survey_id).rounds)
        wall, _cpu = timed(lambda: (write_round_snapshot(db.session.get(DelphiRound, first)), db.session.commit()))
        print(f"{db.engine.dialect.name}: {args.panellists} panellists × {args.items} items × 2 rounds")
        print(f"  round 1 results snapshot, written once at close: {wall:.2f} s")
        panellist = db.session.get(User, 1)
        panellist.password_hash = hash_password(PASSWORD)
        record_consent(panellist, ConsentPurpose.PARTICIPATION)  # as sign-up records it
        _token, plain = issue_api_token(panellist)
        email = panellist.email
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302  # panellist 1

    def page():
        response = client.get(f"/delphi/rounds/{second}")
        assert response.status_code == 200, (response.status_code, response.headers.get("Location"))

    def feedback_api():
        response = client.get(f"/api/v1/delphi/rounds/{second}/feedback", headers={"Authorization": f"Bearer {plain}"})
        assert response.status_code == 200 and len(response.get_json()["items"]) == args.items

    def recompute_round_one():
        with app.app_context():
            compute_results(db.session.get(DelphiRound, first))
            db.session.remove()

    samples: dict[str, list] = {"page": [], "api": [], "peer": []}
    page()  # warm-up
    # As a gunicorn worker does once the application is loaded (gunicorn.conf.py): what is loaded by now
    # (here also the data set just built) stays out of the collector's full passes, which cost 40-250 ms.
    gc.collect()
    gc.freeze()
    for _ in range(args.repeat):
        samples["page"].append(timed(page))
        samples["api"].append(timed(feedback_api))
        samples["peer"].append(timed(recompute_round_one))
    page_wall = report("rating page of round 2 (reads the snapshot)", samples["page"])
    report("GET …/rounds/<id>/feedback (reads the snapshot)", samples["api"])
    peer_wall = report("peer: recomputing round 1 per view, as before", samples["peer"])
    print(f"  page / peer: {page_wall / peer_wall:.3f}×   (the peer is only the recomputation, without the page)")
    import common

    database = "postgresql" if args.database_url.startswith("postgresql") else "sqlite"
    common.report(
        "Delphi round-2 rating page (snapshot)",
        database,
        {"summary": f"{page_wall * 1000:.0f} ms median page, peer {peer_wall * 1000:.0f} ms recomputing"},
        peer_wall / page_wall,
        "< 100 ms server time",
        page_wall < 0.100,
    )


if __name__ == "__main__":
    main()
