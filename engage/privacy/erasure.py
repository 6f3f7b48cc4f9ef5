"""Erasing an account: the identity goes, what the consortium's results are made of stays.

Kept, under a stable pseudonym: Delphi responses and ratings (and the account's region and stakeholder
category, which the live group figures of open rounds read, so every aggregate and frozen result is
unchanged), registrations and attendance (they count in attendance numbers), comments (shown as "a former
participant", or removed when asked), consultation audiences and Delphi panels.
Gone: name, e-mail, organisation, password, calendar feed, sessions, API and account tokens, notification
messages (in-app and outbox, including those sent to the old address), preferences, "My data" files, lead
assignments, and the name in approved minutes (a correction version replaces the versions naming them).
"""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import AccountToken, ApiToken, ConsentRecord, Invitation, User, UserSession
from engage.auth.services import verify_password
from engage.errors import ValidationError
from engage.extensions import db
from engage.minutes.models import MinutesComment
from engage.minutes.services.redaction import remove_person_from_minutes
from engage.notifications.models import Notification, NotificationPreference
from engage.participation.models import Comment
from engage.privacy.models import DataExport
from engage.storage import get_storage
from engage.timeutil import utcnow

ERASED_DOMAIN = "erased.invalid"
UNUSABLE_PASSWORD = "!erased"  # not an argon2 hash: no password ever matches it


def _delete(model, *conditions) -> None:
    db.session.execute(sa.delete(model).where(*conditions).execution_options(synchronize_session=False))


def erase_account(user: User, *, password: str, remove_comments: bool = False, now: datetime | None = None) -> bool:
    """Erase the account after checking its password. Returns False when it was erased already (nothing
    changes a second time)."""
    now = now or utcnow()
    if user.is_erased:
        return False
    if not verify_password(user, password):
        raise ValidationError(
            _("Some fields are not valid."), errors={"password": [_("This is not your current password.")]}
        )
    old_name, old_email = user.display_name, user.email
    code = secrets.token_hex(4).upper()
    corrected = remove_person_from_minutes(old_name, now=now)

    _delete(Notification, sa.or_(Notification.user_id == user.id, Notification.recipient_email == old_email))
    _delete(NotificationPreference, NotificationPreference.user_id == user.id)
    for job in db.session.scalars(sa.select(DataExport).where(DataExport.user_id == user.id)):
        if job.storage_key:
            get_storage().delete(job.storage_key)
    _delete(DataExport, DataExport.user_id == user.id)
    _delete(UserSession, UserSession.user_id == user.id)
    _delete(ApiToken, ApiToken.user_id == user.id)
    _delete(AccountToken, AccountToken.user_id == user.id)
    erased_email = f"erased-{user.id}-{code.lower()}@{ERASED_DOMAIN}"
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.email == old_email)
        .values(email=erased_email, invitee_name="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(ConsentRecord)
        .where(ConsentRecord.user_id == user.id, ConsentRecord.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    if remove_comments:
        for model in (Comment, MinutesComment):
            db.session.execute(
                sa.update(model)
                .where(model.author_id == user.id)
                .values(body="", body_html="", removed_at=now)
                .execution_options(synchronize_session=False)
            )

    user.display_name = f"Former participant {code}"
    user.email = erased_email
    user.organisation = ""
    user.password_hash = UNUSABLE_PASSWORD
    user.calendar_token_hash = None
    user.is_active_account = False
    user.erased_at = now
    user.led_working_groups = []
    db.session.flush()
    db.session.expire(user, ["consents"])
    # Without identity: no actor, no address; the target is the pseudonymous account.
    audit(
        AuditAction.ACCOUNT_ERASED,
        actor=None,
        target_type="user",
        target_id=user.id,
        details={"comments_removed": remove_comments, "minutes_corrected": corrected},
        with_address=False,
        now=now,
    )
    return True
