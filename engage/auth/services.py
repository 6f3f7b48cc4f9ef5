"""Accounts, sign-up, consent, API tokens, invitations and settings."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from engage.auth.models import (
    ApiToken,
    ConsentPurpose,
    ConsentRecord,
    Invitation,
    Role,
    SiteSetting,
    StakeholderCategory,
    User,
    hash_token,
    new_token,
)
from engage.auth.regions import REGIONS
from engage.auth.signals import invitation_created
from engage.errors import NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.timeutil import is_valid_zone, utcnow

# Bump when the consent text in templates/auth/consent_text.html changes.
CONSENT_TEXT_VERSION = "2026-11-v1"
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
# A real hash, so that a login for an unknown e-mail costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("engage-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    return user


def get_setting(key: str, default: str) -> str:
    row = db.session.get(SiteSetting, key)
    return row.value if row else default


def open_signup_enabled() -> bool:
    return get_setting("open_signup", "1" if current_app.config["ENGAGE_OPEN_SIGNUP"] else "0") == "1"


def set_open_signup(enabled: bool, *, actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can change sign-up settings."))
    row = db.session.get(SiteSetting, "open_signup") or SiteSetting(key="open_signup", value="0")
    row.value = "1" if enabled else "0"
    db.session.add(row)
    db.session.flush()


def validate_profile(data: dict) -> dict:
    """Field errors for profile data (region, category, zone, locale, names)."""
    errors: dict[str, list[str]] = {}
    if "region" in data and data["region"] not in REGIONS:
        errors["region"] = [_("Choose a region from the list.")]
    if "timezone" in data and not is_valid_zone(data["timezone"]):
        errors["timezone"] = [_("Choose a valid time zone, such as Europe/Rome or Asia/Shanghai.")]
    if "locale" in data and data["locale"] not in current_app.config["ENGAGE_LANGUAGES"]:
        errors["locale"] = [_("Choose English or Chinese.")]
    if "category" in data and not isinstance(data["category"], StakeholderCategory):
        try:
            data["category"] = StakeholderCategory(data["category"])
        except ValueError:
            errors["category"] = [_("Choose a stakeholder category from the list.")]
    if "display_name" in data and not data["display_name"].strip():
        errors["display_name"] = [_("Enter your name.")]
    return errors


def create_user(*, email: str, password: str, display_name: str, role: Role = Role.PARTICIPANT, **profile) -> User:
    """A new account; the caller records consent."""
    email = normalise_email(email)
    profile = dict(profile)
    errors = validate_profile(profile)  # also turns a category value into the enum
    errors.update(validate_profile({"display_name": display_name}))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]
    if "@" not in email or len(email) > 254:
        errors["email"] = [_("Enter a valid e-mail address.")]
    elif db.session.scalar(sa.select(User.id).where(User.email == email)):
        errors["email"] = [_("An account with this e-mail already exists. Sign in instead.")]
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    user = User(email=email, password_hash=hash_password(password), display_name=display_name.strip(), role=role)
    for key, value in profile.items():
        setattr(user, key, value)
    try:
        # The unique e-mail decides between two sign-ups racing for the same address.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"email": [_("An account with this e-mail already exists. Sign in instead.")]},
        ) from None
    return user


def record_consent(user: User, purpose: ConsentPurpose, *, now: datetime | None = None) -> ConsentRecord:
    record = ConsentRecord(user=user, purpose=purpose, text_version=CONSENT_TEXT_VERSION, given_at=now or utcnow())
    db.session.add(record)
    db.session.flush()
    return record


def sign_up(*, data: dict, invitation_token: str | None, now: datetime | None = None) -> User:
    """Create a participant (or the invited role) from the sign-up form, with consent.

    Without a valid invitation, sign-up is allowed only when open sign-up is on.
    """
    now = now or utcnow()
    invitation = None
    if invitation_token:
        invitation = find_open_invitation(invitation_token, now=now, for_update=True)
    elif not open_signup_enabled():
        raise PermissionDenied(_("Sign-up is by invitation only. Ask a working-group lead for an invitation link."))
    if not data.get("consent"):
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"consent": [_("You must agree to the participation terms to take part.")]},
        )
    profile = {k: data[k] for k in ("organisation", "region", "category", "timezone", "locale") if data.get(k)}
    role = invitation.role if invitation else Role.PARTICIPANT
    email = invitation.email if invitation else data.get("email", "")
    user = create_user(
        email=email, password=data.get("password", ""), display_name=data.get("display_name", ""), role=role, **profile
    )
    record_consent(user, ConsentPurpose.PARTICIPATION, now=now)
    if data.get("consent_named"):
        record_consent(user, ConsentPurpose.NAMED_IN_MINUTES, now=now)
    if invitation:
        invitation.accepted_at = now
        invitation.accepted_by_id = user.id
        if invitation.role is Role.LEAD and invitation.working_group is not None:
            user.led_working_groups.append(invitation.working_group)
    db.session.flush()
    return user


def has_consent(user: User, purpose: ConsentPurpose) -> bool:
    return any(c.purpose is purpose and c.withdrawn_at is None for c in user.consents)


def update_profile(user: User, *, data: dict) -> User:
    errors = validate_profile(data)
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    for key in ("display_name", "organisation", "region", "category", "timezone", "locale"):
        if key in data:
            setattr(user, key, data[key].strip() if isinstance(data[key], str) else data[key])
    db.session.flush()
    return user


# --- API tokens ---------------------------------------------------------------------------------


def issue_api_token(user: User, *, name: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new bearer token; the plain token is returned once and only its hash is kept."""
    now = now or utcnow()
    plain = new_token("eng")
    token = ApiToken(
        user=user,
        token_hash=hash_token(plain),
        name=name[:100],
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["ENGAGE_TOKEN_TTL_DAYS"]),
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def user_for_bearer(plain: str, *, now: datetime | None = None) -> User | None:
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or not token.is_usable(now or utcnow()) or not token.user.is_active:
        return None
    return token.user


