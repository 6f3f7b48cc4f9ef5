"""Building and sending one notification e-mail over SMTP (smtplib)."""

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date

from flask import current_app

from engage.calendars.ics import build_calendar
from engage.extensions import db
from engage.i18n import in_language, localized_text
from engage.notifications.models import Notification
from engage.participation.models import Registration, RegistrationStatus

SMTP_TIMEOUT_SECONDS = 30


def mail_configured() -> bool:
    return bool(current_app.config.get("ENGAGE_MAIL_SERVER"))


def message_id(notification: Notification) -> str:
    """Derived from the notification id: a copy re-sent after a crash is recognisable as the same message."""
    return f"<notification-{notification.id}@{current_app.config['ENGAGE_ICAL_DOMAIN']}>"


class CalendarCache:
    """The .ics attachments of one delivery batch: who holds a seat is asked once for the whole batch,
    and each (workshop, language, with or without the video link) calendar is built once."""

    def __init__(self, notifications: list[Notification]):
        pairs = {(n.workshop_id, n.user_id) for n in notifications if n.has_ics and n.workshop_id and n.user_id}
        workshops = {w for w, _u in pairs}
        self._seated = set()
        if pairs:
            self._seated = set(
                db.session.execute(
                    db.select(Registration.workshop_id, Registration.user_id).where(
                        Registration.workshop_id.in_(workshops),
                        Registration.user_id.in_({u for _w, u in pairs}),
                        Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)),
                    )
                ).all()
            )
        self._built: dict[tuple, bytes] = {}

    def calendar(self, notification: Notification) -> bytes:
        workshop = notification.workshop
        locale = notification.user.locale or "en"
        seated = (workshop.id, notification.user_id) in self._seated
        key = (workshop.id, locale, seated)
        if key not in self._built:
            with in_language(locale):
                self._built[key] = build_calendar(
                    [workshop],
                    name=localized_text(workshop, "title"),
                    video_link_for=frozenset({workshop.id}) if seated else frozenset(),
                )
        return self._built[key]


def build_message(notification: Notification, calendars: CalendarCache | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = current_app.config["ENGAGE_MAIL_SENDER"]
    message["To"] = notification.address
    message["Message-ID"] = message_id(notification)
    message["Date"] = rfc2822_date(notification.created_at)
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html, subtype="html")
    if notification.has_ics and notification.workshop is not None:
        calendars = calendars or CalendarCache([notification])
        message.add_attachment(
            calendars.calendar(notification),
            maintype="text",
            subtype="calendar",
            filename=f"workshop-{notification.workshop.id}.ics",
        )
    return message


class MailConnection:
    """One SMTP session for a batch, opened on first use and re-opened after a failure."""

    def __init__(self):
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        config = current_app.config
        smtp = smtplib.SMTP(config["ENGAGE_MAIL_SERVER"], config["ENGAGE_MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if config["ENGAGE_MAIL_USE_TLS"]:
                smtp.starttls()
            if config["ENGAGE_MAIL_USERNAME"]:
                smtp.login(config["ENGAGE_MAIL_USERNAME"], config["ENGAGE_MAIL_PASSWORD"])
        except Exception:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._open()
        try:
            self._smtp.send_message(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None
