"""Pages for panellists: my surveys, and the rating page of a round (with round-1 feedback in round 2)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.delphi import disclosure, services
from engage.delphi.loaders import ensure_snapshots, visible_round
from engage.delphi.permissions import can_manage_survey, is_panellist
from engage.delphi.queries import visible_surveys_query
from engage.delphi.views import bp
from engage.errors import DomainError, NotFound
from engage.extensions import db
from engage.forms import domain_errors
from engage.timeutil import utcnow


@bp.get("/delphi")
@login_required
def my_surveys():
    surveys = db.session.scalars(visible_surveys_query(current_user)).all()
    return render_template(
        "delphi/surveys.html", surveys=surveys, now=utcnow(), can_manage=lambda s: can_manage_survey(current_user, s)
    )


def _ratings_from_form(round_) -> list[dict]:
    """One rating per item the person touched: radio `value-<id>` (a number or "cannot"), `rationale-<id>`."""
    ratings = []
    for round_item in round_.round_items:
        raw = request.form.get(f"value-{round_item.item_id}", "").strip()
        rationale = request.form.get(f"rationale-{round_item.item_id}", "")
        if not raw and not rationale.strip():
            continue
        rating = {"item_id": round_item.item_id, "rationale": rationale, "cannot_rate": raw == "cannot"}
        if raw and raw != "cannot":
            rating["value"] = int(raw) if raw.lstrip("-").isdigit() and len(raw) < 6 else 10**6
        ratings.append(rating)
    return ratings


def _item_errors(errors: dict, ratings: list[dict]) -> dict[int, list[str]]:
    """The service names bad ratings by their index in the list sent; the page shows them by item."""
    by_index = errors.get("ratings", {})
    return {
        ratings[int(k)]["item_id"]: [m for messages in v.values() for m in messages]
        for k, v in by_index.items()
        if k.isdigit() and int(k) < len(ratings)
    }


def _page(round_, *, errors=None, item_errors=None, posted=None, status=200):
    response, ratings = services.my_response(round_, current_user)
    return render_template(
        "delphi/rate.html",
        round=round_,
        rule=round_.survey.rule,
        response=response,
        ratings=ratings,
        feedback=services.feedback_for(round_, current_user),
        disclosure_statement=disclosure.statement(round_.survey.disclosure_mode),
        now=utcnow(),
        errors=errors or {},
        item_errors=item_errors or {},
        posted=posted,
    ), status


@bp.get("/delphi/rounds/<int:round_id>")
@login_required
def rate(round_id: int):
    round_ = visible_round(round_id, current_user)
    if not is_panellist(round_.survey, current_user) or not round_.has_opened(utcnow()):
        raise NotFound(_("There is no round for you to answer here."))
    ensure_snapshots(round_.survey.rounds)
    return _page(round_)


@bp.post("/delphi/rounds/<int:round_id>")
@login_required
def save(round_id: int):
    round_ = visible_round(round_id, current_user)
    submit, ratings = request.form.get("action") == "submit", _ratings_from_form(round_)
    try:
        services.save_response(round_, actor=current_user, ratings=ratings, submit=submit)
    except DomainError as exc:
        db.session.rollback()
        errors = domain_errors(exc)
        return _page(
            round_, errors=errors, item_errors=_item_errors(errors, ratings), posted=request.form, status=exc.status
        )
    db.session.commit()
    flash(
        _("Your answers are submitted. You can change them until the round closes.")
        if submit
        else _("Draft saved. Come back any time before the round closes.")
    )
    return redirect(url_for("delphi.rate", round_id=round_id))
