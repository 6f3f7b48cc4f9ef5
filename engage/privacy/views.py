"""Pages: "My data" (export and download) and "Erase my account"."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from engage.errors import DomainError
from engage.extensions import db
from engage.privacy import erasure, exports
from engage.storage import send_object
from engage.timeutil import utcnow

bp = Blueprint("privacy", __name__)


@bp.route("/account/my-data", methods=["GET", "POST"])
@login_required
def my_data():
    if request.method == "POST":
        exports.request_data_export(actor=current_user, locale=str(get_locale()))
        db.session.commit()
        flash(_("Your data export is being prepared. This page shows its progress."))
        return redirect(url_for("privacy.my_data"))
    jobs = db.session.scalars(exports.data_exports_query(current_user)).all()
    return render_template("privacy/my_data.html", jobs=jobs, now=utcnow(), parts=exports.PARTS)


@bp.get("/account/my-data/<int:export_id>/download")
@login_required
def download(export_id: int):
    job = exports.data_export_for(export_id, current_user)
    key = exports.downloadable_key(job, actor=current_user)
    db.session.commit()
    return send_object(key, download_name=f"my-data-{job.id}.zip")


@bp.route("/account/erase", methods=["GET", "POST"])
@login_required
def erase():
    errors = {}
    if request.method == "POST":
        if not request.form.get("confirm"):
            errors = {"confirm": [_("Tick the box to confirm that you want to erase your account.")]}
        else:
            try:
                erasure.erase_account(
                    current_user,
                    password=request.form.get("password", ""),
                    remove_comments=bool(request.form.get("remove_comments")),
                )
            except DomainError as exc:
                db.session.rollback()
                errors = exc.errors
            else:
                db.session.commit()
                logout_user()  # the session rows are gone with the account; the cookies go too
                flash(_("Your account is erased. Thank you for taking part."))
                return redirect(url_for("home.index"))
    return render_template("privacy/erase.html", errors=errors), 422 if errors else 200
