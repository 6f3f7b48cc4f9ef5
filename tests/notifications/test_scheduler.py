"""APScheduler triggers the jobs; `flask engage scheduler --once` runs one tick."""

from apscheduler.schedulers.background import BackgroundScheduler

from engage.cli import engage_cli
from engage.participation.services import register
from engage.scheduler import build_scheduler, run_due_work


def test_one_tick_queues_and_delivers(app, db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    run_due_work(app)
    assert mail_server.wait_for(1)[0]["Subject"].startswith("Registration confirmed")


def test_cli_once_runs_the_jobs(app, db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    result = app.test_cli_runner().invoke(engage_cli, ["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert len(mail_server.wait_for(1)) == 1


def test_scheduler_triggers_one_job_at_the_configured_interval_never_overlapping(app):
    scheduler = build_scheduler(app, BackgroundScheduler)
    [job] = scheduler.get_jobs()
    assert job.trigger.interval.total_seconds() == app.config["ENGAGE_SCHEDULER_INTERVAL_SECONDS"] == 30
    assert job.max_instances == 1 and job.coalesce is True
    assert job.func is run_due_work and job.args == (app,)


def test_a_tick_started_by_apscheduler_delivers(app, db, mail_server, participant, create_workshop):
    register(create_workshop(), actor=participant)
    db.session.commit()
    db.session.rollback()
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    try:
        assert len(mail_server.wait_for(1)) == 1
    finally:
        scheduler.shutdown(wait=True)
