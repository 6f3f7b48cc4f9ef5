"""Bare Flask registering with plain SQL: the bearer token's hash looked up, the workshop row locked, the
same conditional UPDATE of its seat count, the registration row inserted, committed.

    BENCH_DATABASE_URL=postgresql+psycopg://… gunicorn -w 4 bench.peers.bare_register:app
"""

import hashlib
from datetime import UTC, datetime

from flask import Flask, jsonify, request

from bench.peers.db import connect, placeholder

app = Flask(__name__)
_connection = None


def _db():
    global _connection
    if _connection is None:
        _connection = connect()
    return _connection


@app.post("/api/v1/workshops/<int:workshop_id>/registrations")
def register(workshop_id):
    connection = _db()
    p = placeholder(connection)
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    user = connection.execute(
        f"SELECT user_id FROM api_tokens WHERE token_hash = {p}", (hashlib.sha256(token.encode()).hexdigest(),)
    ).fetchone()
    if user is None:
        return jsonify({"code": "unauthorized"}), 401
    now = datetime.now(UTC)
    sqlite = p == "?"
    connection.execute("BEGIN IMMEDIATE" if sqlite else "BEGIN")
    try:
        connection.execute(
            f"SELECT id FROM workshops WHERE id = {p}" + ("" if sqlite else " FOR UPDATE"), (workshop_id,)
        )
        seated = (
            connection.execute(
                "UPDATE workshops SET confirmed_count = confirmed_count + 1"
                f" WHERE id = {p} AND confirmed_count < capacity",
                (workshop_id,),
            ).rowcount
            == 1
        )
        status = "CONFIRMED" if seated else "WAITLISTED"
        stamp = now.replace(tzinfo=None).isoformat(" ") if sqlite else now
        connection.execute(
            "INSERT INTO registrations (workshop_id, user_id, status, queued_at, created_at, confirmed_at)"
            f" VALUES ({p}, {p}, {p}, {p}, {p}, {p})",
            (workshop_id, user[0], status, stamp, stamp, stamp if seated else None),
        )
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    return jsonify({"status": status.lower()}), 201
