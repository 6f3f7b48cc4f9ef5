"""`flask engage …` commands."""

import gc

import click
from flask import Flask
from flask.cli import AppGroup

from engage.extensions import db
from engage.timeutil import utcnow

engage_cli = AppGroup("engage", help="Engage administration commands.")


@engage_cli.command("seed")
@click.option("--demo", is_flag=True, help="Load the IC2PerMed demo consortium with demo accounts.")
@click.option("--if-empty", is_flag=True, help="On a database that is not empty, say so and succeed (for make run).")
def seed(demo: bool, if_empty: bool) -> None:
    """Load data. Only --demo exists today; it is never run by a production start.

    The demo is loaded only into an empty database; otherwise it changes nothing and exits with status 1
    (0 with --if-empty).
    """
    import time

    from engage.demo import DEMO_PASSWORD, DemoRefused, demo_accounts, seed_demo

    if not demo:
        raise click.UsageError("Nothing to seed: pass --demo to load the demo consortium.")
    started = time.perf_counter()
    try:
        seed_demo(utcnow())
    except DemoRefused as refused:
        db.session.rollback()
        if if_empty:
            click.echo(f"Demo not loaded: {refused}")
            return
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Demo consortium loaded in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for role, email, name in demo_accounts():
        click.echo(f"  {role:<16} {email:<34} {name}")


@engage_cli.command("create-coordinator")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
def create_coordinator(email: str, name: str, password: str) -> None:
    """Create the first coordinator account of a production installation."""
    from engage.auth.models import ConsentPurpose, Role
    from engage.auth.services import create_user, record_consent
    from engage.errors import ValidationError

    try:
        user = create_user(email=email, password=password, display_name=name, role=Role.COORDINATOR)
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())) from exc
    record_consent(user, ConsentPurpose.PARTICIPATION)
    db.session.commit()
    click.echo(f"Coordinator {user.email} created.")


@engage_cli.command("scheduler")
@click.option("--once", is_flag=True, help="Run every due job once and exit (for cron or a check).")
def scheduler(once: bool) -> None:
    """Run the scheduled jobs (reminders, e-mail delivery, exports) every ENGAGE_SCHEDULER_INTERVAL_SECONDS.

    Run it as one dedicated process beside the web workers. A second one by mistake sends nothing twice.
    """
    from flask import current_app

    from engage.scheduler import build_scheduler, run_due_work

    app = current_app._get_current_object()
    if once:
        run_due_work(app)
        return
    click.echo(f"Scheduler running every {app.config['ENGAGE_SCHEDULER_INTERVAL_SECONDS']} s; Ctrl-C stops it.")
    # As in the web workers (gunicorn.conf.py): what is loaded by now lives as long as the process, and
    # keeping it out of the collector's full passes keeps exports and deliveries from pausing on them.
    gc.freeze()
    try:
        build_scheduler(app).start()
    except (KeyboardInterrupt, SystemExit):
        pass


@engage_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Back up the database to PATH while the service runs (SQLite: online backup API; PostgreSQL: pg_dump)."""
    from flask import current_app

    from engage.operations.backup import BackupError, backup

    try:
        backup(db.engine.url, path, busy_timeout_ms=current_app.config["ENGAGE_SQLITE_BUSY_TIMEOUT_MS"])
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {path}.")


@engage_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore_command(path: str, yes: bool) -> None:
    """Replace the database with the backup at PATH. Stop the web servers and the scheduler first."""
    from flask import current_app

    from engage.operations.backup import BackupError, restore

    if not yes:
        click.confirm(f"Replace everything in {db.engine.url.render_as_string()} with {path}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    try:
        restore(db.engine.url, path, busy_timeout_ms=current_app.config["ENGAGE_SQLITE_BUSY_TIMEOUT_MS"])
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {path}. Run `flask db upgrade` if the backup is from an older version.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(engage_cli)
