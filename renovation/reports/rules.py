"""Pure rules of the reports area (no app, no database): the report period and the fingerprint of a
report's data. Period labels are Chinese (they print in the official PDF); the refusals of a period go
through gettext (the reader's language in a request, the Chinese source outside one).
"""

import calendar
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from renovation.core.i18n import format_date

#: Period kinds accepted on the download URL (``?period=week&day=2020-10-19``).
PERIOD_KINDS = {"all": _l("项目全过程"), "month": _l("月度"), "week": _l("周")}
#: Earliest day a period may start from (the national programme began in 2019; older dates are typos).
EARLIEST_DAY = date(2000, 1, 1)


class PeriodError(ValueError):
    """The period asked for on the URL is not valid; the message is for the user, in their language."""


@dataclass(frozen=True)
class Period:
    """A report period: ``kind`` 'all', 'month' or 'week'; ``start``/``end`` inclusive local dates (None
    for 'all': the whole project up to the report day); ``label`` in Chinese, e.g. '2020年10月19日至
    2020年10月25日（第43周）'; ``key`` a short ASCII name used in cache file names ('all', '2020-10',
    '2020-W43')."""

    kind: str
    start: date | None
    end: date | None
    label: str
    key: str
    short: str = ""

    @property
    def is_whole(self) -> bool:
        """True for the whole project (no start/end)."""
        return self.kind == "all"

    def contains(self, day: date | None) -> bool:
        """True if ``day`` (a local date) lies within the period; always True for the whole project."""
        if day is None:
            return False
        if self.is_whole:
            return True
        return self.start <= day <= self.end


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def whole_project() -> Period:
    """The whole project up to the report day."""
    return Period("all", None, None, "项目全过程", "all", "项目全过程")


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) holding ``day``: the weekly meeting's period (周例会)."""
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    iso = start.isocalendar()
    return Period("week", start, end, f"{_cn(start)}至{_cn(end)}（{iso.year}年第{iso.week}周）",
                  f"{iso.year}-W{iso.week:02d}",
                  f"{iso.year}年第{iso.week}周（{start.month}.{start.day}–{end.month}.{end.day}）")


def month_of(day: date) -> Period:
    """The calendar month holding ``day``."""
    start = day.replace(day=1)
    end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return Period("month", start, end, f"{day.year}年{day.month}月", f"{day.year}-{day.month:02d}",
                  f"{day.year}年{day.month}月")


def parse_period(kind: str | None, day: str | None, today: date) -> Period:
    """The Period asked for by the query arguments ``period`` ('all', 'month', 'week'; default 'all') and
    ``day`` (YYYY-MM-DD, any day within the week or month; default ``today``).

    Raises PeriodError (message in the reader's language) for an unknown kind, a malformed date, a day after ``today``
    or before 2000-01-01.
    """
    kind = (kind or "all").strip()
    if kind not in PERIOD_KINDS:
        raise PeriodError(_("报告期只能选择“项目全过程”“月度”或“周”。"))
    if kind == "all":
        return whole_project()
    if day is None or not day.strip():
        chosen = today
    else:
        try:
            chosen = date.fromisoformat(day.strip())
        except ValueError:
            raise PeriodError(_("日期格式不正确，请按“年-月-日”填写，例如 2020-10-19。")) from None
    if chosen > today:
        raise PeriodError(_("报告期不能晚于今天（%(today)s）。", today=format_date(today)))
    if chosen < EARLIEST_DAY:
        raise PeriodError(_("报告期不能早于%(day)s。", day=format_date(EARLIEST_DAY)))
    return week_of(chosen) if kind == "week" else month_of(chosen)


def _plain(value):
    """A JSON-able form of a context value, stable across runs (Decimal and dates as strings)."""
    if isinstance(value, (Decimal, Fraction)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Period):
        return [value.kind, value.key]
    raise TypeError(f"not plain: {type(value).__name__}")


def fingerprint(context: dict, *salt: str) -> str:
    """SHA-256 (hex) of a report's plain context (and of ``salt`` strings, e.g. the template's version):
    equal for equal data, so a cached PDF can be reused exactly when nothing it shows has changed.
    Photos are in the context by their content-hash file names, so a new photo changes it too.

    Raises TypeError when the context holds something that is not plain (e.g. an ORM object).
    """
    blob = json.dumps(context, default=_plain, sort_keys=True, ensure_ascii=False)
    h = hashlib.sha256(blob.encode())
    for s in salt:
        h.update(b"\0" + s.encode())
    return h.hexdigest()
