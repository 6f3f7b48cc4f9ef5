"""User administration by coordinators."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from engage.audit.models import AuditAction
from engage.audit.services import record as audit
from engage.auth.models import Role, StakeholderCategory, User, working_group_leads
from engage.auth.sessions import end_all_access
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.timeutil import utcnow
from engage.workshops.models import WorkingGroup


def require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_("Only a coordinator can administer people."))


def users_query(
    *,
    q: str | None = None,
    role: Role | None = None,
    working_group_id: int | None = None,
    region: str | None = None,
    category: StakeholderCategory | None = None,
    is_active: bool | None = None,
) -> sa.Select:
    """People matching every filter given; `q` searches names and e-mail addresses."""
    stmt = sa.select(User).options(selectinload(User.led_working_groups)).order_by(User.display_name, User.id)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(User.display_name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    if role is not None:
        stmt = stmt.where(User.role == role)
    if working_group_id is not None:
        stmt = stmt.where(
            User.id.in_(
                sa.select(working_group_leads.c.user_id).where(
                    working_group_leads.c.working_group_id == working_group_id
                )
            )
        )
    if region:
        stmt = stmt.where(User.region == region)
    if category is not None:
        stmt = stmt.where(User.category == category)
    if is_active is not None:
        stmt = stmt.where(User.is_active_account.is_(is_active))
    return stmt


def _require_changeable(user: User, actor: User) -> None:
    require_coordinator(actor)
    if user.is_erased:
        raise DomainError(_("This account was erased; it can no longer be changed."), code="account_erased", status=409)


def update_user(user: User, *, actor: User, data: dict, now: datetime | None = None) -> User:
    """Change role, lead assignments and whether the account is switched on. Switching off ends the person's
    sessions and tokens (and switching on does not bring them back); coordinators cannot demote or switch
    off themselves."""
    now = now or utcnow()
    _require_changeable(user, actor)
    role = data.get("role", user.role)
    if user.id == actor.id and (role is not user.role or data.get("is_active") is False):
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"role": [_("You cannot demote or switch off your own account; ask another coordinator.")]},
        )
    if "lead_working_group_ids" in data:
        ids = list(dict.fromkeys(data["lead_working_group_ids"]))
        groups = db.session.scalars(sa.select(WorkingGroup).where(WorkingGroup.id.in_(ids))).all()
        if len(groups) != len(ids):
            raise ValidationError(
                _("Some fields are not valid."),
                errors={"lead_working_group_ids": [_("Choose existing working groups.")]},
            )
    else:
        groups = list(user.led_working_groups) if role is Role.LEAD else []
    if role is not Role.LEAD:
        groups = []
    elif not groups:
        raise ValidationError(
            _("Some fields are not valid."),
            errors={"lead_working_group_ids": [_("A lead leads at least one working group.")]},
        )
    before_groups = sorted(wg.id for wg in user.led_working_groups)
    if role is not user.role:
        audit(AuditAction.ROLE_CHANGED, actor=actor, target_type="user", target_id=user.id,
              details={"from": user.role.value, "to": role.value}, now=now)  # fmt: skip
        user.role = role
    after_groups = sorted(wg.id for wg in groups)
    if after_groups != before_groups:
        user.led_working_groups = list(groups)
        audit(AuditAction.LEADS_CHANGED, actor=actor, target_type="user", target_id=user.id,
              details={"from": before_groups, "to": after_groups}, now=now)  # fmt: skip
    if "is_active" in data and data["is_active"] is not user.is_active_account:
        user.is_active_account = data["is_active"]
        action = AuditAction.ACCOUNT_SWITCHED_ON if data["is_active"] else AuditAction.ACCOUNT_SWITCHED_OFF
        audit(action, actor=actor, target_type="user", target_id=user.id, now=now)
        end_all_access(user, now=now)
    db.session.flush()
    return user
