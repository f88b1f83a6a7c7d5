"""The base form of every page: WTForms' built-in messages in the reader's language (Chinese by default)."""

from datetime import date, datetime

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, SelectMultipleField, widgets
from wtforms.meta import DefaultMeta

#: No record of a renovation project is dated before this (the national programme began in 2019; the
#: earliest pilots around 2000). A date typed before it is a slip (1900-01-01, 0202-10-01).
EARLIEST_DATE = date(2000, 1, 1)
#: How far ahead a date may be: plans, contracts and deadlines, at most this many years from today.
YEARS_AHEAD = 20


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """(earliest, latest) date any form accepts: 2000-01-01 and 31 December of this year + 20."""
    from renovation.core.timeutil import local_today

    today = today or local_today()
    return EARLIEST_DATE, date(today.year + YEARS_AHEAD, 12, 31)


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        earliest, latest = date_bounds()
        for field in self._date_fields():
            bounds = {"min": earliest.isoformat(), "max": latest.isoformat()}
            if isinstance(field, DateTimeField) and not isinstance(field, DateField):
                bounds = {"min": f"{earliest.isoformat()}T00:00", "max": f"{latest.isoformat()}T23:59"}
            field.render_kw = {**bounds, **(field.render_kw or {})}  # the phone's date picker stays in range

    def _date_fields(self):
        return [f for f in self if isinstance(f, DateField | DateTimeField)]

    def validate(self, extra_validators=None) -> bool:
        """WTForms' validation, then every date within :func:`date_bounds` (an error next to the field,
        in the reader's language, for a date like 1900-01-01 or 3026-01-01)."""
        from renovation.core.i18n import format_date

        ok = super().validate(extra_validators)
        earliest, latest = date_bounds()
        for field in self._date_fields():
            value = field.data.date() if isinstance(field.data, datetime) else field.data
            if isinstance(value, date) and not earliest <= value <= latest:
                field.errors = [*field.errors, _("日期不合理：请填写 %(earliest)s 至 %(latest)s 之间的日期。",
                                                 earliest=format_date(earliest), latest=format_date(latest))]
                ok = False
        return ok


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


def int_or_none(value) -> int | None:
    """Coerce a submitted id to int; a forged non-number becomes None, which then fails the choice check
    with the field's own message instead of WTForms' coercion error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice rendered as checkboxes (one per catalogue item)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
