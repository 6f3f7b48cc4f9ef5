"""`Idempotency-Key` on the API's POSTs: a request retried with the same key gets the first answer.

A client that lost the answer to a POST (a registration, a comment, a measurement, an export …) sends
it again with the same `Idempotency-Key` header and gets the answer of the first attempt — its status
and body, marked `Idempotent-Replayed: true` — instead of running it twice (and, say, being told it
is already registered). Keys are scoped per signed-in user and kept for ENGAGE_IDEMPOTENCY_KEY_HOURS.

How: before the view runs, the key is claimed with a row inserted in the request's own transaction,
so it commits together with what the view creates — there is no moment at which the creation is
committed and the key is not. After the view, the answer is stored on the row. A duplicate arriving
while the first is still running waits for its transaction (the unique key on PostgreSQL, the write
lock on SQLite) and then answers 409 `idempotency_in_progress` until the first answer is stored; the
same key with a different request answers 422 `idempotency_key_reused`. Answers of 500 and above are
not kept, so a retry runs again. Requests without a signed-in user (sign-up, token requests) ignore the
header.
"""

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from engage.errors import error_response
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
MAX_STORED_BODY = 1024 * 1024
_CLAIM = "engage.idempotency_claim"


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(MAX_KEY_LENGTH))
    # SHA-256 of the method, path, query and body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    response_type: Mapped[str | None] = mapped_column(sa.String(200))
    response_location: Mapped[str | None] = mapped_column(sa.String(2000))


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda pair: pair[0]):
            digest.update(f"{name}:{upload.filename}:".encode() + hashlib.sha256(upload.read()).digest())
            upload.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _find(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        sa.select(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


def _answer_for(existing: IdempotencyKey, fingerprint: str) -> Response:
    if existing.fingerprint != fingerprint:
        return error_response(
            422,
            _("This Idempotency-Key was used for a different request; use a new key for a new request."),
            code="idempotency_key_reused",
            errors={HEADER: [_("Already used for another request.")]},
        )
    if existing.response_status is None:
        response, status = error_response(
            409,
            _("The first request with this Idempotency-Key is still being processed; retry in a moment."),
            code="idempotency_in_progress",
        )
        response.headers["Retry-After"] = "1"
        return response, status
    replay = Response(existing.response_body, status=existing.response_status, mimetype=existing.response_type)
    if existing.response_location:
        replay.headers["Location"] = existing.response_location
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def _claim_or_answer():
    """Before the view: the first answer if this key was used, else claim the key for this request."""
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST" or not request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        return error_response(
            422,
            _("Some fields are not valid."),
            errors={HEADER: [_("Use 1 to %(n)d printable ASCII characters.", n=MAX_KEY_LENGTH)]},
        )
    now, fingerprint = utcnow(), _fingerprint()
    existing = _find(current_user.id, key)
    if existing is not None and existing.expires_at <= now:
        db.session.delete(existing)
        db.session.flush()
        existing = None
    if existing is None:
        claim = IdempotencyKey(
            user_id=current_user.id,
            key=key,
            fingerprint=fingerprint,
            created_at=now,
            expires_at=now + timedelta(hours=current_app.config["ENGAGE_IDEMPOTENCY_KEY_HOURS"]),
        )
        try:
            with db.session.begin_nested():  # a duplicate insert fails alone, not the whole transaction
                db.session.add(claim)
        except IntegrityError:
            existing = _find(current_user.id, key)
        else:
            request.environ[_CLAIM] = {"id": claim.id, "user_id": claim.user_id, "key": key}
            request.environ[_CLAIM] |= {"fingerprint": fingerprint, "expires_at": claim.expires_at}
            return None
    return _answer_for(existing, fingerprint)


def _remember_answer(response: Response) -> Response:
    """After the view: keep its answer for the retries (not a 5xx, nor a stream or a huge body)."""
    claim = request.environ.pop(_CLAIM, None)
    if claim is None:
        return response
    keep = response.status_code < 500 and not response.is_streamed and response.calculate_content_length() is not None
    keep = keep and response.calculate_content_length() <= MAX_STORED_BODY
    if response.status_code >= 400:
        db.session.rollback()  # the view refused: nothing it flushed stays, and the claim goes with it
    row = db.session.get(IdempotencyKey, claim["id"])  # committed with the view's work, or rolled back
    if not keep:
        if row is not None and row.response_status is None:
            db.session.delete(row)  # free the key: a retry runs again
        db.session.commit()
        return response
    if row is None:
        row = IdempotencyKey(
            user_id=claim["user_id"],
            key=claim["key"],
            fingerprint=claim["fingerprint"],
            expires_at=claim["expires_at"],
        )
        db.session.add(row)
    row.response_status = response.status_code
    row.response_body = response.get_data(as_text=True)
    row.response_type = response.mimetype
    row.response_location = response.headers.get("Location")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a concurrent duplicate stored its answer first
    return response


def run_due_idempotency_purge(now: datetime | None = None) -> int:
    """Delete expired keys (their requests may run again). Returns how many."""
    deleted = db.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.expires_at <= (now or utcnow())))
    db.session.commit()
    return deleted.rowcount


def init_app(app: Flask) -> None:
    app.before_request(_claim_or_answer)
    app.after_request(_remember_answer)
