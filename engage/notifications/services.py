"""The notification outbox: queue messages in the caller's transaction, read them, set preferences.

Rows are written in the same transaction as the change that causes them (the receivers below run
inside the service that sent the signal), so a rolled-back change never notifies and a committed one
always does. A row is queued with its kind and the facts of the event (`context`) and rendered later,
in the recipient's language and time zone, by the delivery job (jobs.py) or when it is first read
in-app: rendering is ~2 ms a message, and queueing happens under the workshop's row lock.
Workshop details come from the workshop as it is at rendering.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy.dialects import postgresql, sqlite

from engage.auth.models import ConsentPurpose, Invitation, User
from engage.auth.services import consortium_name, give_consent, withdraw_consent
from engage.auth.signals import consent_changed, email_change_requested, invitation_created, password_reset_requested
from engage.errors import NotFound, ValidationError
from engage.extensions import db
from engage.i18n import in_language, localized_text
from engage.links import external_url
from engage.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationState,
    WorkshopReminder,
    WorkshopReminderSchedule,
)
from engage.participation.models import Registration, RegistrationStatus
from engage.participation.services import waitlist_position
from engage.participation.signals import (
    registration_cancelled,
    registration_confirmed,
    registration_promoted,
    registration_waitlisted,
)
from engage.timeutil import format_moment, is_valid_zone, utcnow
from engage.workshops.models import Workshop
from engage.workshops.signals import workshop_cancelled, workshop_rescheduled

DEFAULT_REMINDER_MINUTES = (7 * 24 * 60, 24 * 60)
MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 90 * 24 * 60
_LISTED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.ATTENDED)


def format_for(user: User, moment: datetime) -> str:
    """A time in the recipient's zone and language, with the zone named."""
    zone = user.timezone if is_valid_zone(user.timezone) else "UTC"
    return format_moment(moment, zone, locale=user.locale or "en")


def _subject(kind: NotificationKind, workshop: Workshop | None, **context) -> str:
    if kind is NotificationKind.DELPHI_ROUND_REMINDER:
        return _(
            "Reminder: %(survey)s, round %(n)d closes soon", survey=context["survey_title"], n=context["round_number"]
        )
    if kind is NotificationKind.DELPHI_PANEL_ADDED:
        return _("You are on the panel of the Delphi survey “%(survey)s”", survey=context["survey_title"])
    if kind is NotificationKind.CONSULTATION_OPENED:
        return _("Consultation open for comments: %(title)s", title=context["consultation_title"])
    if kind is NotificationKind.CONSULTATION_REMINDER:
        return _("Reminder: consultation “%(title)s” closes soon", title=context["consultation_title"])
    # Only the kind's own subject is translated (building all seven was a tenth of a rendering).
    return _WORKSHOP_SUBJECTS[kind](localized_text(workshop, "title"))


_WORKSHOP_SUBJECTS = {
    NotificationKind.REGISTRATION_CONFIRMED: lambda title: _("Registration confirmed: %(title)s", title=title),
    NotificationKind.REGISTRATION_WAITLISTED: lambda title: _("On the waiting list: %(title)s", title=title),
    NotificationKind.REGISTRATION_PROMOTED: lambda title: _("A seat is yours: %(title)s", title=title),
    NotificationKind.REGISTRATION_CANCELLED: lambda title: _("Registration cancelled: %(title)s", title=title),
    NotificationKind.WORKSHOP_RESCHEDULED: lambda title: _("Workshop rescheduled: %(title)s", title=title),
    NotificationKind.WORKSHOP_CANCELLED: lambda title: _("Workshop cancelled: %(title)s", title=title),
    NotificationKind.WORKSHOP_REMINDER: lambda title: _("Reminder: %(title)s", title=title),
}


def _in_reader_language(context: dict) -> dict:
    """Bilingual values queued as `x` and `x_zh` (a consultation's title): `x` becomes the reader's wording."""
    return {
        key: localized_text(context, key) if f"{key}_zh" in context and isinstance(value, str) else value
        for key, value in context.items()
    }


def _html_from_text(text: str) -> str:
    """The HTML part carries the same words: paragraphs escaped, so user text cannot inject markup."""
    paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
    body = Markup("").join(
        Markup("<p>{}</p>\n").format(Markup("<br>\n").join(escape(line) for line in p.splitlines())) for p in paragraphs
    )
    before, after = _email_frame()
    return "".join((before, body, after))  # a plain join: Markup's + would escape the frame


