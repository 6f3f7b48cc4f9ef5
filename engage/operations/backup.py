"""Backups: `flask engage backup PATH` and `flask engage restore PATH`.

SQLite: SQLite's online backup API copies a consistent snapshot of the live database while the service
keeps writing (WAL readers do not block writers); the copy is checked (quick_check) and renamed into
place, so PATH is never half a backup. Restoring copies the backup into the configured database the same
way, as one replacement; stop the web servers and the scheduler first.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`, with the
connection taken from ENGAGE_DATABASE_URL (the password through PGPASSWORD, never on the command line).
"""

import os
import shutil
import sqlite3
import subprocess

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def _check_sqlite_copy(path: str) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged")
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
            raise BackupError(f"{path} is not an Engage database (no alembic_version table)")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    finally:
        connection.close()


def _sqlite_copy(source: str, target: str, busy_timeout_ms: int) -> None:
    source_db = sqlite3.connect(source, timeout=busy_timeout_ms / 1000)
    target_db = sqlite3.connect(target, timeout=busy_timeout_ms / 1000)
    try:
        # pages=-1: the whole database in one step, so the copy is one snapshot even while others write.
        source_db.backup(target_db, pages=-1)
    finally:
        target_db.close()
        source_db.close()


def backup(url: sa.URL, path: str, *, busy_timeout_ms: int = 30000) -> None:
    if url.get_backend_name() == "sqlite":
        temporary = f"{path}.partial"
        if os.path.exists(temporary):
            os.remove(temporary)
        _sqlite_copy(url.database, temporary, busy_timeout_ms)
        _check_sqlite_copy(temporary)
        os.replace(temporary, path)
    elif url.get_backend_name() == "postgresql":
        _run_pg(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"], url)
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")


def restore(url: sa.URL, path: str, *, busy_timeout_ms: int = 30000) -> None:
    if not os.path.isfile(path):
        raise BackupError(f"{path}: no such file")
    if url.get_backend_name() == "sqlite":
        _check_sqlite_copy(path)
        _sqlite_copy(path, url.database, busy_timeout_ms)
    elif url.get_backend_name() == "postgresql":
        _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", path], url)
    else:
        raise BackupError(f"no restore for {url.get_backend_name()} databases")


def _run_pg(command: list[str], url: sa.URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client of the server's version)")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    connection = [f"--dbname={url.database}"]
    for option, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value:
            connection.append(f"{option}={value}")
    result = subprocess.run([*command, *connection], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")
