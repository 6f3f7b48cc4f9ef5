import enum
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.regions import RegionGroup, region_group
from engage.extensions import db
from engage.timeutil import UTCDateTime, utcnow


class Role(enum.Enum):
    COORDINATOR = "coordinator"
    LEAD = "lead"
    PARTICIPANT = "participant"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


class StakeholderCategory(enum.Enum):
    POLICYMAKER = "policymaker"
    REGULATOR_HTA = "regulator_hta"
    PAYER = "payer"
    HEALTHCARE_PROFESSIONAL = "healthcare_professional"
    PATIENT_CITIZEN_ORGANISATION = "patient_citizen_organisation"
    ACADEMIA_RESEARCH = "academia_research"
    INDUSTRY = "industry"
    FUNDER = "funder"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    StakeholderCategory.POLICYMAKER: _l("Policymaker"),
    StakeholderCategory.REGULATOR_HTA: _l("Regulator / HTA"),
    StakeholderCategory.PAYER: _l("Payer"),
    StakeholderCategory.HEALTHCARE_PROFESSIONAL: _l("Healthcare professional"),
    StakeholderCategory.PATIENT_CITIZEN_ORGANISATION: _l("Patient / citizen organisation"),
    StakeholderCategory.ACADEMIA_RESEARCH: _l("Academia / research"),
    StakeholderCategory.INDUSTRY: _l("Industry"),
    StakeholderCategory.FUNDER: _l("Funder"),
    StakeholderCategory.OTHER: _l("Other"),
}


ROLE_LABELS = {
    Role.COORDINATOR: _l("coordinator"),
    Role.LEAD: _l("working-group lead"),
    Role.PARTICIPANT: _l("participant"),
}


class ConsentPurpose(enum.Enum):
    PARTICIPATION = "participation"
    NAMED_IN_MINUTES = "named_in_minutes"
    REMINDER_EMAILS = "reminder_emails"

    @property
    def label(self) -> str:
        return str(CONSENT_LABELS[self])


CONSENT_LABELS = {
    ConsentPurpose.PARTICIPATION: _l("Participation terms (required to take part)"),
    ConsentPurpose.NAMED_IN_MINUTES: _l("Being named in workshop minutes"),
    ConsentPurpose.REMINDER_EMAILS: _l("Reminder e-mails before workshops, Delphi rounds and consultations"),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


working_group_leads = sa.Table(
    "working_group_leads",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("working_group_id", sa.ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=20), default=Role.PARTICIPANT)
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    region: Mapped[str] = mapped_column(sa.String(8), default="OTHER")
    category: Mapped[StakeholderCategory] = mapped_column(
        sa.Enum(StakeholderCategory, native_enum=False, length=40), default=StakeholderCategory.OTHER
    )
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    calendar_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person erased their account: display_name is then their stable pseudonym.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    led_working_groups = relationship("WorkingGroup", secondary=working_group_leads, back_populates="leads")
    consents: Mapped[list["ConsentRecord"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The secret of the session being signed in, set by engage.auth.access.sign_in for Flask-Login only;
    # never stored (the database keeps its hash in user_sessions).
    session_secret = None

    def get_id(self) -> str:
        """What Flask-Login puts in the session and remember cookies: the session's secret, not the user id,
        so that ending the session row ends every copy of either cookie."""
        if not self.session_secret:
            raise RuntimeError("sign users in through engage.auth.access.sign_in")
        return self.session_secret

    # UserMixin compares users by get_id(); a user is itself (one object per row in a session).
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    @property
    def is_active(self) -> bool:
        return self.is_active_account and self.erased_at is None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def region_group(self) -> RegionGroup:
        return region_group(self.region)

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    def leads(self, working_group_id: int) -> bool:
        return any(wg.id == working_group_id for wg in self.led_working_groups)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ConsentRecord(db.Model):
    """One consent given (or withdrawn), with the version of the text the person saw."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(sa.Enum(ConsentPurpose, native_enum=False, length=30))
    text_version: Mapped[str] = mapped_column(sa.String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="consents")


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class Invitation(db.Model):
    """An invitation link to sign up; the token is shown once and stored hashed."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=20), default=Role.PARTICIPANT)
    working_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("working_groups.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional profile the inviter knows (bulk invitations): prefilled on the sign-up page.
    invitee_name: Mapped[str] = mapped_column(sa.String(120), default="")
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    region: Mapped[str | None] = mapped_column(sa.String(8))
    category: Mapped[StakeholderCategory | None] = mapped_column(
        sa.Enum(StakeholderCategory, native_enum=False, length=40)
    )

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    working_group = relationship("WorkingGroup")

    def is_open(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class SiteSetting(db.Model):
    """Settings a coordinator changes at run time (e.g. open sign-up)."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UserSession(db.Model):
    """A signed-in browser. The cookie (session and remember cookie alike) carries a secret whose
    SHA-256 is the id here, so ending the row ends every copy of the cookie, on every web host."""

    __tablename__ = "user_sessions"
    __table_args__ = (sa.Index("ix_user_sessions_user_active", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    is_remembered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class AccountTokenPurpose(enum.Enum):
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE = "email_change"


class AccountToken(db.Model):
    """A single-use, expiring link sent by e-mail (password reset, new address); stored hashed."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountTokenPurpose] = mapped_column(sa.Enum(AccountTokenPurpose, native_enum=False, length=20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The address an e-mail change goes to; it becomes the account's only when confirmed there.
    new_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now
