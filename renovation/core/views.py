"""Shared routes: health check and serving stored uploads to the users the owning area allows."""

from pathlib import PurePosixPath

from flask import Blueprint, abort, current_app, jsonify, send_file
from flask_login import current_user, login_required
from sqlalchemy import text

from renovation.core import audit
from renovation.core.hooks import is_personal_upload, may_fetch_upload, upload_kind
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


@bp.route("/files/<upload:upload_id>/<variant>")
@login_required
def upload_file(upload_id: int, variant: str):
    """A stored file ('original', 'display' or 'thumb'), only for users whom the owner's rule allows
    (core.hooks.may_fetch_upload: a project's photo for those who see the project; a household's ballot
    scan, proxy letter or repair photo for the household, the project's squad and administrators). A
    personal document fetched by anyone but the household is logged (personal_data.view). Never cached
    (``Cache-Control: private, no-store``): a shared computer or proxy must not keep a copy."""
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
    if is_personal_upload(upload) and not current_user.is_resident_like():
        # Residents reach a personal document only as its household (the rule says so): their own data.
        audit.record(current_user, "personal_data.view", upload, project_id=upload.project_id,
                     after={"fields": ["file"], "kind": upload_kind(upload), "owner_id": upload.owner_id,
                            "variant": variant})
        db.session.commit()
    if variant != "original":
        response = send_file(path, mimetype="image/jpeg", max_age=0)
    else:
        # The name the user gave, with the extension of what the file really is (a PNG named .jpg is sent as .png).
        stem = PurePosixPath(upload.original_name.replace("\\", "/")).stem or "照片"
        response = send_file(path, mimetype=upload.content_type, download_name=f"{stem}.{upload.extension}",
                             max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
