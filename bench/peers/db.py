"""A plain DB-API connection from an SQLAlchemy URL (sqlite3 or psycopg), for the peers."""

import os
import sqlite3
from datetime import UTC, datetime


def connect(url: str | None = None):
    url = url or os.environ["BENCH_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        connection.execute("PRAGMA journal_mode = WAL")
        return connection
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def placeholder(connection) -> str:
    return "?" if isinstance(connection, sqlite3.Connection) else "%s"


def utc(value):
    """A timestamp column as an aware UTC datetime (SQLite keeps naive UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
