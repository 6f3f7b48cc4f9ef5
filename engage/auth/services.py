"""Accounts, sign-up, consent, API tokens, invitations and settings."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import (
    AccountToken,
    AccountTokenPurpose,
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
from engage.auth.regions import REGIONS, RegionGroup, region_group
from engage.auth.sessions import end_all_access
from engage.auth.signals import consent_changed, email_change_requested, invitation_created, password_reset_requested
from engage.errors import NotFound, PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import LANGUAGE_NAMES
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
    """The form addresses are compared and stored in: trimmed, lower case (as every stored address is)."""
    return (email or "").strip().lower()


def checked_email(email: str) -> str:
    """A syntactically valid address, normalised (email-validator: IDNA domains, Unicode forms, no quoting
    tricks), in lower case; or a field error. No DNS look-up: the service must not depend on the network."""
    try:
        valid = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _("Some fields are not valid."), errors={"email": [_("Enter a valid e-mail address.")]}
        ) from None
    return valid.normalized.lower()


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
    before = row.value
    row.value = "1" if enabled else "0"
    db.session.add(row)
    db.session.flush()
    if before != row.value:
        audit(
            AuditAction.SETTINGS_CHANGED,
            actor=actor,
            target_type="setting",
            details={"key": "open_signup", "from": before == "1", "to": enabled},
        )


CONSORTIUM_NAME_MAX_LENGTH = 120


def consortium_name() -> str:
    """The consortium's name as shown in page titles, PDFs and e-mails ("" when it has none).

    Read once per request (or job run): every page and every e-mail rendered needs it.
    """
    if "consortium_name" not in g:
        g.consortium_name = get_setting("consortium_name", current_app.config["ENGAGE_CONSORTIUM_NAME"])
    return g.consortium_name


def set_consortium_name(name: str, *, actor: User, now: datetime | None = None) -> str:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can change settings."))
    name = " ".join((name or "").split())
    if len(name) > CONSORTIUM_NAME_MAX_LENGTH or "\x00" in name:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"consortium_name": [_("At most %(n)d characters.", n=CONSORTIUM_NAME_MAX_LENGTH)]},
        )
    row = db.session.get(SiteSetting, "consortium_name") or SiteSetting(key="consortium_name", value="")
    before = row.value
    row.value = name
    db.session.add(row)
    db.session.flush()
    g.consortium_name = name
    if before != name:
        audit(
            AuditAction.SETTINGS_CHANGED,
            actor=actor,
            target_type="setting",
            details={"key": "consortium_name", "from": before, "to": name},
            now=now,
        )
    return name


def validate_profile(data: dict) -> dict:
    """Field errors for profile data (region, category, zone, locale, names)."""
    errors: dict[str, list[str]] = {}
    if "region" in data and data["region"] not in REGIONS:
        errors["region"] = [_("Choose a region from the list.")]
    if "timezone" in data and not is_valid_zone(data["timezone"]):
        errors["timezone"] = [_("Choose a valid time zone, such as Europe/Rome or Asia/Shanghai.")]
    if "locale" in data and data["locale"] not in list(LANGUAGE_NAMES):
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
    profile = dict(profile)
    errors = validate_profile(profile)  # also turns a category value into the enum
    errors.update(validate_profile({"display_name": display_name}))
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]
    try:
        email = checked_email(email)
    except ValidationError as exc:
        errors.update(exc.errors)
    else:
        if db.session.scalar(sa.select(User.id).where(User.email == email)):
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
    wants_reminders = data.get("consent_reminders", True)
    if wants_reminders:
        record_consent(user, ConsentPurpose.REMINDER_EMAILS, now=now)
    consent_changed.send(user, purpose=ConsentPurpose.REMINDER_EMAILS, given=bool(wants_reminders), now=now)
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
    # The token and its person in one query: every API request starts here.
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plain)).options(joinedload(ApiToken.user))
    )
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
    invitee_name: str = "",
    locale: str | None = None,
    region: str | None = None,
    category: StakeholderCategory | str | None = None,
    message: str = "",
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """An invitation link. Leads invite participants; coordinators invite anyone.

    The optional profile (name, language, region, category) is what the inviter knows; it prefills the
    sign-up page and sets the language of the invitation e-mail. `message` goes into the invitation e-mail
    (a higher feature says what the invitation is for)."""
    now = now or utcnow()
    if actor.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators can invite people."))
    if role is not Role.PARTICIPANT and not actor.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can invite leads or coordinators."))
    if not locale and region:
        # The invitee's language, when the inviter did not say: Chinese for a region in China.
        locale = "zh" if region_group(region) is RegionGroup.CHINA else "en"
    profile = {k: v for k, v in {"locale": locale, "region": region, "category": category}.items() if v}
    errors: dict[str, list[str]] = validate_profile(profile)
    if len(invitee_name or "") > 120:
        errors["invitee_name"] = [_("Use at most %(n)d characters.", n=120)]
    try:
        email = checked_email(email)
    except ValidationError as exc:
        errors.update(exc.errors)
    else:
        if db.session.scalar(sa.select(User.id).where(User.email == email)):
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
        invitee_name=(invitee_name or "").strip(),
        **profile,
    )
    db.session.add(invitation)
    db.session.flush()
    audit(
        AuditAction.INVITATION_CREATED,
        actor=actor,
        target_type="invitation",
        target_id=invitation.id,
        details={"role": role.value, "working_group_id": working_group_id},
        now=now,
    )
    invitation_created.send(invitation, token=plain, now=now, message=message)
    return invitation, plain


def resend_invitation(invitation: Invitation, *, actor: User, now: datetime | None = None) -> str:
    """A fresh link for an invitation not yet accepted (the old link stops working), e-mailed again."""
    now = now or utcnow()
    if invitation.created_by_id != actor.id and not actor.is_coordinator:
        raise NotFound(_("Invitation not found."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."), status=409, code="conflict")
    plain = new_token("inv")
    invitation.token_hash = hash_token(plain)
    invitation.revoked_at = None
    invitation.expires_at = now + timedelta(days=current_app.config["ENGAGE_INVITATION_TTL_DAYS"])
    db.session.flush()
    audit(AuditAction.INVITATION_RESENT, actor=actor, target_type="invitation", target_id=invitation.id, now=now)
    invitation_created.send(invitation, token=plain, now=now)
    return plain


def _working_group_model() -> type:
    # Through the relationship, because auth sits below workshops and does not import it.
    return Invitation.working_group.property.mapper.class_


def working_group_choices() -> list:
    """The working groups, in order, for the invitation and user-administration forms."""
    model = _working_group_model()
    pillar = model.pillar.property.mapper.class_
    return db.session.scalars(sa.select(model).join(model.pillar).order_by(pillar.number)).all()


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
    if invitation.revoked_at is None:
        invitation.revoked_at = now or utcnow()
        audit(AuditAction.INVITATION_REVOKED, actor=actor, target_type="invitation", target_id=invitation.id, now=now)
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


# --- passwords and e-mail addresses -------------------------------------------------------------------


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _check_new_password(password: str, field: str = "new_password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={field: [_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]},
        )


def _new_account_token(user: User, purpose: AccountTokenPurpose, lifetime: timedelta, now: datetime, **extra):
    # One open link per purpose: asking again makes the earlier link useless.
    db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    plain = new_token("acc")
    token = AccountToken(
        user_id=user.id,
        purpose=purpose,
        token_hash=hash_token(plain),
        created_at=now,
        expires_at=now + lifetime,
        **extra,
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def request_password_reset(email: str, *, now: datetime | None = None) -> None:
    """E-mail a single-use reset link if an active account has this address; otherwise do nothing.

    The caller answers the same either way, so the form does not tell who has an account."""
    now = now or utcnow()
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    lifetime = timedelta(minutes=current_app.config["ENGAGE_PASSWORD_RESET_TTL_MINUTES"])
    _token, plain = _new_account_token(user, AccountTokenPurpose.PASSWORD_RESET, lifetime, now)
    password_reset_requested.send(user, token=plain, now=now)


def find_account_token(plain: str, purpose: AccountTokenPurpose, *, now: datetime | None = None) -> AccountToken:
    token = db.session.scalar(
        sa.select(AccountToken)
        .where(AccountToken.token_hash == hash_token(plain or ""), AccountToken.purpose == purpose)
        .with_for_update()
    )
    if token is None or not token.is_usable(now or utcnow()) or not token.user.is_active:
        raise NotFound(_("This link is not valid any more. Ask for a new one."), code="link_invalid")
    return token


def reset_password(plain: str, *, new_password: str, now: datetime | None = None) -> User:
    """Set a new password with a reset link; the link is used up and every session and token ends."""
    now = now or utcnow()
    token = find_account_token(plain, AccountTokenPurpose.PASSWORD_RESET, now=now)
    _check_new_password(new_password, "password")
    # Conditional: of two requests with the same link, one wins.
    used = db.session.execute(
        sa.update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if used != 1:
        raise NotFound(_("This link is not valid any more. Ask for a new one."), code="link_invalid")
    user = token.user
    user.password_hash = hash_password(new_password)
    end_all_access(user, now=now)
    audit(AuditAction.PASSWORD_RESET, actor=user, target_type="user", target_id=user.id, now=now)
    db.session.flush()
    return user


def change_password(user: User, *, current_password: str, new_password: str, keep=None, now=None) -> None:
    """A new password, given the current one; every other session and every API token ends."""
    if not verify_password(user, current_password):
        raise ValidationError(
            _("Some fields are not valid."), errors={"current_password": [_("This is not your current password.")]}
        )
    _check_new_password(new_password)
    user.password_hash = hash_password(new_password)
    end_all_access(user, keep=keep, now=now)
    audit(AuditAction.PASSWORD_CHANGED, actor=user, target_type="user", target_id=user.id, now=now)
    db.session.flush()


def request_email_change(user: User, *, new_email: str, current_password: str, now: datetime | None = None) -> None:
    """Send a confirmation link to the new address; the account keeps its address until it is followed."""
    now = now or utcnow()
    if not verify_password(user, current_password):
        raise ValidationError(
            _("Some fields are not valid."), errors={"current_password": [_("This is not your current password.")]}
        )
    try:
        email = checked_email(new_email)
    except ValidationError as exc:
        raise ValidationError(exc.message, errors={"new_email": exc.errors["email"]}) from None
    if email == user.email:
        raise ValidationError(
            _("Some fields are not valid."), errors={"new_email": [_("This is already your address.")]}
        )
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise ValidationError(
            _("Some fields are not valid."), errors={"new_email": [_("Another account uses this address.")]}
        )
    lifetime = timedelta(hours=current_app.config["ENGAGE_EMAIL_CHANGE_TTL_HOURS"])
    _token, plain = _new_account_token(user, AccountTokenPurpose.EMAIL_CHANGE, lifetime, now, new_email=email)
    email_change_requested.send(user, token=plain, new_email=email, now=now)


def confirm_email_change(plain: str, *, now: datetime | None = None) -> User:
    """Follow the link sent to the new address: it becomes the account's address."""
    now = now or utcnow()
    token = find_account_token(plain, AccountTokenPurpose.EMAIL_CHANGE, now=now)
    user = token.user
    if db.session.scalar(sa.select(User.id).where(User.email == token.new_email, User.id != user.id)):
        raise ValidationError(_("Another account uses this address now."), status=409, code="conflict")
    token.used_at = now
    user.email = token.new_email
    token.new_email = None
    audit(AuditAction.EMAIL_CHANGED, actor=user, target_type="user", target_id=user.id, now=now)
    db.session.flush()
    return user