_BODY_MARK = "\x00body\x00"


def _email_frame() -> tuple[str, str]:
    """The HTML around a message's words, rendered once per language in a request or job run: it depends
    on nothing else (the language and the consortium's name) and was half of a rendering."""
    frames = g.setdefault("email_frames", {})
    key = (str(get_locale()), consortium_name())
    if key not in frames:
        before, _mark, after = render_template("notifications/email.html", body=Markup(_BODY_MARK)).partition(
            _BODY_MARK
        )
        frames[key] = (before, after)
    return frames[key]


def enqueue(
    user: User,
    kind: NotificationKind,
    workshop: Workshop | None,
    *,
    dedupe_key: str,
    now: datetime,
    has_ics: bool = False,
    **context,
) -> bool:
    """Queue one message for one person, unless this event was queued already. True if queued.

    `workshop` is the workshop the message is about (its .ics can be attached), or None for other
    activities, whose template gets what it needs in `context` (plain values and datetimes).
    Nothing is rendered here (see `render`).
    """
    return _insert(
        {
            "user_id": user.id,
            "kind": kind,
            "dedupe_key": dedupe_key,
            "subject": "",
            "body_text": "",
            "body_html": "",
            "context": _encode(context),
            "workshop_id": workshop.id if workshop is not None else None,
            "has_ics": has_ics and workshop is not None,
            "state": NotificationState.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
    )


_DATETIME = "$datetime"


def _encode(context: dict) -> dict:
    return {k: {_DATETIME: v.isoformat()} if isinstance(v, datetime) else v for k, v in context.items()}


def _decode(context: dict) -> dict:
    return {
        k: datetime.fromisoformat(v[_DATETIME]) if isinstance(v, dict) and _DATETIME in v else v
        for k, v in context.items()
    }


def render(notification: Notification) -> Notification:
    """Fill in the subject and bodies of a queued message (a no-op once rendered)."""
    if notification.context is None:
        return notification
    user, workshop = notification.user, notification.workshop
    context = _decode(notification.context)
    if workshop is not None:
        context["workshop_url"] = external_url("participation.detail", workshop_id=workshop.id)
    with in_language(user.locale or "en"):
        context = _in_reader_language(context)
        text = render_template(
            f"notifications/{notification.kind.value}.txt",
            user=user,
            workshop=workshop,
            fmt=lambda m: format_for(user, m),
            **context,
        )
        subject, html = _subject(notification.kind, workshop, **context)[:300], _html_from_text(text)
    # Assigned together, after everything rendered: a failure leaves the row as it was.
    notification.subject, notification.body_text, notification.body_html = subject, text, html
    notification.context = None
    return notification


def render_all(notifications) -> list[Notification]:
    """Render the queued ones of a list of notifications, for reading in-app."""
    return [render(n) for n in notifications]


def _insert(values: dict) -> bool:
    # INSERT … ON CONFLICT DO NOTHING: a second queueing of the same event is a no-op, not an error.
    table = Notification.__table__
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(table)
    statement = insert.values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    return db.session.execute(statement.returning(table.c.id)).scalar() is not None


def _enqueue_to_address(
    address: str, kind: NotificationKind, *, locale: str, dedupe_key: str, subject, template: str, now, **context
) -> None:
    """A message to an address only (no account, or not the account's address yet): never shown in-app, and
    its body, which carries a secret link, is blanked once delivered."""
    with in_language(locale or "en"):
        text = render_template(template, **context)
        _insert(
            {
                "user_id": None,
                "recipient_email": address,
                "kind": kind,
                "dedupe_key": dedupe_key,
                "subject": str(subject())[:300],
                "body_text": text,
                "body_html": _html_from_text(text),
                "workshop_id": None,
                "has_ics": False,
                "state": NotificationState.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )


def _invitation_subject() -> str:
    name = consortium_name()
    if name:
        return _("You are invited to take part in %(consortium)s on Engage", consortium=name)[:300]
    return _("You are invited to take part in Engage")


@invitation_created.connect
def _on_invitation_created(invitation: Invitation, *, token: str, now: datetime, message="", **_kw) -> None:
    """E-mail the sign-up link (with the inviting feature's `message`, e.g. how a Delphi panel's answers are
    published), in the invitee's language when the inviter gave one, else the inviter's; times in the
    inviter's zone (named). A resent invitation has a new link, hence a new message."""
    inviter = invitation.created_by
    _enqueue_to_address(
        invitation.email,
        NotificationKind.INVITATION,
        locale=invitation.locale or (inviter.locale if inviter else None) or "en",
        dedupe_key=f"invitation:{invitation.id}:{invitation.token_hash[:16]}",
        subject=_invitation_subject,
        template="notifications/invitation.txt",
        now=now,
        invitation=invitation,
        inviter=inviter,
        message=message,
        signup_url=external_url("auth.signup", token=token),
        expires=format_for(inviter, invitation.expires_at) if inviter else invitation.expires_at.isoformat(),
    )


@password_reset_requested.connect
def _on_password_reset_requested(user: User, *, token: str, now: datetime, **_kw) -> None:
    _enqueue_to_address(
        user.email,
        NotificationKind.PASSWORD_RESET,
        locale=user.locale,
        dedupe_key=f"password-reset:{user.id}:{_stamp(now)}",
        subject=lambda: _("Reset your Engage password"),
        template="notifications/password_reset.txt",
        now=now,
        user=user,
        url=external_url("auth.reset_password", token=token),
        minutes=current_app.config["ENGAGE_PASSWORD_RESET_TTL_MINUTES"],
    )


@email_change_requested.connect
def _on_email_change_requested(user: User, *, token: str, new_email: str, now: datetime, **_kw) -> None:
    _enqueue_to_address(
        new_email,
        NotificationKind.EMAIL_CHANGE,
        locale=user.locale,
        dedupe_key=f"email-change:{user.id}:{_stamp(now)}",
        subject=lambda: _("Confirm your new e-mail address for Engage"),
        template="notifications/email_change.txt",
        now=now,
        user=user,
        url=external_url("auth.confirm_email", token=token),
        hours=current_app.config["ENGAGE_EMAIL_CHANGE_TTL_HOURS"],
    )


@consent_changed.connect
def _on_consent_changed(user: User, *, purpose: ConsentPurpose, given: bool, **_kw) -> None:
    # Withdrawing consent to reminder e-mails mutes reminders; giving it again turns them back on.
    if purpose is ConsentPurpose.REMINDER_EMAILS:
        _store_preference(user, reminders=given)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S%f")


# --- receivers: the events of lower features become messages -------------------------------------


@registration_confirmed.connect
def _on_confirmed(registration: Registration, *, now: datetime, **_kw) -> None:
    enqueue(
        registration.user,
        NotificationKind.REGISTRATION_CONFIRMED,
        registration.workshop,
        now=now,
        dedupe_key=f"confirmed:{registration.id}:{_stamp(registration.queued_at)}",
        has_ics=True,
    )


@registration_waitlisted.connect
def _on_waitlisted(registration: Registration, *, now: datetime, **_kw) -> None:
    # The place in line when it was taken (the service counted it under the workshop lock).
    position = getattr(registration, "waitlist_position", None) or waitlist_position(registration)
    enqueue(
        registration.user,
        NotificationKind.REGISTRATION_WAITLISTED,
        registration.workshop,
        now=now,
        dedupe_key=f"waitlisted:{registration.id}:{_stamp(registration.queued_at)}",
        position=position,
    )


@registration_promoted.connect
def _on_promoted(registration: Registration, *, now: datetime, **_kw) -> None:
    enqueue(
        registration.user,
        NotificationKind.REGISTRATION_PROMOTED,
        registration.workshop,
        now=now,
        dedupe_key=f"promoted:{registration.id}:{_stamp(registration.promoted_at)}",
        has_ics=True,
    )


@registration_cancelled.connect
def _on_cancelled(registration: Registration, *, now: datetime, **_kw) -> None:
    enqueue(
        registration.user,
        NotificationKind.REGISTRATION_CANCELLED,
        registration.workshop,
        now=now,
        dedupe_key=f"cancelled:{registration.id}:{_stamp(registration.cancelled_at)}",
    )


def _registered(workshop: Workshop) -> list[Registration]:
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status.in_(_LISTED))
        .options(sa.orm.selectinload(Registration.user))
        .order_by(Registration.id)
    ).all()


