"""The base form of every page: WTForms' built-in messages in the reader's language (Chinese by default)."""

from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta


class ZhForm(FlaskForm):
    """A FlaskForm whose built-in messages (not a valid number, date, choice...) come out in Chinese, or
    in English for readers who chose English (core.i18n).

    Uses WTForms' own 'zh' catalogue; English is WTForms' source language.
    """

    class Meta:
        @property
        def locales(self):
            from renovation.core.i18n import DEFAULT_LOCALE, current_language

            return ["zh"] if current_language() == DEFAULT_LOCALE else ["en"]

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
    """Roll back the request's session and show a DomainError's message next to ``field`` (or atop
    ``form``) for a re-render; a PermissionDenied is raised on to the 403 page."""
    from renovation.core.errors import PermissionDenied
    from renovation.extensions import db

    db.session.rollback()
    if isinstance(err, PermissionDenied):
        raise err
    (field.errors if field is not None else form.form_errors).append(err.message)


def is_upload_error(err) -> bool:
    """True when a DomainError is about an uploaded file (core.errors.UploadError: shown next to the file
    field)."""
    from renovation.core.errors import UploadError

    return isinstance(err, UploadError)
