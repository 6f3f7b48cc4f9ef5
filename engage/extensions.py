"""Extensions, created unbound and initialised in create_app()."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class EngageApi(Api):
    """flask-smorest's Api with the error schema the API really answers."""

    from engage.apicontract import ErrorSchema as ERROR_SCHEMA


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
api = EngageApi()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    """Engage's own rate limits are all on writes (sign-in, sign-up, password reset): unless the installation
    sets an application-wide or default limit (RATELIMIT_APPLICATION, RATELIMIT_DEFAULT), a read skips the
    limiter's per-request work (~0.1 ms, a tenth of a small API call)."""
    config = current_app.config
    return (
        request.method in SAFE_METHODS
        and not config.get("RATELIMIT_APPLICATION")
        and not config.get("RATELIMIT_DEFAULT")
    )


def configure_sqlite(engine: sa.Engine, busy_timeout_ms: int) -> None:
    """WAL, busy timeout, foreign keys; write transactions take the write lock up front.

    pysqlite's own transaction handling begins lazily and in WAL mode a transaction that read
    first and writes later fails at once with SQLITE_BUSY when another writer committed in
    between. Beginning write transactions with BEGIN IMMEDIATE makes concurrent writers queue
    on the busy timeout instead, so capacity checks stay correct under load.
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A connection opened for one small write of a reading request (`engage_write`) always writes.
        deferred = not connection.get_execution_options().get("engage_write") and _begins_deferred()
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


_WRITING = "engage.writing"
_DEFERRED_USED = "engage.deferred_transaction_used"


def _begins_deferred() -> bool:
    """Only reading transactions begin deferred: those of GET/HEAD/OPTIONS requests (unless inside
    `write_transaction`) and the first transaction of a `checks_password_first` view. Everything else
    — the scheduler, the CLI, any later transaction of a login — takes the write lock up front."""
    if not has_request_context():
        return False
    state = request.environ
    if state.get(_WRITING):
        return False
    if request.method in SAFE_METHODS:
        return True
    if getattr(current_app.view_functions.get(request.endpoint), "begins_deferred", False):
        first = not state.get(_DEFERRED_USED)
        state[_DEFERRED_USED] = True
        return first
    return False


def commit_keeping_loaded() -> None:
    """Commit without expiring the session's objects, so dumping what was just written does not load it again.

    For a hot write path whose response is the rows it wrote (nothing else changes them in between that
    the response must show).
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def request_begins_deferred() -> bool:
    """Whether this request may be inside a deferred (reading) SQLite transaction: a read, or a view that
    checks a password first. Such a transaction must not write after it has read: a small write it needs
    (a session's last-seen time) goes through its own connection opened with
    `execution_options(engage_write=True)`."""
    return has_request_context() and (
        request.method in SAFE_METHODS
        or getattr(current_app.view_functions.get(request.endpoint), "begins_deferred", False)
    )


def checks_password_first(view):
    """Mark a view that verifies a password before it writes anything.

    On SQLite the request's first transaction begins deferred, so the deliberately slow password hash
    (~0.1 s) does not hold the database's write lock. The view must end that reading transaction
    (commit) before it writes; every later transaction of the request begins IMMEDIATE, so a write
    never has to upgrade a read lock (which fails at once, "database is locked", when another writer
    committed in between).
    """
    view.begins_deferred = True
    return view


@contextmanager
def write_transaction() -> Iterator[None]:
    """A write from a request that otherwise only reads (a GET that records a download, or writes a
    snapshot nobody has written yet): ends the reading transaction, runs the block in a transaction
    that on SQLite begins IMMEDIATE, and commits it (rolls back on an error)."""
    db.session.commit()
    request.environ[_WRITING] = True
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        request.environ.pop(_WRITING, None)
