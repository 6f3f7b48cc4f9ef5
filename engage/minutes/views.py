from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.apiutil import get_or_404
from engage.errors import DomainError, NotFound, PermissionDenied
from engage.extensions import db
from engage.forms import domain_errors
from engage.minutes import exports, services
from engage.minutes.models import Minutes
from engage.minutes.pdf import action_status_label, version_pdf_key
from engage.minutes.permissions import can_comment, can_edit, can_manage, can_read_current, can_read_version
from engage.priorities.models import Priority
from engage.roadmap.services import actions_for_priority
from engage.storage import send_object
from engage.timeutil import localize, utcnow
from engage.workshops.models import Workshop
from engage.workshops.services import working_groups_query

bp = Blueprint("minutes", __name__)
bp.context_processor(lambda: {"action_status_label": action_status_label})


def _minutes(workshop_id: int) -> Minutes:
    minutes = services.minutes_of(get_or_404(Workshop, workshop_id))
    if minutes is None:
        raise NotFound(_("This workshop has no minutes yet."))
    return minutes


def _back(workshop_id: int, ok: bool = True):
    """After a change: back to the minutes; after a refused one, the page again with the reasons (422)."""
    if ok:
        return redirect(url_for("minutes.show", workshop_id=workshop_id), 303)
    return show(workshop_id), 422


def _run(action, success: str) -> bool:
    """Run a service, commit and flash; on a refused action roll back and flash why."""
    try:
        action()
    except (PermissionDenied, NotFound):
        db.session.rollback()
        raise
    except DomainError as exc:
        db.session.rollback()
        for messages in domain_errors(exc).values():
            for message in messages:
                flash(message, "error")
        return False
    db.session.commit()
    flash(success)
    return True


@bp.app_context_processor
def _minutes_helpers():
    """The workshop page (a lower feature) links the minutes only when this viewer may open them."""

    def minutes_visible(workshop: Workshop) -> bool:
        if can_manage(current_user, workshop):
            return True
        minutes = services.minutes_of(workshop)
        return minutes is not None and (
            minutes.published_version is not None or can_read_current(current_user, minutes)
        )

    return {"minutes_visible": minutes_visible}


@bp.get("/workshops/<int:workshop_id>/minutes")
def show(workshop_id: int):
    """The current text for editors and participants, else the published version, else 404."""
    workshop = get_or_404(Workshop, workshop_id)
    minutes = services.minutes_of(workshop)
    if minutes is None and not can_manage(current_user, workshop):
        raise NotFound(_("This workshop has no minutes yet."))
    if minutes is not None and not can_read_current(current_user, minutes):
        if minutes.published_version is None:
            raise NotFound(_("This workshop has no minutes yet."))
        return redirect(url_for("minutes.version", workshop_id=workshop_id, number=minutes.published_version_number))
    comments = db.session.scalars(services.comments_query(minutes)).all() if minutes else []
    return render_template(
        "minutes/show.html",
        workshop=workshop,
        minutes=minutes,
        comments=comments,
        now=utcnow(),
        can_edit=minutes is not None and can_edit(current_user, minutes),
        can_manage=can_manage(current_user, workshop),
        can_comment=minutes is not None and can_comment(current_user, minutes),
        readable_versions=[
            v for v in (minutes.versions if minutes else []) if can_read_version(current_user, minutes, v.number)
        ],
    )


@bp.post("/workshops/<int:workshop_id>/minutes/start")
@login_required
def start(workshop_id: int):
    workshop = get_or_404(Workshop, workshop_id)
    if _run(lambda: services.start_minutes(workshop, actor=current_user), _("Draft minutes started.")):
        return redirect(url_for("minutes.edit", workshop_id=workshop_id), 303)
    return _back(workshop_id, False)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _action_from_line(line: str) -> dict:
    """`description | owner | YYYY-MM-DD | status`, the last three optional."""
    description, owner, due_on, status = ([part.strip() for part in line.split("|", 3)] + ["", "", ""])[:4]
    return {"description": description, "owner": owner, "due_on": due_on or None, "status": status or None}


def _posted_document() -> dict:
    sections = []
    count = request.form.get("section_count", "")
    for i in range(int(count) if count.isdigit() and len(count) < 4 else 0):
        agenda = request.form.get(f"agenda-{i}", "")
        sections.append(
            {
                "agenda_item_id": int(agenda) if agenda.isdigit() and len(agenda) < 10 else None,
                "title": request.form.get(f"title-{i}", ""),
                "discussion": request.form.get(f"discussion-{i}", ""),
                "decisions": [{"text": line} for line in _lines(request.form.get(f"decisions-{i}", ""))],
                "actions": [_action_from_line(line) for line in _lines(request.form.get(f"actions-{i}", ""))],
            }
        )
    revision = request.form.get("revision", "")
    return {
        "sections": sections[: services.MAX_SECTIONS + 1],
        "revision": int(revision) if revision.isdigit() and len(revision) < 10 else None,
    }


