import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engage.auth.models import Role, User
from engage.auth.regions import RegionGroup
from engage.auth.services import authenticate
from engage.demo import DEMO_PASSWORD, seed_demo
from engage.timeutil import utcnow
from engage.workshops.models import Pillar, SubTopic, Theme, WorkingGroup, Workshop


def test_migrations_build_exactly_the_models_schema(db):
    """The test database was built by `flask db upgrade`; it must match the models."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_demo_seed_is_the_reference_consortium(db):
    assert seed_demo(utcnow()) is True
    db.session.commit()
    pillars = db.session.scalars(sa.select(Pillar).order_by(Pillar.number)).all()
    assert [p.name for p in pillars] == [
        "Shaping sustainable healthcare",
        "Innovation and market",
        "Research and clinical studies in PM",
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkingGroup)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme)) == 7
    # Table 1: 4+3+4 sub-topics in pillar I, 4+3 in II, 3+3 in III.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubTopic)) == 24
    privacy = db.session.scalar(sa.select(SubTopic).where(SubTopic.name == "Privacy, security, and trust"))
    assert (privacy.letter, privacy.theme.name, privacy.theme.working_group.pillar.number) == (
        "b",
        "Adopting Big Data and ICT solutions",
        2,
    )
    workshops = db.session.scalars(sa.select(Workshop)).all()
    assert len(workshops) == 9
    assert sorted((w.working_group.pillar.number, w.round) for w in workshops) == [
        (p, r) for p in (1, 2, 3) for r in (1, 2, 3)
    ]
    assert {w.timezone for w in workshops} == {"Europe/Rome", "Asia/Shanghai"}
    assert all(w.agenda_items and w.capacity > 0 and w.starts_at > utcnow() for w in workshops)

    users = db.session.scalars(sa.select(User)).all()
    assert sum(u.role is Role.COORDINATOR for u in users) == 1
    leads = [u for u in users if u.role is Role.LEAD]
    assert sorted(wg.pillar.number for lead in leads for wg in lead.led_working_groups) == [1, 2, 3]
    participants = [u for u in users if u.role is Role.PARTICIPANT]
    assert len(participants) == 12
    assert {u.region_group for u in participants} == {RegionGroup.EU, RegionGroup.CHINA}
    assert len({u.category for u in participants}) >= 7
    assert authenticate("coordinator@engage.example", DEMO_PASSWORD) is not None


def test_demo_seed_runs_once(db):
    assert seed_demo(utcnow()) is True
    assert seed_demo(utcnow()) is False


def test_seed_command_requires_demo_flag(app):
    result = app.test_cli_runner().invoke(args=["engage", "seed"])
    assert result.exit_code != 0
    assert "--demo" in result.output


def test_seed_command_prints_demo_accounts(app):
    result = app.test_cli_runner().invoke(args=["engage", "seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "coordinator@engage.example" in result.output and DEMO_PASSWORD in result.output
