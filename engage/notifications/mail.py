"""Writing notification e-mails (MIME, RFC 5322/2045/2047) and sending them over SMTP (smtplib).

A message is written straight to the bytes that go over the wire: `email.message.EmailMessage`
parses back every header it is given and was most of the cost of a delivery (~3 ms of ~6 ms a
message). The structure is the one it produced: multipart/alternative (text, HTML), inside
multipart/mixed when the workshop's .ics is attached; non-ASCII header text as RFC 2047 encoded
words, non-ASCII or long-lined bodies in base64, so the message is 7-bit clean for any server.
"""

import base64
import secrets
import smtplib
from email.header import Header
from email.utils import format_datetime as rfc2822_date
from email.utils import formataddr, parseaddr
from functools import lru_cache
from typing import NamedTuple

from flask import current_app

from engage.calendars.ics import build_calendar
from engage.extensions import db
from engage.i18n import in_language, localized_text
from engage.notifications.models import Notification
from engage.participation.models import Registration, RegistrationStatus

SMTP_TIMEOUT_SECONDS = 30
# RFC 5322 §2.1.1: lines SHOULD be at most 78 characters; a text part with longer lines is base64.
MAX_LINE_LENGTH = 78
_SEATED = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
_CRLF = "\r\n"


def mail_configured() -> bool:
    return bool(current_app.config.get("ENGAGE_MAIL_SERVER"))


def message_id(notification: Notification) -> str:
    """Derived from the notification id: a copy re-sent after a crash is recognisable as the same message."""
    return f"<notification-{notification.id}@{current_app.config['ENGAGE_ICAL_DOMAIN']}>"


class OutgoingMessage(NamedTuple):
    """One e-mail as it goes over SMTP: the envelope and the message (CRLF line ends)."""

    sender: str
    recipient: str
    data: bytes
    # An address outside ASCII can only be sent to a server that offers SMTPUTF8 (RFC 6531).
    needs_smtputf8: bool = False


class CalendarCache:
    """The .ics attachments of one delivery run: who holds a seat is asked once per batch, and each
    (workshop version, language, with or without the video link) attachment is built and encoded once."""

    def __init__(self, notifications: list[Notification] = ()):
        self._seated: set[tuple[int, int]] = set()
        self._parts: dict[tuple, bytes] = {}
        self.load(notifications)

    def load(self, notifications: list[Notification]) -> None:
        """Ask, in one query, which of these recipients hold a seat at their message's workshop now."""
        pairs = {(n.workshop_id, n.user_id) for n in notifications if n.has_ics and n.workshop_id and n.user_id}
        if not pairs:
            return
        self._seated -= pairs
        self._seated.update(
            db.session.execute(
                db.select(Registration.workshop_id, Registration.user_id).where(
                    Registration.workshop_id.in_({w for w, _u in pairs}),
                    Registration.user_id.in_({u for _w, u in pairs}),
                    Registration.status.in_(_SEATED),
                )
            ).all()
        )

    def part(self, notification: Notification) -> bytes:
        """The attachment as a MIME body part (headers and base64 content)."""
        workshop = notification.workshop
        locale = notification.user.locale or "en"
        seated = (workshop.id, notification.user_id) in self._seated
        key = (workshop.id, workshop.updated_at, workshop.sequence, locale, seated)
        if key not in self._parts:
            with in_language(locale):
                ics = build_calendar(
                    [workshop],
                    name=localized_text(workshop, "title"),
                    video_link_for=frozenset({workshop.id}) if seated else frozenset(),
                )
            self._parts[key] = (
                b'Content-Type: text/calendar; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n'
                b'Content-Disposition: attachment; filename="workshop-%d.ics"\r\n\r\n' % workshop.id + _base64(ics)
            )
        return self._parts[key]


def build_message(notification: Notification, calendars: CalendarCache | None = None) -> OutgoingMessage:
    sender_header, sender = _sender(current_app.config["ENGAGE_MAIL_SENDER"])
    recipient = notification.address
    headers = [
        _header("Subject", notification.subject),
        f"From: {sender_header}",
        _address_header("To", recipient),
        f"Message-ID: {message_id(notification)}",
        f"Date: {rfc2822_date(notification.created_at)}",
        "MIME-Version: 1.0",
    ]
    body = _multipart("alternative", [_text("plain", notification.body_text), _text("html", notification.body_html)])
    if notification.has_ics and notification.workshop is not None:
        calendars = calendars or CalendarCache([notification])
        body = _multipart("mixed", [body, calendars.part(notification)])
    data = _CRLF.join(headers).encode() + b"\r\n" + body
    return OutgoingMessage(sender, recipient, data, needs_smtputf8=not (sender.isascii() and recipient.isascii()))


@lru_cache(maxsize=8)
def _sender(configured: str) -> tuple[str, str]:
    """The From header (a display name outside ASCII as an encoded word) and the envelope sender."""
    name, address = parseaddr(configured)
    return formataddr((name, address), charset="utf-8"), address


def _header(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"the {name} header may not contain a line break")
    if value.isascii() and "=?" not in value:
        if len(name) + 2 + len(value) <= MAX_LINE_LENGTH:
            return f"{name}: {value}"
        return f"{name}: {Header(value, header_name=name).encode(linesep=_CRLF)}"
    return f"{name}: {Header(value, 'utf-8', header_name=name).encode(linesep=_CRLF)}"


def _address_header(name: str, address: str) -> str:
    if "\r" in address or "\n" in address:
        raise ValueError(f"the {name} header may not contain a line break")
    # An internationalised address is written as it is: it travels only with SMTPUTF8.
    return f"{name}: {address}"


def _text(subtype: str, text: str) -> bytes:
    lines = text.encode().splitlines()
    if text.isascii() and all(len(line) <= MAX_LINE_LENGTH for line in lines):
        encoding, content = "7bit", b"\r\n".join(lines) + b"\r\n"
    else:
        encoding, content = "base64", _base64(b"\n".join(lines) + b"\n")
    return b'Content-Type: text/%s; charset="utf-8"\r\nContent-Transfer-Encoding: %s\r\n\r\n%s' % (
        subtype.encode(),
        encoding.encode(),
        content,
    )


def _base64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    """A multipart body part whose boundary occurs in none of its parts (RFC 2046 §5.1.1)."""
    while True:
        boundary = b"=_" + secrets.token_hex(12).encode()
        if not any(boundary in part for part in parts):
            break
    delimiter = b"\r\n--" + boundary + b"\r\n"
    return (
        b'Content-Type: multipart/%s; boundary="%s"\r\n\r\n--%s\r\n' % (subtype.encode(), boundary, boundary)
        + delimiter.join(parts)
        + b"\r\n--%s--\r\n" % boundary
    )


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

    def send(self, message: OutgoingMessage) -> None:
        if self._smtp is None:
            self._smtp = self._open()
        try:
            options = ()
            if message.needs_smtputf8:
                self._smtp.ehlo_or_helo_if_needed()
                if not self._smtp.has_extn("smtputf8"):
                    raise smtplib.SMTPNotSupportedError("the mail server does not accept internationalised addresses")
                options = ("SMTPUTF8", "BODY=8BITMIME")
            self._smtp.sendmail(message.sender, [message.recipient], message.data, mail_options=options)
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
