"""Pages for leads and coordinators: set-up, round control, next-round preparation, results, methods report."""

import io
from datetime import datetime

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engage.auth.models import User
from engage.auth.services import normalise_email
from engage.auth.templating import viewer_zone
from engage.delphi import disclosure, schemas, services
from engage.delphi import pdf as delphi_pdf
from engage.delphi.labels import delphi_group_label
from engage.delphi.loaders import ensure_snapshots, managed_round, managed_survey, survey_item
from engage.delphi.models import ORIGIN_LABELS, DelphiPanelMember
from engage.delphi.services.results import group_keys, require_round_closed
from engage.delphi.views import bp
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.forms import domain_errors, load_form
from engage.links import external_url
from engage.timeutil import localize, utcnow
from engage.workshops import services as workshop_services
from engage.workshops.permissions import can_manage_working_group


def _back(survey_id: int, anchor: str = ""):
    return redirect(url_for("delphi.manage", survey_id=survey_id) + anchor)


def _act(survey_id: int, action, done: str, anchor: str = "", *, name_fields: bool = True):
    """Run one service call; commit and confirm, or roll back and show why. Back to the survey page.

    `name_fields=False` when the service's messages already say where they belong (CSV rows).
    """
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        for field, messages in domain_errors(exc).items():
            for message in messages if isinstance(messages, list) else [str(messages)]:
                flash(message if field == "_schema" or not name_fields else f"{field}: {message}", "error")
        return _back(survey_id, anchor)
    db.session.commit()
    flash(done(result) if callable(done) else done)
    return _back(survey_id, anchor)


def _form_errors_to_domain(errors: dict) -> DomainError:
    return DomainError(_("Some fields are not valid."), errors=errors, status=422)


@bp.route("/manage/delphi/surveys/new", methods=["GET", "POST"])
@login_required
def create_survey():
    groups = [
        g
        for g in db.session.scalars(workshop_services.working_groups_query())
        if can_manage_working_group(current_user, g.id)
    ]
    if not groups:
        raise PermissionDenied(_("Only working-group leads and coordinators can create Delphi surveys."))
    errors = {}
    if request.method == "POST":
        data, errors = load_form(schemas.SurveyInputSchema())
        group = next((g for g in groups if data and g.id == data["working_group_id"]), None)
        if not errors and group is not None:
            survey = services.create_survey(group, actor=current_user, data=data)
            db.session.commit()
            return redirect(url_for("delphi.manage", survey_id=survey.id))
        errors = errors or {"working_group_id": [_("Choose a working group you lead.")]}
    return render_template("delphi/new.html", groups=groups, errors=errors, values=request.form), 422 if errors else 200


