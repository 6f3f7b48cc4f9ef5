from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import page_listing
from engage.errors import NotFound
from engage.extensions import db
from engage.notifications import services
from engage.notifications.models import Notification

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread_count():
    def unread_notifications() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": unread_notifications}


@bp.get("/notifications")
@login_required
def page():
    listing = page_listing(services.notifications_query(current_user), per_page=20)
    services.render_all(listing["items"])
    return render_template(
        "notifications/list.html", listing=listing, reminders=services.reminders_enabled(current_user)
    )


@bp.get("/notifications/<int:notification_id>")
@login_required
def detail(notification_id: int):
    """One notification in full; opening it marks it read, as in a mail reader."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(_("Notification not found."))
    services.render(services.mark_read(notification, actor=current_user))
    db.session.commit()
    return render_template("notifications/detail.html", notification=notification)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(_("Notification not found."))
    services.mark_read(notification, actor=current_user)
    db.session.commit()
    return redirect(url_for("notifications.page"))


@bp.post("/notifications/preferences")
@login_required
def preferences():
    services.set_preferences(current_user, reminders=request.form.get("reminders") == "1")
    db.session.commit()
    flash(_("Your notification preferences are saved."))
    return redirect(url_for("notifications.page"))
