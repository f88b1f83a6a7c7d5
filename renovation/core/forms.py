"""The base form of every page: WTForms' built-in messages in Chinese."""

from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta


class ZhForm(FlaskForm):
    """A FlaskForm whose built-in messages (not a valid number, date, choice...) come out in Chinese.

    Uses WTForms' own 'zh' catalogue (no Flask-Babel needed).
    """

    class Meta:
        locales = ["zh"]

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


def uploaded_file(field) -> tuple[bytes, str] | None:
    """(bytes, filename) of a file field, or None when nothing was chosen."""
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return data.read(), data.filename


def uploaded_files(field) -> list[tuple[bytes, str]]:
    """[(bytes, filename)] of a multiple file field; entries without a name (nothing chosen) left out."""
    return [(f.read(), f.filename) for f in (field.data or []) if getattr(f, "filename", "")]


def refuse_on_form(err, form, field=None) -> None:
    """Roll back the request's session and show a DomainError's Chinese message next to ``field`` (or atop
    ``form``) for a re-render; a PermissionDenied is raised on to the 403 page."""
    from renovation.core.errors import PermissionDenied
    from renovation.extensions import db

    db.session.rollback()
    if isinstance(err, PermissionDenied):
        raise err
    (field.errors if field is not None else form.form_errors).append(err.message)


def is_upload_error(err) -> bool:
    """True when a DomainError is about an uploaded file (shown next to the file field)."""
    return "图片" in err.message or "照片" in err.message or "文件" in err.message
