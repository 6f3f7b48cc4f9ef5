"""The panel: existing accounts added by the lead, or people invited by e-mail who join once signed up,
and what everyone on it is told, when invited or added, about how their answers are published."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.auth.models import Invitation, Role, User
from engage.auth.services import create_invitation
from engage.delphi import disclosure
from engage.delphi.models import AuditAction, DelphiPanelInvitation, DelphiPanelMember, DelphiSurvey, DisclosureMode
from engage.delphi.services.common import audit, invalid, require_manager, require_not_finalised
from engage.errors import DomainError
from engage.extensions import db
from engage.i18n import localized
from engage.links import external_url
from engage.notifications.models import NotificationKind
from engage.notifications.services import enqueue
from engage.timeutil import utcnow


def set_disclosure_mode(
    survey: DelphiSurvey, *, actor: User, mode: DisclosureMode, now: datetime | None = None
) -> DelphiSurvey:
    """Choose what the survey publishes (group results, or the response matrix instead). Everyone invited
    to or put on the panel is told which, so it is fixed from the first such moment on."""
    now = now or utcnow()
    require_manager(survey, actor)
    require_not_finalised(survey)
    if mode is survey.disclosure_mode:
        return survey
    told = db.session.scalar(
        sa.select(
            sa.exists().where(DelphiPanelMember.survey_id == survey.id)
            | sa.exists().where(DelphiPanelInvitation.survey_id == survey.id)
        )
    )
    if told:
        raise DomainError(
            _(
                "The panel has been told how its answers are published; that can no longer change. "
                "Start a new survey to publish differently."
            ),
            code="disclosure_fixed",
        )
    survey.disclosure_mode = mode
    audit(survey, AuditAction.DISCLOSURE_SET, actor=actor, now=now, details={"mode": mode.value})
    db.session.flush()
    return survey


def _tell_panellist(survey: DelphiSurvey, user: User, now: datetime) -> None:
    enqueue(
        user,
        NotificationKind.DELPHI_PANEL_ADDED,
        None,
        now=now,
        dedupe_key=f"delphi-panel:{survey.id}:{user.id}:{now.strftime('%Y%m%dT%H%M%S%f')}",
        survey_title=str(localized(survey, "title", user.locale)),
        surveys_url=external_url("delphi.my_surveys"),
        # A plain value: the message is rendered at delivery, in the recipient's language.
        disclosure_mode=survey.disclosure_mode.value,
    )


def add_panellists(
    survey: DelphiSurvey, *, actor: User, user_ids: list[int], now: datetime | None = None
) -> list[DelphiPanelMember]:
    """Put existing, active accounts on the panel (again, if they had been removed); each is told, in-app and
    by e-mail, how the survey publishes its answers."""
    now = now or utcnow()
    require_manager(survey, actor)
    require_not_finalised(survey)
    ids = list(dict.fromkeys(user_ids))
    users = db.session.scalars(sa.select(User).where(User.id.in_(ids), User.is_active_account.is_(True))).all()
    if len(users) != len(ids):
        raise invalid("user_ids", _("Choose existing, active accounts."))
    existing = {
        m.user_id: m
        for m in db.session.scalars(sa.select(DelphiPanelMember).where(DelphiPanelMember.survey_id == survey.id))
    }
    members = []
    for user in users:
        member = existing.get(user.id)
        if member is None:
            member = DelphiPanelMember(survey_id=survey.id, user_id=user.id, added_at=now)
            db.session.add(member)
        elif member.removed_at is None:
            members.append(member)
            continue
        member.removed_at = None
        audit(survey, AuditAction.PANEL_ADDED, actor=actor, now=now, details={"user_id": user.id})
        _tell_panellist(survey, user, now)
        members.append(member)
    db.session.flush()
    return members


def remove_panellist(survey: DelphiSurvey, *, actor: User, user_id: int, now: datetime | None = None) -> None:
    """Take someone off the panel; answers they already submitted stay in the results."""
    now = now or utcnow()
    require_manager(survey, actor)
    member = db.session.scalar(
        sa.select(DelphiPanelMember).where(
            DelphiPanelMember.survey_id == survey.id,
            DelphiPanelMember.user_id == user_id,
            DelphiPanelMember.removed_at.is_(None),
        )
    )
    if member is None:
        raise invalid("user_id", _("This person is not on the panel."))
    member.removed_at = now
    audit(survey, AuditAction.PANEL_REMOVED, actor=actor, now=now, details={"user_id": user_id})
    db.session.flush()


def invite_to_panel(
    survey: DelphiSurvey, *, actor: User, email: str, now: datetime | None = None, **profile
) -> tuple[Invitation, str]:
    """An e-mail invitation to sign up; the person joins the panel when they have signed up.

    `profile` (invitee_name, locale, region, category) is what the lead knows, to prefill the sign-up."""
    now = now or utcnow()
    require_manager(survey, actor)
    require_not_finalised(survey)
    title = localized(survey, "title", profile.get("locale") or None)
    invited = _l("You are invited to the panel of the Delphi survey “%(survey)s”.", survey=str(title))
    told = disclosure.statement(survey.disclosure_mode)
    invitation, plain = create_invitation(
        actor=actor,
        email=email,
        role=Role.PARTICIPANT,
        working_group_id=survey.working_group_id,
        # Rendered when the e-mail is written, in the inviter's language.
        message=LazyString(lambda: f"{invited}\n\n{told}"),
        now=now,
        **profile,
    )
    db.session.add(DelphiPanelInvitation(survey_id=survey.id, invitation_id=invitation.id, created_at=now))
    audit(survey, AuditAction.PANEL_INVITED, actor=actor, now=now, details={"invitation_id": invitation.id})
    db.session.flush()
    return invitation, plain


def join_accepted_invitations(survey: DelphiSurvey, *, now: datetime) -> None:
    """Put people who accepted a panel invitation on the panel (run before a round is scheduled)."""
    accepted = db.session.scalars(
        sa.select(Invitation.accepted_by_id)
        .join(DelphiPanelInvitation)
        .where(DelphiPanelInvitation.survey_id == survey.id, Invitation.accepted_by_id.is_not(None))
        .where(
            ~sa.exists().where(
                DelphiPanelMember.survey_id == survey.id, DelphiPanelMember.user_id == Invitation.accepted_by_id
            )
        )
    ).all()
    for user_id in accepted:
        db.session.add(DelphiPanelMember(survey_id=survey.id, user_id=user_id, added_at=now))
    db.session.flush()


def panel_size(survey: DelphiSurvey) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DelphiPanelMember)
        .where(DelphiPanelMember.survey_id == survey.id, DelphiPanelMember.removed_at.is_(None))
    )