@bp.route("/workshops/<int:workshop_id>/minutes/edit", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    """The editor of draft minutes (lead and note-takers). Unknown [[P-n]] references come back as errors."""
    minutes = _minutes(workshop_id)
    if not can_edit(current_user, minutes):
        abort(403)
    errors = {}
    if request.method == "POST":
        try:
            services.save_minutes(minutes, actor=current_user, data=_posted_document())
        except DomainError as exc:
            db.session.rollback()
            errors = domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Minutes saved."))
            return _back(workshop_id)
    return render_template(
        "minutes/edit.html",
        minutes=_minutes(workshop_id) if errors else minutes,
        workshop=minutes.workshop,
        errors=errors,
        posted=_posted_document() if errors else None,
    ), 422 if errors else 200


def _circulate(minutes: Minutes):
    """The deadline is typed as a wall-clock time in the workshop's zone."""
    try:
        typed = datetime.fromisoformat(request.form.get("comment_deadline_at", ""))
        deadline = localize(typed, minutes.workshop.timezone)
    except (ValueError, OverflowError):
        raise DomainError(
            _("Some fields are not valid."),
            status=422,
            errors={"comment_deadline_at": [_("Choose the date and time comments close.")]},
        ) from None
    return services.circulate(minutes, actor=current_user, deadline=deadline)


def _transitions() -> dict:
    return {
        "circulate": (_circulate, _("Minutes circulated for comment.")),
        "approve": (
            lambda m: services.approve(m, actor=current_user, change_note=request.form.get("change_note", "")),
            _("Minutes approved as a new version."),
        ),
        "publish": (lambda m: services.publish(m, actor=current_user), _("Minutes published.")),
        "correct": (
            lambda m: services.start_correction(m, actor=current_user),
            _("Minutes reopened as a draft for correction."),
        ),
    }


@bp.post("/workshops/<int:workshop_id>/minutes/<any(circulate, approve, publish, correct):transition>")
@login_required
def transition(workshop_id: int, transition: str):
    """A lifecycle step; the service checks the permission and the current status, and audits it."""
    minutes = _minutes(workshop_id)
    if not can_read_current(current_user, minutes):
        raise NotFound(_("This workshop has no minutes yet."))
    step, done = _transitions()[transition]
    return _back(workshop_id, _run(lambda: step(minutes), done))


@bp.post("/workshops/<int:workshop_id>/minutes/comments")
@login_required
def comment(workshop_id: int):
    minutes = _minutes(workshop_id)
    if not can_read_current(current_user, minutes):
        raise NotFound(_("This workshop has no minutes yet."))
    section = request.form.get("section_id", "")
    section_id = int(section) if section.isdigit() and len(section) < 10 else None
    ok = _run(
        lambda: services.add_comment(
            minutes, actor=current_user, body=request.form.get("body", ""), section_id=section_id
        ),
        _("Comment added."),
    )
    return _back(workshop_id, ok)


@bp.post("/workshops/<int:workshop_id>/minutes/editors")
@login_required
def editors(workshop_id: int):
    minutes = _minutes(workshop_id)
    ids = [int(v) for v in request.form.getlist("user_ids") if v.isdigit() and len(v) < 10]
    return _back(
        workshop_id,
        _run(lambda: services.set_editors(minutes, actor=current_user, user_ids=ids), _("Note-takers saved.")),
    )


def _readable_version(workshop_id: int, number: int):
    minutes = _minutes(workshop_id)
    if not can_read_version(current_user, minutes, number):
        raise NotFound(_("Version not found."))
    return minutes, services.version_of(minutes, number)


@bp.get("/workshops/<int:workshop_id>/minutes/versions/<int:number>")
def version(workshop_id: int, number: int):
    minutes, frozen = _readable_version(workshop_id, number)
    return render_template(
        "minutes/version.html",
        minutes=minutes,
        version=frozen,
        workshop=minutes.workshop,
        readable_versions=[v for v in minutes.versions if can_read_version(current_user, minutes, v.number)],
    )


@bp.get("/workshops/<int:workshop_id>/minutes/versions/<int:number>/pdf")
def version_pdf_download(workshop_id: int, number: int):
    _minutes_, frozen = _readable_version(workshop_id, number)
    return send_object(version_pdf_key(frozen), download_name=f"minutes-{workshop_id}-v{number}.pdf")


@bp.get("/priorities/<int:priority_id>/trace")
@login_required
def priority_trace(priority_id: int):
    """A priority's traceability: its consensus, the minutes that discuss it, the roadmap actions it fed."""
    priority = get_or_404(Priority, priority_id, _("Priority not found."))
    return render_template(
        "minutes/priority_trace.html",
        priority=priority,
        links=services.links_to_priority(priority, current_user),
        actions=actions_for_priority(priority),
    )


@bp.route("/minutes/exports", methods=["GET", "POST"])
@login_required
def export_page():
    """Compiled minutes PDFs: ask for one, watch its progress, download it until it expires."""
    if request.method == "POST":
        group = request.form.get("working_group_id", "")
        if _run(
            lambda: exports.request_export(
                actor=current_user,
                working_group_id=int(group) if group.isdigit() and len(group) < 10 else None,
                locale=str(get_locale()),
            ),
            _("Export queued. This page shows its progress."),
        ):
            return redirect(url_for("minutes.export_page"), 303)
    groups = [g for g in db.session.scalars(working_groups_query()).all() if exports.can_export(current_user, g.id)]
    jobs = db.session.scalars(exports.exports_query(current_user)).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "minutes/exports.html",
        groups=groups,
        jobs=jobs,
        now=utcnow(),
        can_export_all=exports.can_export(current_user, None),
    ), status


@bp.get("/minutes/exports/<int:export_id>/download")
@login_required
def export_download(export_id: int):
    key = exports.export_file(exports.export_for(export_id, current_user))
    return send_object(key, download_name=f"minutes-{export_id}.pdf")
