"""Helpers shared by the report's sections, its context and the summary: the period's bounds as SQL
conditions, ratios, local dates, the guard for areas still being written (``optional``) and the turning of
lazy labels into plain Chinese strings (``_resolved``).
"""

import importlib
from datetime import UTC, date, datetime, time

from flask_babel import LazyString

from renovation.construction.models import ProblemStatus
from renovation.core.timeutil import SHANGHAI, to_local
from renovation.reports.rules import Period

#: At most this many photos are printed (latest first), three to a row at about 150 dpi.
MAX_PHOTOS = 20
#: How many open problems are listed one by one (the counts always cover all of them).
OPEN_PROBLEMS_LISTED = 40
#: The problems still to be rectified, the ones that can be overdue (a rectified one awaits verification).
OPEN_PROBLEM_STATUSES = (ProblemStatus.REPORTED, ProblemStatus.ASSIGNED, ProblemStatus.REOPENED)


def optional(module: str, name: str):
    """``module.name`` if a colleague's area already provides it, else None: the report guards the
    sections built on models and services that are still being written, so it always renders.

    Sections call it as ``common.optional(...)`` (looked up on this module at call time), so a test can
    switch every newer area off in one place."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    return getattr(mod, name, None)


def _bounds(period: Period) -> tuple[datetime | None, datetime | None]:
    """UTC datetimes [start, end) of a period's local days (Asia/Shanghai); (None, None) for the whole
    project."""
    if period.is_whole:
        return None, None
    start = datetime.combine(period.start, time.min, SHANGHAI).astimezone(UTC)
    end = datetime.combine(period.end, time.max, SHANGHAI).astimezone(UTC)
    return start, end


def _in_period(column, period: Period):
    """A SQL condition: ``column`` (a UTC datetime) within ``period``; True for the whole project."""
    start, end = _bounds(period)
    if start is None:
        return column.is_not(None)
    return column.between(start, end)


def _rate(part, whole) -> float | None:
    """part / whole as a fraction 0..1 (for the ``percent`` filter), None when whole is 0."""
    return float(part) / float(whole) if whole else None


def _frac(value) -> float | None:
    """A Fraction ratio as a float 0..1 (None stays None)."""
    return float(value) if value is not None else None


def _local_date(value) -> date | None:
    return to_local(value).date() if value is not None else None


def _resolved(value):
    """``value`` with every lazy string in it (a label of another area's dict) turned into a plain str now,
    in the current language (Chinese under ``chinese()``); dicts, lists and tuples are walked."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {_resolved(k): _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_resolved(v) for v in value)
    return value
