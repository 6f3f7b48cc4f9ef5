"""Bulk invitations from a CSV file (sign-up or a Delphi panel): checked whole, then sent whole.

Columns, named in the first row: `email` (required), `name`, `language` (en, zh), `region` (a region
code such as IT or CN-BJ), `category` (a stakeholder category code) and `working_group` (its id or exact
name; sign-up invitations only — a panel invitation belongs to the survey's working group). One bad row
refuses the file, with every problem as "Row N: reason" (the header is row 1), and nothing is sent.
"""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from engage.auth.models import Invitation, Role, StakeholderCategory, User
from engage.auth.regions import REGIONS
from engage.auth.services import checked_email, create_invitation
from engage.delphi.models import DelphiSurvey
from engage.delphi.services.common import require_manager
from engage.delphi.services.panel import invite_to_panel
from engage.errors import PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import LANGUAGE_NAMES
from engage.workshops.models import WorkingGroup

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
COLUMNS = ("email", "name", "language", "region", "category", "working_group")


@dataclass
class InvitationRow:
    number: int
    email: str
    name: str = ""
    locale: str | None = None
    region: str | None = None
    category: StakeholderCategory | None = None
    working_group: WorkingGroup | None = None
    warnings: list[str] = field(default_factory=list)


def _refuse(problems: list[str]) -> ValidationError:
    return ValidationError(_("The file was not used; nothing was sent."), errors={"file": problems})


def _group(value: str, groups: list[WorkingGroup]) -> WorkingGroup | None:
    return next((g for g in groups if str(g.id) == value or g.name == value), None)


def parse_invitations(content: bytes | str, *, with_groups: bool = True) -> list[InvitationRow]:
    """The rows of the file, every one valid, or a ValidationError listing each bad row."""
    raw = content.encode() if isinstance(content, str) else content
    if len(raw) > MAX_BYTES:
        raise _refuse([_("The file is larger than 1 MB.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse([_("The file is not UTF-8 text.")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header:
        raise _refuse([_("Row 1: the first row must name the columns, including “email”.")])
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _refuse([_("Row 1: unknown column “%(name)s”.", name=unknown[0])])
    reader.fieldnames = header
    groups = db.session.scalars(sa.select(WorkingGroup)).all()
    languages = list(LANGUAGE_NAMES)
    rows, problems, seen = [], [], {}
    for number, record in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise _refuse([_("At most %(n)d people per file.", n=MAX_ROWS)])
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if not any(values.values()):
            continue
        reasons = []
        try:
            email = checked_email(values.get("email", ""))
        except ValidationError:
            email = values.get("email", "")
            reasons.append(_("“%(value)s” is not a valid e-mail address", value=email))
        row = InvitationRow(number=number, email=email, name=values.get("name", "")[:120])
        if email in seen:
            reasons.append(_("the same address as row %(n)d", n=seen[email]))
        seen.setdefault(email, number)
        if len(values.get("name", "")) > 120:
            reasons.append(_("the name is longer than 120 characters"))
        if values.get("language"):
            if values["language"] not in languages:
                reasons.append(_("language must be one of %(list)s", list=", ".join(languages)))
            row.locale = values["language"]
        if values.get("region"):
            if values["region"] not in REGIONS:
                reasons.append(_("unknown region “%(value)s”", value=values["region"]))
            row.region = values["region"]
        if values.get("category"):
            try:
                row.category = StakeholderCategory(values["category"])
            except ValueError:
                reasons.append(_("unknown stakeholder category “%(value)s”", value=values["category"]))
        if values.get("working_group"):
            if not with_groups:
                reasons.append(_("a panel invitation takes the survey’s working group; leave the column empty"))
            else:
                row.working_group = _group(values["working_group"], groups)
            if with_groups and row.working_group is None:
                reasons.append(_("unknown working group “%(value)s”", value=values["working_group"]))
        if not reasons and db.session.scalar(sa.select(User.id).where(User.email == email)):
            reasons.append(_("%(email)s already has an account", email=email))
        if not reasons and db.session.scalar(
            sa.select(Invitation.id).where(
                Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None)
            )
        ):
            row.warnings.append(_("an earlier invitation to this address is still open"))
        if reasons:
            problems.append(_("Row %(n)d: %(reasons)s.", n=number, reasons="; ".join(reasons)))
        rows.append(row)
    if problems:
        raise _refuse(problems)
    if not rows:
        raise _refuse([_("The file has no people in it.")])
    return rows


def require_may_invite(actor: User, survey: DelphiSurvey | None) -> None:
    """Before anything is parsed: sign-up invitations by leads and coordinators, panel ones by the survey's
    managers."""
    if survey is not None:
        require_manager(survey, actor)
    elif actor.role is Role.PARTICIPANT:
        raise PermissionDenied(_("Only leads and coordinators can invite people."))


def send_invitations(rows: list[InvitationRow], *, actor: User, survey: DelphiSurvey | None = None, now=None) -> int:
    """Create (and e-mail) one invitation per row, in the caller's transaction: all of them or, if one
    fails, none (the caller rolls back)."""
    for row in rows:
        profile = {"invitee_name": row.name, "locale": row.locale, "region": row.region, "category": row.category}
        try:
            if survey is not None:
                invite_to_panel(survey, actor=actor, email=row.email, now=now, **profile)
            else:
                create_invitation(
                    actor=actor,
                    email=row.email,
                    working_group_id=row.working_group.id if row.working_group else None,
                    now=now,
                    **profile,
                )
        except ValidationError as exc:
            reasons = "; ".join(m for messages in exc.errors.values() for m in messages) or exc.message
            raise _refuse([_("Row %(n)d: %(reasons)s.", n=row.number, reasons=reasons)]) from None
    return len(rows)
