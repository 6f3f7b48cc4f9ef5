import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from engage.apiutil import get_or_404
from engage.errors import DomainError, PermissionDenied
from engage.extensions import db
from engage.forms import domain_errors, submit_form
from engage.indicators import charts, schemas, scopes, services
from engage.indicators.dashboard import dashboard as dashboard_tiles
from engage.indicators.models import Direction, Indicator, Unit
from engage.indicators.status import Spec, format_value
from engage.reports.layout import pdf_from_template
from engage.timeutil import utcnow

bp = Blueprint("indicators", __name__)


@bp.app_context_processor
def _indicator_helpers():
    """Templates of other features (the priority trace page) list the indicators of roadmap actions."""
    return {"indicators_of_actions": services.indicators_for_actions}


def _chart(indicator: Indicator, *, small: bool = False) -> Markup:
    series = services.series(indicator)
    labels = {scope: scopes.scope_label(scope) for scope in series}
    if small:
        return Markup(charts.sparkline(Spec.of(indicator), series, labels=labels))
    return Markup(charts.indicator_chart(Spec.of(indicator), series, labels=labels))


def _page(indicator: Indicator, errors: dict | None = None, values=None):
    return render_template(
        "indicators/indicator.html",
        indicator=indicator,
        status=services.indicator_status(indicator, today=utcnow().date()),
        chart=_chart(indicator),
        scope_label=scopes.scope_label,
        fmt=lambda value: format_value(value, indicator.unit, indicator.currency_code),
        errors=errors or {},
        values=values,
    ), 422 if errors else 200


@bp.get("/indicators/<int:indicator_id>")
def indicator(indicator_id: int):
    """An indicator with its roadmap action and priorities, chart, measurements and status (public)."""
    return _page(get_or_404(Indicator, indicator_id, _("Indicator not found.")))


@bp.post("/indicators/<int:indicator_id>/measurements")
@login_required
def add_measurement(indicator_id: int):
    item = get_or_404(Indicator, indicator_id, _("Indicator not found."))
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change indicators and measurements."))
    _saved, errors = submit_form(
        schemas.MeasurementInputSchema(),
        lambda data: services.add_measurement(item, actor=current_user, data=data),
    )
    if errors:
        return _page(item, errors, request.form)
    flash(_("Measurement added."))
    return redirect(url_for("indicators.indicator", indicator_id=item.id), 303)


def _scorecard_context() -> dict:
    today = utcnow().date()
    pillars = services.scorecard(today=today)
    sparks = {
        entry["indicator"].id: _chart(entry["indicator"], small=True)
        for block in pillars
        for action in block["actions"]
        for entry in action["indicators"]
    }
    return {"pillars": pillars, "sparks": sparks, "today": today}


@bp.get("/scorecard")
def scorecard():
    """Per pillar and action, its indicators with status badges and sparklines (public)."""
    return render_template("indicators/scorecard.html", **_scorecard_context())


@bp.get("/scorecard.pdf")
def scorecard_pdf():
    title = _("Roadmap scorecard")
    pdf = pdf_from_template(
        "indicators/scorecard_pdf.html", title=title, header_text=title, footer_text=title, **_scorecard_context()
    )
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name="scorecard.pdf")


@bp.get("/dashboard")
@login_required
def dashboard():
    """The coordinator's consortium at a glance."""
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only coordinators see the dashboard."))
    return render_template("indicators/dashboard.html", **dashboard_tiles(actor=current_user, now=utcnow()))


_INDICATOR_FIELDS = (
    "roadmap_action_id", "name", "name_zh", "definition", "definition_zh", "unit", "currency_code",
    "direction", "baseline_low", "baseline_high", "baseline_on", "target_value", "target_on", "scope", "tolerance",
    "data_source", "owner",
)  # fmt: skip


_BILINGUAL_FIELDS = ("name", "name_zh", "definition", "definition_zh")


@bp.route("/indicators/new", methods=["GET", "POST"])
@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit(indicator_id: int | None = None):
    """Define or change an indicator on a roadmap action (coordinators)."""
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change indicators and measurements."))
    item = get_or_404(Indicator, indicator_id, _("Indicator not found.")) if indicator_id else None
    errors: dict = {}
    if request.method == "POST":
        data = {k: request.form[k].strip() for k in _INDICATOR_FIELDS if request.form.get(k, "").strip()}
        # An emptied range top or currency clears it; other emptied fields count as not given.
        data |= {k: None for k in ("baseline_high", "currency_code") if k in request.form and k not in data}
        # An emptied wording clears it (the service refuses a name emptied in both languages).
        data |= {k: "" for k in _BILINGUAL_FIELDS if k in request.form and k not in data}
        saved, errors = submit_form(
            schemas.IndicatorUpdateSchema() if item else schemas.IndicatorInputSchema(),
            lambda d: (
                services.update_indicator(item, actor=current_user, data=d)
                if item
                else services.create_indicator(actor=current_user, data=d)
            ),
            data,
        )
        if not errors:
            flash(_("Indicator saved."))
            return redirect(url_for("indicators.indicator", indicator_id=saved.id), 303)
    return render_template(
        "indicators/form.html",
        indicator=item,
        errors=errors,
        values=request.form if request.method == "POST" else None,
        actions=services.open_actions(),
        preselected=request.args.get("roadmap_action_id", ""),
        unit_choices=list(Unit),
        direction_choices=list(Direction),
    ), 422 if errors else 200


@bp.post("/indicators/<int:indicator_id>/measurements/import")
@login_required
def import_measurements(indicator_id: int):
    """A CSV of measurements uploaded on the indicator page: all rows or none."""
    item = get_or_404(Indicator, indicator_id, _("Indicator not found."))
    if not current_user.is_coordinator:
        raise PermissionDenied(_("Only coordinators can change indicators and measurements."))
    upload = request.files.get("file")
    content = upload.read(services.MAX_CSV_BYTES + 1) if upload else b""
    try:
        imported = services.import_measurements_csv(item, actor=current_user, content=content)
    except DomainError as exc:
        db.session.rollback()
        return _page(item, domain_errors(exc))
    db.session.commit()
    flash(_("%(n)d measurements imported.", n=imported))
    return redirect(url_for("indicators.indicator", indicator_id=item.id), 303)
