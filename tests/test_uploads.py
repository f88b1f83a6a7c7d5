"""Uploads from phones through the web: a rotated JPEG, a HEIC, a text file named .jpg, a 60 MB file and a
Chinese file name; stored under the content hash, served only to those who may see the project."""

import hashlib
import io
from urllib.parse import quote

import pillow_heif
import pytest
from PIL import Image
from sqlalchemy import func, select

from renovation.construction.models import ProgressUpdate
from renovation.core.models import Upload
from renovation.core.uploads import variant_path
from renovation.extensions import db
from renovation.projects.models import ProjectItemStatus
from renovation.projects.rules import Stage
from tests.factories import csrf_from, file_url


@pytest.fixture
def item(world):
    """Project A in construction with its gas item adopted; returns the item."""
    world["project_a"].stage = Stage.CONSTRUCTION
    gas = world["items_a"][0]
    gas.status = ProjectItemStatus.ADOPTED
    db.session.commit()
    return gas


def _post_photo(client, item, data: bytes, name: str):
    url = f"/construction/items/{item.id}/progress"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, content_type="multipart/form-data", data={
        "csrf_token": token, "percent": "20", "status": "in_progress", "photo": (io.BytesIO(data), name)})


def _rotated_jpeg() -> bytes:
    """A 60x20 landscape JPEG (left half red, right half blue) whose EXIF orientation is 6: the phone was
    held upright, so it must be turned 90° clockwise to be seen as the 20x60 portrait it is."""
    img = Image.new("RGB", (60, 20), "blue")
    img.paste((255, 0, 0), (0, 0, 30, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def _heic() -> bytes:
    """A 64x48 HEIC as an iPhone makes it (HEVC in a HEIF container), written with pillow_heif."""
    out = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (64, 48), (0, 128, 0))).save(out, format="HEIF", quality=90)
    return out.getvalue()


def test_rotated_phone_jpeg_is_stored_upright_and_kept_as_sent(client, item, login, app):
    raw = _rotated_jpeg()
    login("squad_a")
    assert _post_photo(client, item, raw, "IMG_0001.JPG").status_code == 302
    upload = db.session.scalar(select(Upload))
    assert (upload.width, upload.height) == (20, 60)                  # upright: portrait
    folder = app.config["UPLOAD_FOLDER"]
    assert variant_path(folder, upload, "original").read_bytes() == raw   # the original is kept, EXIF and all
    with Image.open(variant_path(folder, upload, "display")) as shown:
        assert shown.size == (20, 60)
        # turned clockwise, the left (red) half of the sensor image is now the top half
        assert shown.getpixel((10, 5))[0] > 200 and shown.getpixel((10, 55))[2] > 200


def test_heic_from_an_iphone_is_accepted(client, item, login, app):
    data = _heic()
    assert data[4:12] == b"ftypheic"                                   # a real HEIC container
    login("squad_a")
    resp = _post_photo(client, item, data, "IMG_0002.HEIC")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    upload = db.session.scalar(select(Upload))
    assert (upload.content_type, upload.extension, upload.width, upload.height) == ("image/heic", "heic", 64, 48)
    thumb = client.get(file_url(upload.id, "thumb"))
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"  # browsers cannot show HEIC: a JPEG copy
    assert Image.open(io.BytesIO(thumb.data)).size == (64, 48)
    original = client.get(file_url(upload.id, "original"))
    assert original.data == data and original.mimetype == "image/heic"


def test_text_file_named_jpg_is_refused_by_content(client, item, login, app):
    login("squad_a")
    resp = _post_photo(client, item, "这不是照片，是一段文字。".encode(), "外墙.jpg")
    assert resp.status_code == 400
    assert "“外墙.jpg”不是可识别的图片，请上传 JPG、PNG 或 HEIC 格式的照片。" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0


def test_60_mb_upload_gets_413_with_the_chinese_page(client, item, login, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024
    login("squad_a")
    big = b"\xff\xd8\xff\xe0" + b"\0" * (60 * 1024 * 1024)          # 60 MB "photo"
    resp = _post_photo(client, item, big, "大照片.jpg")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "文件太大" in html and "上传的文件超过大小限制（20 MB），请压缩照片后再试。" in html
    assert db.session.scalar(select(func.count(Upload.id))) == 0


def test_chinese_name_kept_for_display_stored_under_content_hash(client, item, login, logout, app):
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(out, "JPEG")
    data = out.getvalue()
    login("squad_a")
    assert _post_photo(client, item, data, "外墙照片(1).jpg").status_code == 302
    assert _post_photo(client, item, data, "外墙照片(1)副本.jpg").status_code == 302
    first, second = db.session.scalars(select(Upload).order_by(Upload.id)).all()
    sha = hashlib.sha256(data).hexdigest()
    assert (first.original_name, second.original_name) == ("外墙照片(1).jpg", "外墙照片(1)副本.jpg")
    assert first.sha256 == second.sha256 == sha
    path = variant_path(app.config["UPLOAD_FOLDER"], first, "original")
    assert path.name == f"{sha}.jpg" and path.parent.name == sha[:2]  # no user text in the path
    assert len(list(path.parent.glob(f"{sha}.*"))) == 3                # original, display, thumb: stored once
    resp = client.get(file_url(first.id, "original"))
    assert resp.status_code == 200 and resp.data == data
    assert f"filename*=UTF-8''{quote('外墙照片(1).jpg')}" in resp.headers["Content-Disposition"]

    # served only to users who may see the project
    logout()
    assert client.get(file_url(first.id, "thumb")).status_code == 302   # to the login page
    login("resident_b")
    assert client.get(file_url(first.id, "thumb")).status_code == 403
    logout()
    login("resident_a")
    assert client.get(file_url(first.id, "thumb")).status_code == 200


def test_decompression_bomb_is_refused_in_chinese(app, world):
    from renovation.core.errors import DomainError
    from renovation.core.uploads import save_image

    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")                  # 400 megapixels, a few kB on the wire
    with pytest.raises(DomainError, match="像素过多"):
        save_image(out.getvalue(), "bomb.png", app.config["UPLOAD_FOLDER"], project_id=None, user=None)
