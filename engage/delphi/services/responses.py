"""A panellist's answers to a round: a draft they can come back to, then submitted, editable until close."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from engage.auth.models import User
from engage.delphi.models import (
    DelphiPanelMember,
    DelphiRating,
    DelphiResponse,
    DelphiRound,
    DelphiRoundSnapshot,
    ResponseStatus,
)
from engage.errors import DomainError, PermissionDenied, ValidationError
from engage.extensions import db
from engage.i18n import current_language, language_code
from engage.timeutil import format_moment, utcnow

MAX_RATIONALE = 2000


def _lock_membership(round_: DelphiRound, actor: User) -> None:
    """Serialise one panellist's saves (row lock on PostgreSQL; SQLite's BEGIN IMMEDIATE already does).

    Also the panel check: someone not on the panel gets 403 and nothing is stored.
    """
    member = db.session.scalar(
        sa.select(DelphiPanelMember.id)
        .where(
            DelphiPanelMember.survey_id == round_.survey_id,
            DelphiPanelMember.user_id == actor.id,
            DelphiPanelMember.removed_at.is_(None),
        )
        .with_for_update()
    )
    if member is None:
        raise PermissionDenied(_("You are not on this survey's panel."), code="not_on_panel")


def _check_open(round_: DelphiRound, now: datetime) -> None:
    """Open by the clock, and no results snapshot yet. The round's row is held shared until the save
    commits: the snapshot's writer locks it exclusively, so a save either lands before the snapshot is
    computed or finds it written and is refused."""
    db.session.execute(sa.select(DelphiRound.id).where(DelphiRound.id == round_.id).with_for_update(read=True))
    if now < round_.opens_at:
        raise DomainError(_("Round %(n)d has not opened yet.", n=round_.number), code="round_not_open")
    if round_.is_closed(now) or db.session.get(DelphiRoundSnapshot, round_.id) is not None:
        raise DomainError(
            _(
                "Round %(n)d closed on %(when)s; answers can no longer change. Your saved answers are kept.",
                n=round_.number,
                when=format_moment(round_.closes_at, "UTC", locale=str(get_locale())),
            ),
            code="round_closed",
        )


def _validate(round_: DelphiRound, ratings: list[dict]) -> dict[int, dict]:
    """Item id → rating input, or a 422 naming each bad entry by its index."""
    rule = round_.survey.rule
    in_round = {ri.item_id for ri in round_.round_items}
    errors: dict[str, dict[str, list[str]]] = {}
    by_item: dict[int, dict] = {}
    for index, rating in enumerate(ratings):
        problems: dict[str, list[str]] = {}
        item_id, value, cannot = rating["item_id"], rating.get("value"), rating.get("cannot_rate", False)
        if item_id not in in_round:
            problems["item_id"] = [_("This item is not part of round %(n)d.", n=round_.number)]
        elif item_id in by_item:
            problems["item_id"] = [_("This item is rated twice.")]
        if value is not None and not rule.scale_min <= value <= rule.scale_max:
            problems["value"] = [_("Rate from %(low)d to %(high)d.", low=rule.scale_min, high=rule.scale_max)]
        if value is not None and cannot:
            problems["cannot_rate"] = [_("Give a rating or choose “cannot rate”, not both.")]
        if cannot and not rule.allows_cannot_rate:
            problems["cannot_rate"] = [_("This survey does not allow “cannot rate”.")]
        if len(rating.get("rationale") or "") > MAX_RATIONALE:
            problems["rationale"] = [_("Keep the rationale under %(n)d characters.", n=MAX_RATIONALE)]
        elif "\x00" in (rating.get("rationale") or ""):
            problems["rationale"] = [_("This text contains a character that is not allowed (NUL).")]
        if problems:
            errors[str(index)] = problems
        else:
            by_item[item_id] = rating
    if errors:
        raise ValidationError(_("Some ratings are not valid; nothing was saved."), errors={"ratings": errors})
    return by_item


def save_response(
    round_: DelphiRound,
    *,
    actor: User,
    ratings: list[dict],
    submit: bool = False,
    language: str | None = None,
    now: datetime | None = None,
) -> DelphiResponse:
    """Save ratings (a partial draft is fine); `submit` requires every item of the round answered.

    The response records the language it was answered in (`language`, default the request's): the one of
    the latest save, since that is the wording the panellist last read and confirmed.

    After submission answers may still change until the round closes, but none may be left blank.
    Refusals (not on the panel, not open, bad ratings) raise before anything changes.
    """
    now = now or utcnow()
    _lock_membership(round_, actor)
    _check_open(round_, now)
    by_item = _validate(round_, ratings)
    response = db.session.scalar(
        sa.select(DelphiResponse).where(DelphiResponse.round_id == round_.id, DelphiResponse.panellist_id == actor.id)
    )
    if response is None:
        response = DelphiResponse(round_id=round_.id, panellist_id=actor.id, created_at=now)
        db.session.add(response)
        db.session.flush()
    existing = ratings_of(response.id)
    for item_id, data in by_item.items():
        rating = existing.get(item_id)
        if rating is None:
            rating = existing[item_id] = DelphiRating(
                round_id=round_.id, item_id=item_id, panellist_id=actor.id, response_id=response.id
            )
            db.session.add(rating)
        rating.value = data.get("value")
        rating.is_cannot_rate = bool(data.get("cannot_rate"))
        rating.rationale = (data.get("rationale") or "").strip()
        rating.updated_at = now
    if submit or response.is_submitted:
        missing = [
            ri.item_id
            for ri in round_.round_items
            if ri.item_id not in existing
            or (existing[ri.item_id].value is None and not existing[ri.item_id].is_cannot_rate)
        ]
        if missing:
            raise ValidationError(
                _("Rate every item (or choose “cannot rate”) before submitting; nothing was saved."),
                errors={"ratings": {"missing_item_ids": [str(i) for i in missing]}},
            )
    if submit and not response.is_submitted:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
        # The groups this response counts in, as they are now: a later profile change moves no figure.
        response.region_group, response.category = actor.region_group, actor.category
    response.updated_at = now
    response.language = language_code(language) if language else current_language()
    db.session.flush()
    return response


def my_response(round_: DelphiRound, actor: User) -> tuple[DelphiResponse | None, dict[int, DelphiRating]]:
    """The actor's own response and ratings (item id → rating). Only ever called for the actor themself."""
    response = db.session.scalar(
        sa.select(DelphiResponse).where(DelphiResponse.round_id == round_.id, DelphiResponse.panellist_id == actor.id)
    )
    if response is None:
        return None, {}
    return response, ratings_of(response.id)


def ratings_of(response_id: int) -> dict[int, DelphiRating]:
    """A response's ratings by item id, found by the response (indexed; the ratings' own index leads with
    the round and item, so a search by round and panellist would read the whole round)."""
    rows = db.session.scalars(sa.select(DelphiRating).where(DelphiRating.response_id == response_id))
    return {rating.item_id: rating for rating in rows}
