from flask import url_for
from marshmallow import Schema, fields, validate

from engage.minutes.models import ExportState
from engage.timeutil import utcnow


class DataExportSchema(Schema):
    id = fields.Int()
    state = fields.Enum(ExportState, by_value=True)
    progress_done = fields.Int(metadata={"description": "parts of the ZIP written so far"})
    progress_total = fields.Int()
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    download_url = fields.Method("_download", metadata={"description": "while downloadable, else null"})

    def _download(self, job):
        if not job.is_downloadable(utcnow()):
            return None
        return url_for("privacy_api.data_export_file", export_id=job.id)


class EraseRequestSchema(Schema):
    password = fields.Str(required=True, validate=validate.Length(max=1000))
    remove_comments = fields.Bool(load_default=False)


class EraseResultSchema(Schema):
    erased = fields.Bool()