@workshop_rescheduled.connect
def _on_rescheduled(workshop: Workshop, **_kw) -> None:
    now = utcnow()
    for registration in _registered(workshop):
        enqueue(
            registration.user,
            NotificationKind.WORKSHOP_RESCHEDULED,
            workshop,
            now=now,
            has_ics=True,
            dedupe_key=f"rescheduled:{workshop.id}:{workshop.sequence}:{registration.user_id}",
        )


@workshop_cancelled.connect
def _on_workshop_cancelled(workshop: Workshop, **_kw) -> None:
    now = workshop.cancelled_at or utcnow()
    for registration in _registered(workshop):
        enqueue(
            registration.user,
            NotificationKind.WORKSHOP_CANCELLED,
            workshop,
            now=now,
            has_ics=True,
            dedupe_key=f"workshop-cancelled:{workshop.id}:{registration.user_id}",
        )


# --- in-app reading and preferences --------------------------------------------------------------


def notifications_query(user: User, *, unread_only: bool = False) -> sa.Select:
    stmt = sa.select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(notification: Notification, *, actor: User, now: datetime | None = None) -> Notification:
    """Mark one of your own notifications read; someone else's does not exist for you."""
    if notification.user_id != actor.id:
        raise NotFound(_("Notification not found."))
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.flush()
    return notification


