"""APScheduler only triggers the scheduled jobs; what is due is data, and the jobs are idempotent.

One dedicated process runs it (`flask engage scheduler`); never each web worker.
"""

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from engage.extensions import db
from engage.timeutil import utcnow


def scheduled_jobs() -> list:
    """The `run_due_x(now)` jobs, in the order one tick runs them (queue reminders, freeze closed Delphi rounds,
    deliver, then exports)."""
    from engage.consultations.jobs import run_due_consultation_notices
    from engage.delphi.jobs import run_due_round_reminders, run_due_round_snapshots
    from engage.idempotency import run_due_idempotency_purge
    from engage.minutes.jobs import run_due_exports
    from engage.notifications.jobs import run_due_notifications, run_due_reminders

    return [
        run_due_reminders,
        run_due_round_reminders,
        run_due_round_snapshots,
        run_due_consultation_notices,
        run_due_notifications,
        run_due_exports,
        run_due_idempotency_purge,
    ]


def run_due_work(app: Flask) -> None:
    """One tick: each job in its own app context, so one failing job neither stops nor taints the next."""
    for job in scheduled_jobs():
        with app.app_context():
            try:
                job(utcnow())
            except Exception:
                db.session.rollback()
                app.logger.exception("scheduled job %s failed", job.__name__)
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
