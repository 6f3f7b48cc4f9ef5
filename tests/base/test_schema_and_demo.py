import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engage.demo import DEMO_PASSWORD, DemoRefused, seed_demo
from engage.timeutil import utcnow


def test_migrations_build_exactly_the_models_schema(db):
    """The test database was built by `flask db upgrade`; it must match the models."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_seed_command_requires_demo_flag(app):
    result = app.test_cli_runner().invoke(args=["engage", "seed"])
    assert result.exit_code != 0
    assert "--demo" in result.output


def test_demo_is_refused_on_a_database_with_any_account(db, create_user):
    create_user()
    with pytest.raises(DemoRefused, match=r"\(0 pillars, 1 accounts\)"):
        seed_demo(utcnow())


def _dump(db) -> dict:
    """Every row of every table, but for what is random by design or stamped with the moment of writing."""
    random_or_write_time = {
        "users": {"password_hash"},  # argon2 salts each hash
        "workshops": {"uid", "updated_at"},  # calendar UIDs are random; updated_at is the write time
        "site_settings": {"updated_at"},
    }
    dump = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in random_or_write_time.get(table.name, set())]
        order = list(table.primary_key.columns) or columns
        dump[table.name] = [tuple(row) for row in db.session.execute(sa.select(*columns).order_by(*order))]
    return dump


def test_the_demo_is_the_same_for_the_same_run_date(app, db, empty_database):
    result = app.test_cli_runner().invoke(args=["engage", "seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Demo consortium loaded" in result.output and DEMO_PASSWORD in result.output
    assert "coordinator@engage.example" in result.output
    first = _dump(db)
    assert len(first["priorities"]) == 65 and len(first["delphi_ratings"]) > 5000
    empty_database()
    seed_demo(utcnow())
    db.session.commit()
    second = _dump(db)
    assert {name: rows for name, rows in second.items() if rows != first[name]} == {}
