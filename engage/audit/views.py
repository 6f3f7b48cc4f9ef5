from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from engage.apiutil import filter_args, page_listing
from engage.audit import services
from engage.audit.models import AuditAction
from engage.extensions import db

bp = Blueprint("audit", __name__)
PAGE_SIZE = 100
CSV_LIMIT = 50000


def _filters() -> dict:
    """Filters from the query string; a value that does not parse is ignored (the page shows everything)."""
    args = request.args

    def day(name: str, shift: int = 0):
        try:
            return datetime.combine(datetime.strptime(args.get(name, ""), "%Y-%m-%d").date(), time(), UTC) + timedelta(
                days=shift
            )
        except ValueError:
            return None

    def number(name: str):
        value = args.get(name, "")
        return int(value) if value.isdigit() and len(value) < 10 else None

    try:
        action = AuditAction(args.get("action", ""))
    except ValueError:
        action = None
    return {
        "action": action,
        "actor_id": number("actor_id"),
        "target_type": args.get("target_type", "")[:40] or None,
        "target_id": number("target_id"),
        "since": day("since"),
        "until": day("until", 1),
    }


@bp.get("/admin/audit")
@login_required
def index():
    services.require_coordinator(current_user)
    listing = page_listing(services.events_query(**_filters()), per_page=PAGE_SIZE)
    return render_template("audit/index.html", listing=listing, actions=list(AuditAction), filter_args=filter_args())


@bp.get("/admin/audit.csv")
@login_required
def csv():
    services.require_coordinator(current_user)
    events = db.session.scalars(services.events_query(**_filters()).limit(CSV_LIMIT)).all()
    return Response(
        services.events_csv(events),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-log.csv"},
    )
