from flask_babel import gettext as _

from engage.apiutil import Blueprint, get_or_404, paginate
from engage.auth.access import require_user
from engage.errors import NotFound
from engage.extensions import db
from engage.notifications import schemas, services
from engage.notifications.models import Notification
from engage.notifications.reminders import set_reminders, workshop_reminders
from engage.workshops.models import Workshop

blp = Blueprint("notifications_api", __name__, url_prefix="/api/v1", description="Notifications and reminders")


@blp.route("/notifications", methods=["GET"])
@blp.arguments(schemas.NotificationListArgs, location="query")
@blp.response(200, schemas.NotificationPageSchema)
def list_notifications(args):
    """Your notifications, newest first, with the number still unread."""
    user = require_user()
    page = paginate(services.notifications_query(user, unread_only=args["unread"]), args)
    services.render_all(page["items"])
    return {**page, "unread_count": services.unread_count(user)}


@blp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@blp.response(200, schemas.NotificationSchema)
def mark_read(notification_id):
    user = require_user()
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(_("Notification not found."))
    services.render(services.mark_read(notification, actor=user))
    db.session.commit()
    return notification


@blp.route("/me/notification-preferences", methods=["GET"])
@blp.response(200, schemas.PreferencesSchema)
def get_preferences():
    return {"reminders": services.reminders_enabled(require_user())}


@blp.route("/me/notification-preferences", methods=["PUT"])
@blp.arguments(schemas.PreferencesSchema)
@blp.response(200, schemas.PreferencesSchema)
def put_preferences(data):
    """Mute or unmute reminders. Registration confirmations and changes always arrive."""
    user = require_user()
    services.set_preferences(user, reminders=data["reminders"])
    db.session.commit()
    return {"reminders": services.reminders_enabled(user)}


@blp.route("/workshops/<int:workshop_id>/reminders", methods=["GET"])
@blp.response(200, schemas.ReminderScheduleSchema)
def get_reminders(workshop_id):
    require_user()
    return {"minutes_before": services.reminder_minutes(get_or_404(Workshop, workshop_id))}


@blp.route("/workshops/<int:workshop_id>/reminders", methods=["PUT"])
@blp.arguments(schemas.ReminderScheduleSchema)
@blp.response(200, schemas.ReminderScheduleSchema)
def put_reminders(data, workshop_id):
    """The lead sets when reminders go out (minutes before the start; [] for none)."""
    user = require_user()
    minutes = set_reminders(
        workshop_reminders(get_or_404(Workshop, workshop_id)), actor=user, minutes=data["minutes_before"]
    )
    db.session.commit()
    return {"minutes_before": minutes}
