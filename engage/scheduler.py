"""APScheduler only triggers the scheduled jobs; what is due is data, and the jobs are idempotent.

One dedicated process runs it (`flask engage scheduler`); never each web worker.
"""

import time

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from engage.extensions import db
from engage.operations.heartbeat import beat
from engage.operations.requestlog import log_job_run
from engage.timeutil import utcnow


def scheduled_jobs() -> list:
    """The `run_due_x(now)` jobs, in the order one tick runs them (queue reminders, freeze closed Delphi rounds,
    deliver, then exports and purges)."""
    from engage.consultations.jobs import run_due_consultation_notices
    from engage.delphi.jobs import run_due_round_reminders, run_due_round_snapshots
    from engage.idempotency import run_due_idempotency_purge
    from engage.minutes.jobs import run_due_exports
    from engage.notifications.jobs import run_due_notifications, run_due_reminders
    from engage.privacy.jobs import run_due_data_exports, run_retention

    return [
        run_due_reminders,
        run_due_round_reminders,
        run_due_round_snapshots,
        run_due_consultation_notices,
        run_due_notifications,
        run_due_exports,
        run_due_data_exports,
        run_retention,
        run_due_idempotency_purge,
    ]


_STARTED_AT = utcnow()


def run_due_work(app: Flask) -> None:
    """One tick: each job in its own app context, so one failing job neither stops nor taints the next.

    The heartbeat is written before and after the jobs (/readyz and /metrics read its age), and each job
    run is one JSON log line with its duration and result.
    """
    tick_started = time.perf_counter()
    _beat(app)
    for job in scheduled_jobs():
        with app.app_context():
            started = time.perf_counter()
            try:
                result = job(utcnow())
            except Exception as exc:
                db.session.rollback()
                app.logger.exception("scheduled job %s failed", job.__name__)
                log_job_run(job.__name__, seconds=time.perf_counter() - started, error=type(exc).__name__)
            else:
                log_job_run(job.__name__, seconds=time.perf_counter() - started, result=result)
            finally:
                db.session.remove()
    _beat(app, last_tick_seconds=time.perf_counter() - tick_started)


def _beat(app: Flask, last_tick_seconds: float | None = None) -> None:
    with app.app_context():
        try:
            beat(utcnow(), started_at=_STARTED_AT, last_tick_seconds=last_tick_seconds)
        except Exception:
            db.session.rollback()
            app.logger.exception("scheduler heartbeat failed")
        finally:
            db.session.remove()


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    scheduler = scheduler_class(timezone="UTC")
    scheduler.add_job(
        run_due_work,
        "interval",
        args=[app],
        id="engage-due-work",
        seconds=app.config["ENGAGE_SCHEDULER_INTERVAL_SECONDS"],
        # A tick that overruns is not run twice at once, and missed ticks collapse into one.
        max_instances=1,
        coalesce=True,
        next_run_time=utcnow(),
    )
    return scheduler
