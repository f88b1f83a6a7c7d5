"""Progress updates through the web: validation, photos (EXIF rotation), history, RAG on the overview."""

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from renovation.construction.models import ProgressUpdate
from renovation.core.models import AuditLog, Upload
from renovation.core.uploads import variant_path
from renovation.extensions import db
from renovation.projects.models import ProgressStatus
from tests.construction.conftest import png_bytes, token
from tests.factories import file_url


def _post(client, item, **data):
    url = f"/construction/items/{item.id}/progress"
    return client.post(url, content_type="multipart/form-data",
                       data={"csrf_token": token(client, url), "status": "in_progress", "note": "", **data})


def _nothing_written(item):
    db.session.expire_all()
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "progress.update")) == 0
    assert item.progress_percent == 0 and item.progress_status is ProgressStatus.NOT_STARTED


def test_progress_130_is_refused_and_nothing_written(client, site, login):
    login("squad_a")
    resp = _post(client, site["gas"], percent="130")
    assert resp.status_code == 400
    assert "进度须在0到100之间" in resp.get_data(as_text=True)
    _nothing_written(site["gas"])


def test_non_image_upload_is_refused_and_nothing_written(client, site, login, app):
    login("squad_a")
    folder = Path(app.config["UPLOAD_FOLDER"])   # shared by the session's tests: compare before and after
    files_before = set(folder.rglob("*"))
    resp = _post(client, site["gas"], percent="40", photo=(io.BytesIO(b"%PDF-1.4 not a photo"), "report.pdf"))
    assert resp.status_code == 400
    assert "“report.pdf”不是可识别的图片" in resp.get_data(as_text=True)
    _nothing_written(site["gas"])
    assert set(folder.rglob("*")) == files_before


def test_rotated_exif_jpeg_is_stored_upright_and_shown_in_history(client, site, login, app):
    # a 60x20 landscape JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6): upright it
    # is a 20x60 portrait
    img = Image.new("RGB", (60, 20), "green")
    exif = Image.Exif()
    exif[0x0112] = 6
    raw = io.BytesIO()
    img.save(raw, "JPEG", exif=exif.tobytes())
    login("squad_a")
    resp = _post(client, site["gas"], percent="40", note="北侧管线已埋设", photo=(io.BytesIO(raw.getvalue()), "site.jpg"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    upload = db.session.scalar(select(Upload))
    assert (upload.width, upload.height) == (20, 60)
    with Image.open(variant_path(app.config["UPLOAD_FOLDER"], upload, "thumb")) as thumb:
        assert thumb.size == (20, 60)  # smaller than 320 px: not scaled, only turned upright
    item = site["gas"]
    db.session.expire_all()
    assert (item.progress_percent, item.progress_status) == (40, ProgressStatus.IN_PROGRESS)
    html = client.get(f"/construction/items/{item.id}/progress").get_data(as_text=True)
    assert file_url(upload.id, "thumb") in html and "北侧管线已埋设" in html and "<strong>40%</strong>" in html
    resp = client.get(file_url(upload.id, "thumb"))
    assert resp.status_code == 200 and resp.mimetype == "image/jpeg"


def test_overview_shows_rag_against_plan(client, site, login):
    login("squad_a")
    # gas: planned 50% today (day 10 of 20); 30% done is 20 points behind -> amber
    assert _post(client, site["gas"], percent="30", photo=(io.BytesIO(png_bytes()), "a.png")).status_code == 302
    html = client.get(f"/construction/projects/{site['project_a'].id}").get_data(as_text=True)
    assert 'data-rag="amber"' in html and "滞后" in html
    assert 'data-rag="grey"' in html   # the road item has no planned dates
    assert "<td>50%</td>" in html


def test_only_squad_posts_progress(client, site, login):
    login("resident_a")
    item = site["gas"]
    html = client.get(f"/construction/items/{item.id}/progress").get_data(as_text=True)
    assert "填报进度" not in html
    assert _post(client, item, percent="50").status_code == 403
    _nothing_written(item)
