"""`flask engage backup` copies a live SQLite database under writes; `restore` brings back every row."""

import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from flask_migrate import upgrade


def _flask(database, *args: str) -> subprocess.CompletedProcess:
    """The operator's command, in its own process (a CLI runner here would reuse the suite's app context)."""
    env = {**os.environ, "ENGAGE_DATABASE_URL": f"sqlite:///{database}", "ENGAGE_LOG_FORMAT": "text"}
    env.pop("ENGAGE_TEST_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "engage", "engage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _keys(path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT key FROM stored_files ORDER BY id")]
    finally:
        connection.close()


class Writer(threading.Thread):
    """Commits one row at a time into the live database until told to stop; remembers what committed."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.committed, self.stop, self.error = path, [], threading.Event(), None
        self.reached: dict[int, threading.Event] = {50: threading.Event(), 150: threading.Event()}

    def run(self):
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            n = 0
            while not self.stop.is_set():
                key = f"rows/{n:06d}"
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(
                    "INSERT INTO stored_files (key, content_type, size, created_at) VALUES (?, 'text/plain', ?, ?)",
                    (key, n, "2026-01-01 00:00:00"),
                )
                connection.execute("COMMIT")
                self.committed.append(key)
                n += 1
                for threshold, event in self.reached.items():
                    if n >= threshold:
                        event.set()
        except Exception as exc:  # surfaced by the test
            self.error = exc
            for event in self.reached.values():
                event.set()
        finally:
            connection.close()


def test_backup_of_a_live_database_under_writes_restores_every_committed_row(tmp_path, other_app):
    live, copy, restored = tmp_path / "live.sqlite3", tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3"
    app = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{live}")
    with app.app_context():
        upgrade()
    writer = Writer(str(live))
    writer.start()
    try:
        assert writer.reached[50].wait(60) and writer.error is None
        committed_before = list(writer.committed)
        result = _flask(live, "backup", str(copy))
        committed_after = list(writer.committed)
        assert result.returncode == 0, result.stderr
        assert writer.reached[150].wait(60)  # the service kept writing all along
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None

    in_backup = _keys(copy)
    # A consistent snapshot: every row committed before the backup began, and then a prefix of later ones.
    assert in_backup[: len(committed_before)] == committed_before
    assert in_backup == committed_after[: len(in_backup)]
    assert len(writer.committed) > len(in_backup)

    result = _flask(restored, "restore", str(copy), "--yes")
    assert result.returncode == 0, result.stderr
    assert _keys(restored) == in_backup
    check = sqlite3.connect(restored)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (revision,) = check.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        check.close()
    with sqlite3.connect(live) as original:
        assert original.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision


@pytest.mark.parametrize("content", [b"", b"not a database at all, just text" * 100])
def test_restore_refuses_a_file_that_is_not_an_engage_backup(tmp_path, other_app, content):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(content)
    app = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.sqlite3'}")
    with app.app_context():
        upgrade()
    result = _flask(tmp_path / "target.sqlite3", "restore", str(bogus), "--yes")
    assert result.returncode != 0 and ("not a SQLite database" in result.stderr or "not an Engage" in result.stderr)
    assert _keys(tmp_path / "target.sqlite3") == []  # the database is untouched
