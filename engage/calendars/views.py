import sqlalchemy as sa
from flask import Blueprint, Response, abort
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.auth.services import user_for_calendar_token
from engage.calendars.ics import build_calendar
from engage.extensions import db
from engage.i18n import in_language, localized_text
from engage.participation.models import Registration, RegistrationStatus
from engage.workshops.models import Workshop

bp = Blueprint("calendars", __name__)


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/workshops/<int:workshop_id>.ics")
def workshop_ics(workshop_id: int):
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    return _ics(build_calendar([workshop], name=localized_text(workshop, "title")), f"workshop-{workshop.id}.ics")


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """A person's private feed: every workshop they hold a seat for or wait for, cancelled ones included."""
    user = user_for_calendar_token(token) or abort(404)
    rows = db.session.execute(
        sa.select(Workshop, Registration.status)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Workshop.starts_at)
        .options(selectinload(Workshop.working_group))
    ).all()
    seated = frozenset(w.id for w, status in rows if status in _SEATED)
    # A calendar application fetches the feed without the person's cookie: it is in their account's language.
    with in_language(user.locale or "en"):
        calendar = build_calendar([w for w, _status in rows], name=_("Engage: my workshops"), video_link_for=seated)
    return _ics(calendar, "engage.ics")


_SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
