"""Stored uploads: photos from phones (JPEG, PNG, HEIC) checked by content and kept under hash names.

Layout under UPLOAD_FOLDER: ``ab/<sha256>.<ext>`` (the original bytes), ``ab/<sha256>.display.jpg``
(longest side 1600 px, EXIF orientation applied) and ``ab/<sha256>.thumb.jpg`` (longest side 320 px).
Documents (PDF, via ``save_document``) keep only the original. The name the user gave (e.g.
``外墙照片(1).jpg``) is kept in ``Upload.original_name`` for display; it never becomes a path.
"""

import hashlib
import hmac
import io
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.routing import BaseConverter, ValidationError

from renovation.core.errors import UploadError
from renovation.core.models import Upload
from renovation.extensions import db

try:  # HEIC/HEIF from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - the dependency is declared; this keeps the app up without it
    pass

ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "HEIF": ("heic", "image/heic"),
                   "WEBP": ("webp", "image/webp")}
DISPLAY_PX = 1600
THUMB_PX = 320
VARIANTS = ("original", "display", "thumb")


def _base_path(folder: str, sha: str) -> Path:
    return Path(folder) / sha[:2] / sha


def variant_path(folder: str, upload: Upload, variant: str) -> Path:
    """Path on disk of ``variant`` ('original', 'display' or 'thumb') of ``upload``."""
    base = _base_path(folder, upload.sha256)
    if variant == "original":
        return base.with_name(f"{upload.sha256}.{upload.extension}")
    return base.with_name(f"{upload.sha256}.{variant}.jpg")


def upload_signature(upload_id: int) -> str:
    """16 hex digits of HMAC-SHA256(SECRET_KEY, 'upload:<id>'): what makes a file's address unguessable."""
    key = str(current_app.secret_key).encode()
    return hmac.new(key, f"upload:{int(upload_id)}".encode(), hashlib.sha256).hexdigest()[:16]


class UploadRefConverter(BaseConverter):
    """``<upload:upload_id>`` in URLs: ``<id>-<signature>`` (upload_signature), e.g. ``/files/12-3fa9c0d41b7e2a65/thumb``.

    Upload ids are sequential; the signature makes an address that was never shown to the user
    unguessable (a second defence behind the owner's access rule, and upload counts do not leak).
    ``url_for('core.upload_file', upload_id=12, ...)`` signs; a bare or wrong signature is a 404.
    """

    regex = r"[0-9]{1,10}-[0-9a-f]{16}"

    def to_python(self, value: str) -> int:
        raw_id, _sep, signature = value.partition("-")
        upload_id = int(raw_id)
        if not 1 <= upload_id <= 2**31 - 1 or not hmac.compare_digest(signature, upload_signature(upload_id)):
            raise ValidationError()
        return upload_id

    def to_url(self, value) -> str:
        return f"{int(value)}-{upload_signature(int(value))}"


def set_owner(upload_id: int | None, kind: str, owner_id: int) -> None:
    """Record that the stored file ``upload_id`` belongs to ``owner_id`` of ``kind`` (e.g. 'vote_scan', 12):
    from then on ``/files`` asks the access rule the owning area registered for ``kind``
    (core.hooks.register_upload_access). Nothing happens for ``upload_id`` None. Flushes nothing."""
    if upload_id is None:
        return
    upload = db.session.get(Upload, upload_id)
    if upload is not None:
        upload.owner_kind, upload.owner_id = kind, owner_id


def display_name(name: str | None, default: str = "照片") -> str:
    """The file name to show: the last part of what the browser sent (some send 'C:\\fakepath\\x.jpg'),
    control characters removed, at most 255 characters; ``default`` when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return (base or default)[:255]


def _store_original(folder: str, sha: str, ext: str, data: bytes) -> None:
    base = _base_path(folder, sha)
    base.parent.mkdir(parents=True, exist_ok=True)
    original = base.with_name(f"{sha}.{ext}")
    if not original.exists():
        original.write_bytes(data)


def save_document(data: bytes, original_name: str, folder: str, *, project_id: int | None, user,
                  caption: str | None = None) -> Upload:
    """Store a document: a PDF (checked by its '%PDF-' signature) kept as is, or a photo (``save_image``).

    Raises UploadError (in the reader's language) when the bytes are neither a PDF nor a readable JPEG/PNG/HEIC/WebP image.
    """
    if data[:5] != b"%PDF-":
        try:
            return save_image(data, original_name, folder, project_id=project_id, user=user, caption=caption)
        except UploadError:
            shown = display_name(original_name, _("文件"))
            raise UploadError(_("“%(name)s”不是 PDF 文件或可识别的图片。", name=shown)) from None
    sha = hashlib.sha256(data).hexdigest()
    _store_original(folder, sha, "pdf", data)
    upload = Upload(sha256=sha, original_name=display_name(original_name, "文件"), content_type="application/pdf",
                    extension="pdf", size=len(data), project_id=project_id, uploaded_by_id=getattr(user, "id", None),
                    caption=caption)
    db.session.add(upload)
    db.session.flush()
    return upload


def save_image(data: bytes, original_name: str, folder: str, *, project_id: int | None, user,
               caption: str | None = None) -> Upload:
    """Check ``data`` is a JPEG/PNG/HEIC/WebP image by its content, store it with a display copy and a
    thumbnail, and add an Upload row (flushed, not committed).

    ``original_name`` is kept for display only (see ``display_name``); files live under the SHA-256 of
    their bytes, so the same photo uploaded twice is stored once (two Upload rows, one file).
    Raises UploadError (in the reader's language) when the bytes are not a readable image of those formats, or
    have more pixels than Pillow's decompression-bomb limit.
    """
    if not data:
        raise UploadError(_("上传的文件是空的。"))
    original_name = display_name(original_name)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
    except Image.DecompressionBombError:
        raise UploadError(_("“%(name)s”的像素过多，请上传普通手机照片。", name=original_name)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadError(_("“%(name)s”不是可识别的图片，请上传 JPG、PNG 或 HEIC 格式的照片。",
                            name=original_name)) from None
    if fmt not in ALLOWED_FORMATS:
        raise UploadError(_("“%(name)s”的格式（%(format)s）不受支持，请上传 JPG、PNG 或 HEIC 格式的照片。",
                             name=original_name, format=fmt))
    ext, content_type = ALLOWED_FORMATS[fmt]
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
            width, height = img.size
            sha = hashlib.sha256(data).hexdigest()
            base = _base_path(folder, sha)
            _store_original(folder, sha, ext, data)
            for variant, px in (("display", DISPLAY_PX), ("thumb", THUMB_PX)):
                path = base.with_name(f"{sha}.{variant}.jpg")
                if not path.exists():
                    copy = img.copy()
                    copy.thumbnail((px, px))
                    copy.save(path, "JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise UploadError(_("“%(name)s”无法读取，文件可能已损坏。", name=original_name)) from None
    upload = Upload(
        sha256=sha, original_name=original_name, content_type=content_type, extension=ext,
        size=len(data), width=width, height=height, project_id=project_id,
        uploaded_by_id=getattr(user, "id", None), caption=caption,
    )
    db.session.add(upload)
    db.session.flush()
    return upload