def revoke_api_token(token: ApiToken, *, actor: User, now: datetime | None = None) -> None:
    if token.user_id != actor.id and not actor.is_coordinator:
        raise NotFound(_("Token not found."))
    token.revoked_at = token.revoked_at or now or utcnow()
    db.session.flush()


# --- invitations ----------------------------------------------------------------------------------


def create_invitation(
    *,
    actor: User,
    email: str,
    role: Role = Role.PARTICIPANT,
    working_group_id: int | None = None,
    message: str = "",
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """An invitation link. Leads invite participants; coordinators invite anyone. `message` goes into the
    invitation e-mail (a higher feature says what the invitation is for)."""
    now = now or utcnow()
    if actor.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators can invite people."))
    if role is not Role.PARTICIPANT and not actor.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can invite leads or coordinators."))
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = [_("Enter a valid e-mail address.")]
    elif db.session.scalar(sa.select(User.id).where(User.email == email)):
        errors["email"] = [_("This person already has an account.")]
    if role is Role.LEAD and working_group_id is None:
        errors["working_group_id"] = [_("Choose the working group this lead will lead.")]
    elif working_group_id is not None and db.session.get(_working_group_model(), working_group_id) is None:
        errors["working_group_id"] = [_("This working group does not exist.")]
    if errors:
        raise ValidationError(_("Some fields are not valid."), errors=errors)
    plain = new_token("inv")
    invitation = Invitation(
        email=email,
        role=role,
        working_group_id=working_group_id,
        token_hash=hash_token(plain),
        created_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["ENGAGE_INVITATION_TTL_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    invitation_created.send(invitation, token=plain, now=now, message=message)
    return invitation, plain


def _working_group_model() -> type:
    # Through the relationship, because auth sits below workshops and does not import it.
    return Invitation.working_group.property.mapper.class_


def find_open_invitation(plain: str, *, now: datetime | None = None, for_update: bool = False) -> Invitation:
    stmt = sa.select(Invitation).where(Invitation.token_hash == hash_token(plain))
    if for_update:
        # Two sign-ups with one link: the second waits, then finds it accepted.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    invitation = db.session.scalar(stmt)
    if invitation is None or not invitation.is_open(now or utcnow()):
        raise NotFound(_("This invitation link is not valid any more. Ask for a new one."), code="invitation_invalid")
    return invitation


def visible_invitations(actor: User) -> sa.Select:
    stmt = sa.select(Invitation).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    return stmt if actor.is_coordinator else stmt.where(Invitation.created_by_id == actor.id)


def revoke_invitation(invitation: Invitation, *, actor: User, now: datetime | None = None) -> None:
    if invitation.created_by_id != actor.id and not actor.is_coordinator:
        raise NotFound(_("Invitation not found."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."), status=409, code="conflict")
    invitation.revoked_at = invitation.revoked_at or now or utcnow()
    db.session.flush()


# --- calendar feed --------------------------------------------------------------------------------


def rotate_calendar_token(user: User) -> str:
    """A new secret for the personal calendar feed; the old URL stops working."""
    plain = new_token("cal")
    user.calendar_token_hash = hash_token(plain)
    db.session.flush()
    return plain


def revoke_calendar_token(user: User) -> None:
    user.calendar_token_hash = None
    db.session.flush()


def user_for_calendar_token(plain: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.calendar_token_hash == hash_token(plain)))
    return user if user and user.is_active else None
