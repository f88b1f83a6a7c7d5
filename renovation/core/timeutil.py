"""Time helpers: stored in UTC, shown in Asia/Shanghai."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_now() -> datetime:
    """Now in Asia/Shanghai."""
    return datetime.now(SHANGHAI)


def local_today() -> date:
    """Today's date in Asia/Shanghai (the date residents and squads see)."""
    return local_now().date()


def to_local(value: datetime | None) -> datetime | None:
    """A UTC-aware datetime converted to Asia/Shanghai; None stays None."""
    return value.astimezone(SHANGHAI) if value is not None else None


def format_datetime(value: datetime | None) -> str:
    """'2026年11月29日 18:02' in Asia/Shanghai, or '' for None."""
    if value is None:
        return ""
    v = to_local(value)
    return f"{v.year}年{v.month}月{v.day}日 {v:%H:%M}"


def format_date(value: date | datetime | None) -> str:
    """'2026年11月29日', or '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return f"{value.year}年{value.month}月{value.day}日"
