from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from engage.auth.models import Role
from engage.errors import DomainError
from engage.home import services
from engage.indicators.dashboard import dashboard as dashboard_tiles
from engage.indicators.services import status_counts
from engage.text import render_markdown
from engage.timeutil import utcnow

bp = Blueprint("home", __name__)

MAX_PREVIEW_LENGTH = 50_000


@bp.get("/")
def index():
    """Everyone's first page, by role: a landing page, a participant's next steps, a lead's group, the dashboard."""
    now = utcnow()
    if not current_user.is_authenticated:
        statuses = status_counts(today=now.date())
        return render_template("home/public.html", now=now, statuses=statuses, **services.public_home(now=now))
    if current_user.is_coordinator:
        return render_template("indicators/dashboard.html", **dashboard_tiles(actor=current_user, now=now))
    if current_user.role is Role.LEAD and current_user.led_working_groups:
        return render_template("home/lead.html", now=now, **services.lead_home(current_user, now=now))
    return render_template("home/participant.html", now=now, **services.participant_home(current_user, now=now))


@bp.post("/markdown/preview")
@login_required
def markdown_preview():
    """Markdown rendered through the same sanitiser as saved text: JSON for the page's script, else a page.

    The script sends `text`; without the script a form's "Preview" button posts the whole form here, naming
    the field in `preview_field`.
    """
    field = request.form.get("preview_field") or "text"
    text = request.form.get(field, "")
    if len(text) > MAX_PREVIEW_LENGTH:
        raise DomainError(
            _("The text is too long to preview."),
            errors={field: [_("At most %(n)d characters.", n=MAX_PREVIEW_LENGTH)]},
            status=422,
        )
    html = Markup(render_markdown(text))
    if request.accept_mimetypes.best == "application/json":
        return jsonify(html=str(html))
    return render_template("home/preview.html", html=html)