@bp.get("/manage/delphi/surveys/<int:survey_id>")
@login_required
def manage(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    panel = db.session.scalars(
        sa.select(DelphiPanelMember).where(
            DelphiPanelMember.survey_id == survey.id, DelphiPanelMember.removed_at.is_(None)
        )
    ).all()
    now = utcnow()
    not_submitted = {r.id: services.not_submitted(r) for r in survey.rounds if r.has_opened(now)}
    consensus = {r.id: services.consensus_summary(r, now=now) for r in survey.rounds if r.is_closed(now)}
    return render_template(
        "delphi/manage.html",
        survey=survey,
        rule=survey.rule,
        panel=panel,
        now=now,
        not_submitted=not_submitted,
        consensus=consensus,
        origins=ORIGIN_LABELS,
        zone=viewer_zone(),
        disclosure_statement=disclosure.statement(survey.disclosure_mode),
    )


@bp.post("/manage/delphi/surveys/<int:survey_id>/disclosure")
@login_required
def set_disclosure(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    data, errors = load_form(schemas.DisclosureInputSchema())

    def change():
        if errors:
            raise _form_errors_to_domain(errors)
        return services.set_disclosure_mode(survey, actor=current_user, mode=data["disclosure_mode"])

    return _act(survey_id, change, _("Saved: what the survey publishes."), "#disclosure")


def _numbers(name: str) -> list[str]:
    return [part.strip() for part in request.form.get(name, "").replace(";", ",").split(",") if part.strip()]


@bp.post("/manage/delphi/surveys/<int:survey_id>/rule")
@login_required
def update_rule(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    raw = {
        k: request.form[k]
        for k in ("scale_min", "scale_max", "threshold_percent", "min_valid_ratings", "rounds_planned")
        if request.form.get(k)
    }
    raw |= {
        "agreeing_values": _numbers("agreeing_values"),
        "disagreeing_values": _numbers("disagreeing_values"),
        "veto_max_percent": request.form.get("veto_max_percent") or None,
        "allows_cannot_rate": request.form.get("allows_cannot_rate") == "1",
    }
    labels = [line.strip() for line in request.form.get("scale_labels", "").splitlines() if line.strip()]
    if labels:
        raw["scale_labels"] = labels
    if "scale_labels_zh" in request.form:
        labels_zh = [line.strip() for line in request.form["scale_labels_zh"].splitlines() if line.strip()]
        raw["scale_labels_zh"] = labels_zh or None
    data, errors = load_form(schemas.RuleInputSchema(), raw)

    def change():
        if errors:
            raise _form_errors_to_domain(errors)
        return services.update_rule(survey, actor=current_user, data=data)

    return _act(survey_id, change, _("Consensus rule saved."), "#rule")


@bp.post("/manage/delphi/surveys/<int:survey_id>/items")
@login_required
def add_item(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    raw = {
        k: v
        for k, v in request.form.items()
        if k in ("text", "text_zh", "explanation", "explanation_zh", "origin", "reason") and v
    }
    raw["sub_topic_ids"] = request.form.getlist("sub_topic_ids")
    data, errors = load_form(schemas.ItemInputSchema(), raw)

    def add():
        if errors:
            raise _form_errors_to_domain(errors)
        return services.add_item(survey, actor=current_user, data=data, reason=data.pop("reason"))

    return _act(survey_id, add, _("Item added."), "#items")


@bp.post("/manage/delphi/surveys/<int:survey_id>/items/<int:item_id>")
@login_required
def edit_item(survey_id: int, item_id: int):
    """The wording of an item in both languages, side by side (until round 1 opens)."""
    survey = managed_survey(survey_id, current_user)
    item = survey_item(survey, item_id)
    raw = {k: request.form[k] for k in ("text", "text_zh", "explanation", "explanation_zh") if k in request.form}
    data, errors = load_form(schemas.ItemUpdateSchema(), raw)

    def change():
        if errors:
            raise _form_errors_to_domain(errors)
        return services.edit_item(item, actor=current_user, data=data)

    return _act(survey_id, change, _("Item saved."), "#items")


@bp.post("/manage/delphi/surveys/<int:survey_id>/items/import")
@login_required
def import_items(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    upload = request.files.get("file")
    text = upload.read().decode("utf-8", errors="replace") if upload else ""
    return _act(
        survey_id,
        lambda: services.import_items_csv(survey, actor=current_user, text=text),
        lambda items: _("%(n)d items imported.", n=len(items)),
        "#items",
        name_fields=False,
    )


@bp.post("/manage/delphi/surveys/<int:survey_id>/panel")
@login_required
def add_to_panel(survey_id: int):
    """By e-mail: an existing account joins the panel; anyone else gets an invitation link to sign up."""
    survey = managed_survey(survey_id, current_user)
    email = normalise_email(request.form.get("email", ""))
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        return _act(
            survey_id,
            lambda: services.add_panellists(survey, actor=current_user, user_ids=[user.id]),
            _("%(name)s is on the panel.", name=user.display_name),
            "#panel",
        )
    return _act(
        survey_id,
        lambda: services.invite_to_panel(survey, actor=current_user, email=email),
        lambda result: _(
            "Invitation created. Send this sign-up link to %(email)s: %(url)s",
            email=email,
            url=external_url("auth.signup", token=result[1]),
        ),
        "#panel",
    )


@bp.post("/manage/delphi/surveys/<int:survey_id>/panel/<int:user_id>/remove")
@login_required
def remove_from_panel(survey_id: int, user_id: int):
    survey = managed_survey(survey_id, current_user)
    return _act(
        survey_id,
        lambda: services.remove_panellist(survey, actor=current_user, user_id=user_id),
        _("Removed from the panel."),
        "#panel",
    )


def _local_time(name: str, zone: str) -> datetime:
    try:
        return localize(datetime.fromisoformat(request.form.get(name, "")), zone)
    except ValueError as exc:
        raise DomainError(
            _("Some fields are not valid."), status=422, errors={name: [_("Enter a date and time.")]}
        ) from exc


@bp.post("/manage/delphi/surveys/<int:survey_id>/rounds")
@login_required
def schedule_round(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    zone = viewer_zone()
    return _act(
        survey_id,
        lambda: services.schedule_round(
            survey, actor=current_user, opens_at=_local_time("opens_at", zone), closes_at=_local_time("closes_at", zone)
        ),
        lambda r: _("Round %(n)d scheduled.", n=r.number),
        "#rounds",
    )


@bp.post("/manage/delphi/rounds/<int:round_id>/close")
@login_required
def close_round(round_id: int):
    round_ = managed_round(round_id, current_user)
    return _act(
        round_.survey_id,
        lambda: services.close_round(round_, actor=current_user),
        _("Round %(n)d closed.", n=round_.number),
        "#rounds",
    )


@bp.post("/manage/delphi/rounds/<int:round_id>/items/<int:item_id>/reword")
@login_required
def reword_item(round_id: int, item_id: int):
    round_ = managed_round(round_id, current_user)
    return _act(
        round_.survey_id,
        lambda: services.reword_item(
            round_,
            item_id,
            actor=current_user,
            text=request.form.get("text", ""),
            text_zh=request.form.get("text_zh"),
            reason=request.form.get("reason"),
        ),
        _("Item reworded; both wordings are kept."),
        "#next-round",
    )


@bp.post("/manage/delphi/rounds/<int:round_id>/items/<int:item_id>/drop")
@login_required
def drop_item(round_id: int, item_id: int):
    round_ = managed_round(round_id, current_user)
    return _act(
        round_.survey_id,
        lambda: services.drop_item(round_, item_id, actor=current_user, reason=request.form.get("reason")),
        _("Item dropped from round %(n)d.", n=round_.number),
        "#next-round",
    )


@bp.post("/manage/delphi/rounds/<int:round_id>/merge")
@login_required
def merge_items(round_id: int):
    round_ = managed_round(round_id, current_user)
    item_ids = [int(v) for v in request.form.getlist("item_ids") if v.isdigit() and len(v) < 10]
    return _act(
        round_.survey_id,
        lambda: services.merge_items(
            round_,
            item_ids,
            actor=current_user,
            text=request.form.get("text", ""),
            text_zh=request.form.get("text_zh", ""),
            reason=request.form.get("reason"),
        ),
        _("Items merged into one."),
        "#next-round",
    )


@bp.post("/manage/delphi/surveys/<int:survey_id>/finalise")
@login_required
def finalise(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    return _act(
        survey_id,
        lambda: services.finalise_survey(survey, actor=current_user),
        lambda priorities: _("Survey finalised: %(n)d priorities.", n=len(priorities)),
    )


@bp.get("/manage/delphi/rounds/<int:round_id>/results")
@login_required
def results(round_id: int):
    round_ = managed_round(round_id, current_user)
    require_round_closed(round_, utcnow())
    ensure_snapshots([round_])
    stability = services.stability(round_) if round_.number > 1 else []
    return render_template(
        "delphi/results.html",
        round=round_,
        results=services.round_results(round_),
        groups=group_keys(),
        group_label=delphi_group_label,
        stability={row["item_id"]: row for row in stability},
    )


@bp.get("/manage/delphi/surveys/<int:survey_id>/methods")
@login_required
def methods_report(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    ensure_snapshots(survey.rounds)
    return render_template(
        "delphi/methods.html",
        report=services.methods_report(survey),
        groups=group_keys(),
        group_label=delphi_group_label,
    )


@bp.get("/manage/delphi/surveys/<int:survey_id>/methods.pdf")
@login_required
def methods_report_pdf(survey_id: int):
    survey = managed_survey(survey_id, current_user)
    ensure_snapshots(survey.rounds)
    return send_file(
        io.BytesIO(delphi_pdf.methods_report_pdf(survey)),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"delphi-methods-report-{survey.id}.pdf",
    )
