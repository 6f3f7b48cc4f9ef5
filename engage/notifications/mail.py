"""Building and sending one notification e-mail over SMTP (smtplib)."""

import smtplib
from email.message import EmailMessage
from email.utils import format_datetime as rfc2822_date

from flask import current_app
from flask_babel import force_locale

from engage.calendars.ics import build_calendar
from engage.extensions import db
from engage.notifications.models import Notification
from engage.participation.models import Registration, RegistrationStatus

SMTP_TIMEOUT_SECONDS = 30


def mail_configured() -> bool:
    return bool(current_app.config.get("ENGAGE_MAIL_SERVER"))


def message_id(notification: Notification) -> str:
    """Derived from the notification id: a copy re-sent after a crash is recognisable as the same message."""
    return f"<notification-{notification.id}@{current_app.config['ENGAGE_ICAL_DOMAIN']}>"


def _ics(notification: Notification) -> bytes:
    workshop = notification.workshop
    seated = db.session.scalar(
        db.select(Registration.id).where(
            Registration.workshop_id == workshop.id,
            Registration.user_id == notification.user_id,
            Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)),
        )
    )
    with force_locale(notification.user.locale or "en"):
        return build_calendar(
            [workshop], name=workshop.title, video_link_for=frozenset({workshop.id}) if seated else frozenset()
        )


def build_message(notification: Notification) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = current_app.config["ENGAGE_MAIL_SENDER"]
    message["To"] = notification.address
    message["Message-ID"] = message_id(notification)
    message["Date"] = rfc2822_date(notification.created_at)
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html, subtype="html")
    if notification.has_ics and notification.workshop is not None:
        message.add_attachment(
            _ics(notification), maintype="text", subtype="calendar", filename=f"workshop-{notification.workshop.id}.ics"
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
