from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404, page_listing
from engage.consultations import schemas, services
from engage.consultations.models import Audience, Consultation
from engage.errors import DomainError, NotFound, PermissionDenied
from engage.extensions import db
from engage.forms import domain_errors, submit_form
from engage.participation.models import Comment
from engage.participation.services import comment_edit_window
from engage.timeutil import utcnow
from engage.workshops.models import Pillar, WorkingGroup

bp = Blueprint("consultations", __name__)


def _visible(consultation_id: int) -> Consultation:
    consultation = get_or_404(Consultation, consultation_id, _("Consultation not found."))
    if not services.can_view(current_user, consultation):
        # Whether an invite-only consultation exists is itself private.
        raise NotFound(_("Consultation not found."))
    return consultation


def _manageable_groups() -> list[WorkingGroup]:
    if current_user.is_coordinator:
        return db.session.scalars(db.select(WorkingGroup).order_by(WorkingGroup.id)).all()
    return sorted(current_user.led_working_groups, key=lambda g: g.id)


@bp.get("/consultations")
@login_required
def list_consultations():
    """The consultations the person is invited to or organises."""
    listing = page_listing(services.visible_query(current_user))
    return render_template(
        "consultations/list.html", listing=listing, now=utcnow(), can_create=bool(_manageable_groups())
    )


def _render_detail(
    consultation: Consultation,
    *,
    draft: str = "",
    errors: list | None = None,
    response_errors: list | None = None,
    status: int = 200,
):
    now = utcnow()
    return render_template(
        "consultations/detail.html",
        consultation=consultation,
        state=consultation.state(now),
        comments=db.session.scalars(services.comments_query(consultation)).all(),
        can_comment=services.is_in_audience(current_user, consultation),
        can_manage=services.can_manage(current_user, consultation),
        response=services.response_of(consultation),
        edit_window=comment_edit_window(),
        now=now,
        comment_draft=draft,
        comment_errors=errors or [],
        response_errors=response_errors or [],
    ), status


@bp.get("/consultations/<int:consultation_id>")
@login_required
def detail(consultation_id: int):
    return _render_detail(_visible(consultation_id))


def _messages(exc: DomainError) -> list[str]:
    return [m for messages in domain_errors(exc).values() for m in messages]


@bp.post("/consultations/<int:consultation_id>/comments")
@login_required
def add_comment(consultation_id: int):
    consultation = _visible(consultation_id)
    body = request.form.get("body", "")
    try:
        services.add_comment(consultation, actor=current_user, body=body)
    except DomainError as exc:
        # The page again with the text as typed: nothing is lost.
        db.session.rollback()
        return _render_detail(consultation, draft=body, errors=_messages(exc), status=exc.status)
    db.session.commit()
    return redirect(url_for("consultations.detail", consultation_id=consultation_id) + "#comments")


def _own_comment(consultation_id: int, comment_id: int) -> Comment:
    _visible(consultation_id)
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.consultation_id != consultation_id or not comment.is_visible:
        raise NotFound(_("Comment not found."))
    return comment


def _comment_action(consultation_id: int, action):
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        for message in _messages(exc):
            flash(message, "error")
    else:
        db.session.commit()
    return redirect(url_for("consultations.detail", consultation_id=consultation_id) + "#comments")


@bp.post("/consultations/<int:consultation_id>/comments/<int:comment_id>/edit")
@login_required
def edit_comment(consultation_id: int, comment_id: int):
    comment = _own_comment(consultation_id, comment_id)
    body = request.form.get("body", "")
    return _comment_action(consultation_id, lambda: services.edit_comment(comment, actor=current_user, body=body))


@bp.post("/consultations/<int:consultation_id>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(consultation_id: int, comment_id: int):
    comment = _own_comment(consultation_id, comment_id)
    return _comment_action(consultation_id, lambda: services.delete_comment(comment, actor=current_user))


@bp.post("/consultations/<int:consultation_id>/response")
@login_required
def publish_response(consultation_id: int):
    consultation = _visible(consultation_id)
    try:
        services.publish_response(consultation, actor=current_user, body=request.form.get("body", ""))
    except PermissionDenied:
        raise
    except DomainError as exc:
        db.session.rollback()
        return _render_detail(consultation, response_errors=_messages(exc), status=exc.status)
    db.session.commit()
    flash(_("Response published."))
    return redirect(url_for("consultations.detail", consultation_id=consultation_id) + "#response")


def _form_data() -> dict:
    """The posted form as the API's input: blank fields left out, lists split, references typed."""
    form = request.form
    data = {
        k: form[k]
        for k in (
            "title",
            "title_zh",
            "body",
            "body_zh",
            "timezone",
            "opens_at",
            "closes_at",
            "audience",
            "working_group_id",
        )
        if form.get(k, "").strip()
    }
    if form.get("user_ids", "").strip():
        data["user_ids"] = [part.strip() for part in form["user_ids"].replace(";", ",").split(",") if part.strip()]
    references = []
    if form.get("ref_roadmap"):
        references.append({"kind": "roadmap"})
    for pillar_id in form.getlist("ref_pillar_ids"):
        references.append({"kind": "priority_list", "pillar_id": pillar_id})
    if form.get("ref_minutes_id", "").strip():
        references.append({"kind": "minutes", "minutes_id": form["ref_minutes_id"].strip()})
    if references:
        data["references"] = references
    return data


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def create():
    """The owner form: a lead for their working group, or a coordinator."""
    groups = _manageable_groups()
    if not groups:
        abort(403)
    errors, values = {}, request.form
    if request.method == "POST":
        consultation, errors = submit_form(
            schemas.ConsultationCreateSchema(),
            lambda data: services.create_consultation(actor=current_user, data=data),
            _form_data(),
        )
        if not errors:
            flash(_("Consultation saved. It opens and closes on its own at the times given."))
            return redirect(url_for("consultations.detail", consultation_id=consultation.id))
    pillars = db.session.scalars(db.select(Pillar).order_by(Pillar.number)).all()
    return render_template(
        "consultations/form.html",
        groups=groups,
        pillars=pillars,
        errors=errors,
        values=values,
        audiences=list(Audience),
    ), 422 if errors else 200