# --- consent --------------------------------------------------------------------------------------------


def current_consent(user: User, purpose: ConsentPurpose) -> ConsentRecord | None:
    """The consent in force for this purpose (not withdrawn), newest first."""
    records = [c for c in user.consents if c.purpose is purpose and c.withdrawn_at is None]
    return max(records, key=lambda c: (c.given_at, c.id or 0)) if records else None


def needs_terms_consent(user: User) -> bool:
    """True when the person has not agreed to the current participation terms (withdrawn, or an older text)."""
    record = current_consent(user, ConsentPurpose.PARTICIPATION)
    return record is None or record.text_version != CONSENT_TEXT_VERSION


def give_consent(user: User, purpose: ConsentPurpose, *, now: datetime | None = None) -> ConsentRecord:
    """Consent to the current text for this purpose (again). Earlier records stay, as the history."""
    now = now or utcnow()
    existing = current_consent(user, purpose)
    if existing is not None and existing.text_version == CONSENT_TEXT_VERSION:
        return existing
    if existing is not None:
        existing.withdrawn_at = now  # superseded by the consent to the newer text
    record = record_consent(user, purpose, now=now)
    audit(
        AuditAction.CONSENT_GIVEN,
        actor=user,
        target_type="user",
        target_id=user.id,
        details={"purpose": purpose.value, "text_version": CONSENT_TEXT_VERSION},
        now=now,
    )
    consent_changed.send(user, purpose=purpose, given=True, now=now)
    return record


def withdraw_consent(user: User, purpose: ConsentPurpose, *, now: datetime | None = None) -> None:
    """Withdraw a consent; withdrawing one not in force changes nothing."""
    now = now or utcnow()
    records = [c for c in user.consents if c.purpose is purpose and c.withdrawn_at is None]
    if not records:
        return
    for record in records:
        record.withdrawn_at = now
    audit(
        AuditAction.CONSENT_WITHDRAWN,
        actor=user,
        target_type="user",
        target_id=user.id,
        details={"purpose": purpose.value},
        now=now,
    )
    db.session.flush()
    consent_changed.send(user, purpose=purpose, given=False, now=now)
