"""Shared fixtures: the app on SQLite (file) or PostgreSQL, a clean database per test, factories.

The database is ENGAGE_TEST_DATABASE_URL (PostgreSQL in CI's second run), else a SQLite file in
a temporary folder. The schema is built by running the Alembic migrations, as production does.
"""

import itertools
import os
from datetime import timedelta

import flask_babel
import pytest
import sqlalchemy as sa
from flask import g, request_started
from flask_migrate import upgrade

from engage import create_app
from engage.auth.models import ConsentPurpose, Role, StakeholderCategory, User
from engage.auth.services import hash_password, issue_api_token, record_consent
from engage.extensions import db as _db
from engage.timeutil import utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup, Workshop

PASSWORD = "correct horse battery"
# An S3-compatible server on loopback for the storage tests (s3_server, s3_storage); the suite-wide check
# that every API error the suite provokes is one the OpenAPI document describes.
pytest_plugins = ["tests.storage.s3_fixtures", "tests.api_contract"]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("ENGAGE_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "engage-test.sqlite3")


def _reset_schema(app):
    with app.app_context():
        engine = _db.engine
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "engage.test",
        }
    )
    _reset_schema(app)
    return app


@pytest.fixture(scope="session")
def empty_database(app):
    """Empty every table (schema kept; ids start again from 1). Call inside an app context."""

    def empty() -> None:
        _db.session.rollback()
        _db.session.remove()
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        with _db.engine.begin() as conn:
            if _db.engine.dialect.name == "postgresql":
                conn.exec_driver_sql("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
            else:
                for table in tables:
                    conn.exec_driver_sql(f"DELETE FROM {table}")

    return empty


@pytest.fixture(autouse=True)
def db(app, empty_database):
    """A clean database for every test (tables emptied, schema kept)."""
    with app.app_context():
        yield _db
        empty_database()


@pytest.fixture(autouse=True)
def fresh_request_state(app):
    """Each test request starts with no signed-in user and no locale or zone cached.

    The ``db`` fixture keeps one app context pushed for the whole test, so Flask reuses it (and its
    ``g``) for every test-client request: Flask-Login would otherwise keep the first request's user
    (a revoked token would still work) and Flask-Babel its locale and zone.
    """

    def reset(_sender, **_extra):
        g.pop("_login_user", None)
        g.pop("authenticated_by_token", None)
        g.pop("user_session", None)
        flask_babel.refresh()

    request_started.connect(reset, app)
    yield
    request_started.disconnect(reset, app)


@pytest.fixture
def assert_error():
    """Check a JSON error response follows the one contract {"code", "message", "errors"}."""

    def check(response, status: int, code: str | None = None) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        body = response.get_json()
        assert isinstance(body, dict), response.get_data(as_text=True)
        assert set(body) == {"code", "message", "errors", "request_id"}
        assert body["request_id"] == response.headers["X-Request-ID"]
        assert isinstance(body["code"], str) and body["code"]
        assert isinstance(body["message"], str) and body["message"]
        assert isinstance(body["errors"], dict)
        if code is not None:
            assert body["code"] == code
        return body

    return check


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)
_password_hash_cache: dict[str, str] = {}


@pytest.fixture
def create_user(db):
    def make(role: Role = Role.PARTICIPANT, *, leads=None, consent_named=False, **kw) -> User:
        n = next(_counter)
        if PASSWORD not in _password_hash_cache:
            _password_hash_cache[PASSWORD] = hash_password(PASSWORD)
        defaults = {
            "email": f"user{n}@example.org",
            "display_name": f"Person {n}",
            "region": "IT",
            "timezone": "Europe/Rome",
            "category": StakeholderCategory.ACADEMIA_RESEARCH,
            "organisation": f"Org {n}",
        }
        defaults.update(kw)
        user = User(role=role, password_hash=_password_hash_cache[PASSWORD], **defaults)
        if leads is not None:
            user.led_working_groups.append(leads)
        db.session.add(user)
        db.session.flush()
        record_consent(user, ConsentPurpose.PARTICIPATION)
        if consent_named:
            record_consent(user, ConsentPurpose.NAMED_IN_MINUTES)
        db.session.commit()
        return user

    return make


@pytest.fixture
def create_working_group(db):
    def make(number: int | None = None, name: str | None = None) -> WorkingGroup:
        number = number or next(_counter)
        group = WorkingGroup(pillar=Pillar(number=number, name=f"Pillar {number}"), name=name or f"WG{number}")
        theme = Theme(position=1, name="Adopting Big Data and ICT solutions")
        theme.sub_topics = [SubTopic(letter="a", name="Data exchange"), SubTopic(letter="b", name="Privacy")]
        group.themes.append(theme)
        db.session.add(group)
        db.session.commit()
        return group

    return make


@pytest.fixture
def create_workshop(db, create_working_group):
    def make(working_group: WorkingGroup | None = None, **kw) -> Workshop:
        starts = kw.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=10))
        values = {
            "title": "Workshop on data exchange",
            "round": 1,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "timezone": "Europe/Rome",
            "venue": "Rome",
            "capacity": 10,
        }
        values.update(kw)
        workshop = Workshop(working_group=working_group or create_working_group(), **values)
        db.session.add(workshop)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def seated_at_started_workshop(db, create_workshop, working_group):
    """A workshop of `working_group` that began an hour ago, and a person's seat taken the day before."""
    from engage.participation.services import register

    def make(user: User, **kw):
        starts = utcnow().replace(microsecond=0) - timedelta(hours=1)
        workshop = create_workshop(working_group, starts_at=starts, **kw)
        registration = register(workshop, actor=user, now=starts - timedelta(days=1))
        db.session.commit()
        return workshop, registration

    return make


@pytest.fixture
def coordinator(create_user):
    return create_user(Role.COORDINATOR, display_name="Cora Coordinator")


@pytest.fixture
def working_group(create_working_group):
    return create_working_group(number=1, name="WG1: Shaping sustainable healthcare")


@pytest.fixture
def lead(create_user, working_group):
    return create_user(Role.LEAD, leads=working_group, display_name="Lea Lead")


@pytest.fixture
def participant(create_user):
    return create_user(display_name="Pat Participant")


@pytest.fixture
def auth_headers(db):
    """Bearer-token headers for a user, issued through the real token service."""

    def make(user: User) -> dict:
        _token, plain = issue_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


@pytest.fixture
def login(app):
    """Sign a test client in through the real login form."""

    def do(client, user: User):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


@pytest.fixture
def count_queries(db):
    """Context manager counting SQL statements sent to the database."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def read_pdf():
    """A PDF read back as a person would check it: each page's text, and any text set outside the page.

    Returns a list of pages, each {"text": str, "outside": [text placed beyond the page box]}: a table
    running off the A4 page puts its last columns' text to the right of the page's width.
    """
    import io

    import pypdf

    def read(data: bytes) -> list[dict]:
        pages = []
        for page in pypdf.PdfReader(io.BytesIO(data)).pages:
            box = page.mediabox
            width, height = float(box.width), float(box.height)
            outside: list[str] = []

            def visit(text, cm, tm, _font, _size, outside=outside, width=width, height=height):
                if not text.strip():
                    return
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                if not (-1 <= x <= width - 1 and -1 <= y <= height + 1):
                    outside.append(text.strip())

            text = page.extract_text(visitor_text=visit)
            pages.append({"text": text, "outside": outside})
        return pages

    return read
