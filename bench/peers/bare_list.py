"""Bare Flask serving the same JSON as `GET /api/v1/workshops`: two plain SQL queries and a dict per row.

BENCH_DATABASE_URL=sqlite:////tmp/x.sqlite3 gunicorn bench.peers.bare_list:app
"""

import os
from collections import defaultdict
from zoneinfo import ZoneInfo

from flask import Flask, jsonify, request

from bench.peers.db import connect, placeholder, utc

app = Flask(__name__)
BASE = os.environ.get("ENGAGE_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
_connection = None


def _db():
    global _connection
    if _connection is None:
        _connection = connect()
    return _connection


@app.get("/api/v1/workshops")
def workshops():
    page, per_page = int(request.args.get("page", 1)), min(int(request.args.get("per_page", 20)), 100)
    connection = _db()
    p = placeholder(connection)
    rows = connection.execute(
        "SELECT w.id, w.uid, w.working_group_id, g.name, pl.number, w.title, w.description, w.round, w.starts_at,"
        " w.ends_at, w.timezone, w.venue, w.video_url, w.capacity, w.confirmed_count, w.registration_opens_at,"
        " w.registration_closes_at, w.status, w.sequence, g.name_zh, w.title_zh, w.description_zh"
        " FROM workshops w JOIN working_groups g"
        " ON g.id = w.working_group_id JOIN pillars pl ON pl.id = g.pillar_id"
        f" ORDER BY w.starts_at, w.id LIMIT {p} OFFSET {p}",
        (per_page, (page - 1) * per_page),
    ).fetchall()
    agendas = defaultdict(list)
    if rows:
        marks = ", ".join([p] * len(rows))
        for workshop_id, position, title, description, minutes, title_zh, description_zh in connection.execute(
            "SELECT workshop_id, position, title, description, duration_minutes, title_zh, description_zh"
            " FROM agenda_items"
            f" WHERE workshop_id IN ({marks}) ORDER BY workshop_id, position",
            [r[0] for r in rows],
        ):
            agendas[workshop_id].append(
                {
                    "position": position,
                    "title": title,
                    "title_zh": title_zh,
                    "description": description,
                    "description_zh": description_zh,
                    "duration_minutes": minutes,
                }
            )
    items = []
    for r in rows:
        starts, ends, zone = utc(r[8]), utc(r[9]), ZoneInfo(r[10])
        opens, closes = utc(r[15]), utc(r[16])
        items.append(
            {
                "id": r[0],
                "uid": r[1],
                "working_group_id": r[2],
                "working_group_name": r[3],
                "working_group_name_zh": r[19],
                "pillar_number": r[4],
                "title": r[5],
                "title_zh": r[20],
                "description": r[6],
                "description_zh": r[21],
                "round": r[7],
                "starts_at": starts.isoformat(),
                "ends_at": ends.isoformat(),
                "timezone": r[10],
                "starts_at_local": starts.astimezone(zone).isoformat(),
                "ends_at_local": ends.astimezone(zone).isoformat(),
                "venue": r[11],
                "has_video_link": bool(r[12]),
                "video_url": None,
                "capacity": r[13],
                "confirmed_count": r[14],
                "seats_left": max(r[13] - r[14], 0),
                "is_full": r[14] >= r[13],
                "registration_opens_at": opens and opens.isoformat(),
                "registration_closes_at": closes and closes.isoformat(),
                "status": r[17].lower(),
                "sequence": r[18],
                "agenda_items": agendas[r[0]],
                "ics_url": f"{BASE}/workshops/{r[0]}.ics",
            }
        )
    total = (
        len(items)
        if page == 1 and len(items) < per_page
        else connection.execute("SELECT count(*) FROM workshops").fetchone()[0]
    )
    return jsonify(
        {"items": items, "meta": {"page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}}
    )
