from flask import request
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from engage.apiutil import MAX_ID, Blueprint, get_or_404
from engage.auth.access import require_user
from engage.errors import NotFound, ValidationError
from engage.extensions import db
from engage.indicators import schemas, services
from engage.indicators.models import Indicator, Measurement
from engage.timeutil import utcnow

blp = Blueprint("indicators_api", __name__, url_prefix="/api/v1", description="Indicators, measurements and status")


class IndicatorListArgs(Schema):
    roadmap_action_id = fields.Int(validate=validate.Range(min=1, max=MAX_ID))


def _indicator(indicator_id: int) -> Indicator:
    return get_or_404(Indicator, indicator_id, _("Indicator not found."))


@blp.route("/indicators", methods=["GET"])
@blp.arguments(IndicatorListArgs, location="query")
@blp.response(200, schemas.IndicatorSchema(many=True))
def list_indicators(args):
    """All indicators, by roadmap action (public, like the scorecard)."""
    stmt = services.indicators_query().limit(services.MAX_SCORECARD_INDICATORS)
    if "roadmap_action_id" in args:
        stmt = stmt.where(Indicator.roadmap_action_id == args["roadmap_action_id"])
    return db.session.scalars(stmt).all()


@blp.route("/indicators", methods=["POST"])
@blp.arguments(schemas.IndicatorInputSchema)
@blp.response(201, schemas.IndicatorSchema)
def create_indicator(data):
    """A new indicator on a roadmap action (coordinators)."""
    indicator = services.create_indicator(actor=require_user(), data=data)
    db.session.commit()
    return indicator


@blp.route("/indicators/<int:indicator_id>", methods=["GET"])
@blp.response(200, schemas.IndicatorSchema)
def get_indicator(indicator_id):
    return _indicator(indicator_id)


@blp.route("/indicators/<int:indicator_id>", methods=["PATCH"])
@blp.arguments(schemas.IndicatorUpdateSchema)
@blp.response(200, schemas.IndicatorSchema)
def update_indicator(data, indicator_id):
    user = require_user()
    indicator = services.update_indicator(_indicator(indicator_id), actor=user, data=data)
    db.session.commit()
    return indicator


@blp.route("/indicators/<int:indicator_id>", methods=["DELETE"])
@blp.response(204)
def delete_indicator(indicator_id):
    user = require_user()
    services.delete_indicator(_indicator(indicator_id), actor=user)
    db.session.commit()


@blp.route("/indicators/<int:indicator_id>/status", methods=["GET"])
@blp.response(200, schemas.IndicatorStatusSchema)
def indicator_status(indicator_id):
    """On track / at risk / off track / achieved / no data, per scope and overall, each with its sentence."""
    return services.indicator_status(_indicator(indicator_id), today=utcnow().date())


@blp.route("/indicators/<int:indicator_id>/measurements", methods=["GET"])
@blp.response(200, schemas.MeasurementSchema(many=True))
def list_measurements(indicator_id):
    return _indicator(indicator_id).measurements


@blp.route("/indicators/<int:indicator_id>/measurements", methods=["POST"])
@blp.arguments(schemas.MeasurementInputSchema)
@blp.response(201, schemas.MeasurementSchema)
def add_measurement(data, indicator_id):
    user = require_user()
    measurement = services.add_measurement(_indicator(indicator_id), actor=user, data=data)
    db.session.commit()
    return measurement


@blp.route("/indicators/<int:indicator_id>/measurements/<int:measurement_id>", methods=["DELETE"])
@blp.response(204)
def delete_measurement(indicator_id, measurement_id):
    user = require_user()
    measurement = db.session.get(Measurement, measurement_id)
    if measurement is None or measurement.indicator_id != _indicator(indicator_id).id:
        raise NotFound(_("Measurement not found."))
    services.delete_measurement(measurement, actor=user)
    db.session.commit()


@blp.route("/indicators/<int:indicator_id>/measurements/import", methods=["POST"])
@blp.response(201, schemas.ImportResultSchema)
def import_measurements(indicator_id):
    """Measurements from CSV (a `file` upload or a text/csv body); a bad row rejects the whole file."""
    user = require_user()
    indicator = _indicator(indicator_id)
    if (request.content_length or 0) > services.MAX_CSV_BYTES + 10_000:
        raise ValidationError(_("Some fields are not valid."), errors={"file": [_("The file is too large.")]})
    upload = request.files.get("file")
    content = upload.read(services.MAX_CSV_BYTES + 1) if upload else request.get_data(cache=False)
    imported = services.import_measurements_csv(indicator, actor=user, content=content)
    db.session.commit()
    return {"imported": imported}
