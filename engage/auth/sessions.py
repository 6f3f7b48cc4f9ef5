"""Server-side sessions: every signed-in browser is a row, so signing out ends every copy of its cookie.

The session cookie and the remember cookie both carry the same secret (Flask-Login stores what
`User.get_id()` answers, and ours answers the session's secret); the database keeps its SHA-256.
Rows live in the database, so any web host can check and end them.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from engage.auth.models import ApiToken, User, UserSession, hash_token, new_token
from engage.extensions import db
from engage.timeutil import utcnow

# `last_seen_at` is written at most this often per session: a write on every page view would turn
# each GET into a write transaction (and on SQLite, queue every reader behind the write lock).
TOUCH_INTERVAL = timedelta(minutes=5)


def idle_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["ENGAGE_SESSION_IDLE_HOURS"])


def remember_lifetime() -> timedelta:
    return timedelta(days=current_app.config["ENGAGE_REMEMBER_DAYS"])


def start_session(
    user: User, *, remember: bool, ip_address: str = "", user_agent: str = "", now: datetime | None = None
) -> tuple[UserSession, str]:
    """A new session for a successful sign-in; the plain secret is returned once, for the cookie."""
    now = now or utcnow()
    plain = new_token("ses")
    # The id from the identity, and the user row written with a statement: the transaction's first statement
    # is a write, so after a password check (a deferred transaction on SQLite) it waits for the write lock
    # instead of failing at once as a read-then-write transaction would.
    user_id = sa.inspect(user).identity[0]
    row = UserSession(
        token_hash=hash_token(plain),
        user_id=user_id,
        is_remembered=remember,
        created_at=now,
        last_seen_at=now,
        expires_at=now + (remember_lifetime() if remember else idle_lifetime()),
        ip_address=(ip_address or "")[:45],
        user_agent=(user_agent or "")[:300],
    )
    db.session.add(row)
    db.session.flush()
    db.session.execute(
        sa.update(User).where(User.id == user_id).values(last_login_at=now).execution_options(synchronize_session=False)
    )
    return row, plain


def find_session(plain: str, *, now: datetime | None = None) -> UserSession | None:
    """The usable session with this secret whose account is still active, or None."""
    row = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == hash_token(plain)))
    if row is None or not row.is_usable(now or utcnow()) or not row.user.is_active:
        return None
    return row


def touch_values(row: UserSession, now: datetime) -> dict | None:
    """What to write to record activity on this session, or None while the last write is recent."""
    if now - row.last_seen_at < TOUCH_INTERVAL:
        return None
    values = {"last_seen_at": now}
    if not row.is_remembered:
        values["expires_at"] = now + idle_lifetime()
    return values


def touch_statement(row: UserSession, values: dict, now: datetime) -> sa.Update:
    # Conditional, so several hosts seeing the same session at once write it once.
    return (
        sa.update(UserSession)
        .where(UserSession.id == row.id, UserSession.last_seen_at <= now - TOUCH_INTERVAL)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def end_session(row: UserSession, *, now: datetime | None = None) -> None:
    row.revoked_at = row.revoked_at or now or utcnow()
    db.session.flush()


def end_sessions(user: User, *, keep: UserSession | None = None, now: datetime | None = None) -> int:
    """End every session of the person except `keep` (sign out everywhere else). Returns how many."""
    stmt = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    count = db.session.execute(
        stmt.values(revoked_at=now or utcnow()).execution_options(synchronize_session="fetch")
    ).rowcount
    db.session.flush()
    return count


def end_all_access(user: User, *, keep: UserSession | None = None, now: datetime | None = None) -> None:
    """Sessions and API tokens end together: after a password change or reset, switch-off, erasure."""
    now = now or utcnow()
    end_sessions(user, keep=keep, now=now)
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()


def active_sessions(user: User, *, now: datetime | None = None) -> list[UserSession]:
    now = now or utcnow()
    return db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.expires_at > now)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