def reminders_enabled(user: User) -> bool:
    preference = db.session.get(NotificationPreference, user.id)
    return preference is None or preference.has_reminders


def set_preferences(user: User, *, reminders: bool) -> NotificationPreference:
    """Reminders can be muted; transactional messages (confirmations, changes) always arrive.

    Reminders are e-mailed on the person's consent, so the choice is also recorded as that consent."""
    preference = _store_preference(user, reminders=reminders)
    (give_consent if reminders else withdraw_consent)(user, ConsentPurpose.REMINDER_EMAILS)
    return preference


def _store_preference(user: User, *, reminders: bool) -> NotificationPreference:
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.has_reminders = reminders
    db.session.flush()
    return preference


# --- per-workshop reminder schedule --------------------------------------------------------------


def reminder_minutes(workshop: Workshop) -> list[int]:
    """Minutes before the start at which reminders go out, largest first."""
    return reminder_minutes_of([workshop.id])[workshop.id]


def reminder_minutes_of(workshop_ids) -> dict[int, list[int]]:
    """Workshop id → its reminder minutes (largest first), for many workshops in two queries."""
    chosen = set(
        db.session.scalars(
            sa.select(WorkshopReminderSchedule.workshop_id).where(
                WorkshopReminderSchedule.workshop_id.in_(workshop_ids)
            )
        )
    )
    minutes = {i: ([] if i in chosen else list(DEFAULT_REMINDER_MINUTES)) for i in workshop_ids}
    if chosen:
        rows = db.session.execute(
            sa.select(WorkshopReminder.workshop_id, WorkshopReminder.minutes_before)
            .where(WorkshopReminder.workshop_id.in_(chosen))
            .order_by(WorkshopReminder.minutes_before.desc())
        )
        for workshop_id, value in rows:
            minutes[workshop_id].append(value)
    return minutes


def latest_due_reminder(moments: list[int], at: datetime, now: datetime) -> int | None:
    """Of the reminder moments (minutes before `at`), the latest that has passed by `now`, or None.

    Only that one counts: a scheduler that was down does not send the 3-day reminder on the eve.
    """
    due = [m for m in moments if at - timedelta(minutes=m) <= now]
    return min(due) if due else None


def wants_reminders(user_id) -> sa.ColumnElement[bool]:
    """SQL condition: the person has not muted reminders (no preference row means they want them)."""
    return ~sa.exists().where(
        NotificationPreference.user_id == user_id, NotificationPreference.has_reminders.is_(False)
    )


def checked_reminder_minutes(minutes: list[int], *, before: str) -> list[int]:
    """A chosen list of reminder moments, largest first, or a field error. `before` names the moment."""
    wanted = sorted(set(minutes), reverse=True)
    if len(wanted) > MAX_REMINDERS:
        raise ValidationError(
            _("Some fields are not valid."), errors={"minutes_before": [_("At most %(n)d reminders.", n=MAX_REMINDERS)]}
        )
    if any(not 1 <= m <= MAX_REMINDER_MINUTES for m in wanted):
        raise ValidationError(
            _("Some fields are not valid."),
            errors={
                "minutes_before": [
                    _(
                        "Each reminder is between 1 minute and %(n)d days before %(moment)s.",
                        n=MAX_REMINDER_MINUTES // 1440,
                        moment=before,
                    )
                ]
            },
        )
    return wanted


def stored_reminder_minutes(stored: str | None, default: tuple[int, ...]) -> list[int]:
    """Reminder moments kept on an activity as text ("4320,1440"); NULL means the default, "" none."""
    if stored is None:
        return list(default)
    return sorted((int(m) for m in stored.split(",") if m), reverse=True)
