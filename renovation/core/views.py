"""Shared routes: health check and serving stored uploads to the users the owning area allows."""

from pathlib import PurePosixPath

from flask import Blueprint, abort, current_app, jsonify, send_file
from flask_login import current_user, login_required
from sqlalchemy import text

from renovation.core.hooks import may_fetch_upload
from renovation.core.models import Upload
from renovation.core.uploads import VARIANTS, variant_path
from renovation.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/healthz")
def health():
    """Liveness and database check: {"status": "ok"} or HTTP 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@bp.route("/files/<int:upload_id>/<variant>")
@login_required
def upload_file(upload_id: int, variant: str):
    """A stored file ('original', 'display' or 'thumb'), only for users whom the owning area allows
    (core.hooks.may_fetch_upload: for a project's files, those who may see the project)."""
    if variant not in VARIANTS:
        abort(404)
    upload = db.session.get(Upload, upload_id)
    if upload is None:
        abort(404)
    if not may_fetch_upload(current_user, upload):
        abort(403)
    path = variant_path(current_app.config["UPLOAD_FOLDER"], upload, variant)
    if not path.exists():
        abort(404)
    if variant != "original":
        return send_file(path, mimetype="image/jpeg", max_age=3600)
    # The name the user gave, with the extension of what the file really is (a PNG named .jpg is sent as .png).
    stem = PurePosixPath(upload.original_name.replace("\\", "/")).stem or "照片"
    return send_file(path, mimetype=upload.content_type, download_name=f"{stem}.{upload.extension}", max_age=3600)
