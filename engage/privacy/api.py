from flask_babel import get_locale

from engage.apiutil import Blueprint
from engage.auth.access import require_user
from engage.extensions import db
from engage.privacy import erasure, exports, schemas
from engage.storage import send_object

blp = Blueprint("privacy_api", __name__, url_prefix="/api/v1", description="Your data: export and erasure")


@blp.route("/me/data-exports", methods=["POST"])
@blp.response(202, schemas.DataExportSchema)
def request_data_export():
    """Queue a ZIP of everything held about you (JSON + CSV + README); one at a time."""
    job = exports.request_data_export(actor=require_user(), locale=str(get_locale()))
    db.session.commit()
    return job


@blp.route("/me/data-exports", methods=["GET"])
@blp.response(200, schemas.DataExportSchema(many=True))
def list_data_exports():
    """Your latest exports, newest first."""
    return db.session.scalars(exports.data_exports_query(require_user())).all()


@blp.route("/me/data-exports/<int:export_id>", methods=["GET"])
@blp.response(200, schemas.DataExportSchema)
def get_data_export(export_id):
    """State and progress (x of y parts); `download_url` once done, until `expires_at`."""
    return exports.data_export_for(export_id, require_user())


@blp.route("/me/data-exports/<int:export_id>/file", methods=["GET"])
@blp.response(200, content_type="application/zip")
def data_export_file(export_id):
    user = require_user()
    job = exports.data_export_for(export_id, user)
    key = exports.downloadable_key(job, actor=user)
    db.session.commit()
    return send_object(key, download_name=f"my-data-{job.id}.zip")


@blp.route("/me/erase", methods=["POST"])
@blp.arguments(schemas.EraseRequestSchema)
@blp.response(200, schemas.EraseResultSchema)
def erase_me(data):
    """Erase your account (confirmed with your password). Your sessions and tokens end with it."""
    erased = erasure.erase_account(require_user(), password=data["password"], remove_comments=data["remove_comments"])
    db.session.commit()
    return {"erased": erased}
