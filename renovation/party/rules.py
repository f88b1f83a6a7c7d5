"""Pure rules of the temporary Party branch: attendance rate, follow-up task overdue flags and the
counting of members' activities by type and by tag. No app, no database (messages go through gettext,
which gives the Chinese source outside a request).
"""

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _

#: The five threads of 一针引五线 (one subdistrict's method; a branch may define its own tags instead).
#: Seed data of the branch's tags (stored in Chinese, shown as typed).
FIVE_THREADS: tuple[tuple[str, str], ...] = (
    ("基层堡垒", "建强基层党组织战斗堡垒"),
    ("党群连心", "党员联系服务群众"),
    ("共驻共建", "驻区单位共驻共建"),
    ("民生实事", "办好群众身边民生实事"),
    ("居民自治", "激发居民自治内生动力"),
)


def attendance_rate(attendees: int, expected: int) -> Fraction | None:
    """Attendees / expected (fraction 0..1), None when nobody was expected."""
    return Fraction(attendees, expected) if expected else None


def attendance_error(attendees: int, expected: int) -> str | None:
    """The reason (reader's language) a head count is refused (attendees 0..expected, expected >= 1), or None."""
    if expected < 1:
        return _("应到人数至少为1人。")
    if attendees < 0:
        return _("实到人数不能为负数。")
    if attendees > expected:
        return _("实到人数不能多于应到人数。")
    return None


def is_task_overdue(deadline: date, done_on: date | None, today: date) -> bool:
    """True when a follow-up task is not done and ``today`` is after its deadline."""
    return done_on is None and today > deadline


def days_overdue(deadline: date, done_on: date | None, today: date) -> int:
    """Days past the deadline of an open task (0 when not overdue or done)."""
    return (today - deadline).days if is_task_overdue(deadline, done_on, today) else 0


def count_activities(rows: Iterable[tuple[str, Iterable[str]]], kinds: Iterable[str],
                     tags: Iterable[str]) -> dict[str, dict[str, int]]:
    """Count activities ``rows`` = [(kind, [tag, ...])] into {"by_type": {kind: n}, "by_tag": {tag: n}}.

    Every kind of ``kinds`` and tag of ``tags`` appears (0 when unused), in the given order; an activity
    with several tags counts once under each; a kind or tag not listed is added at the end.
    """
    by_type = {k: 0 for k in kinds}
    by_tag = {t: 0 for t in tags}
    for kind, row_tags in rows:
        by_type[kind] = by_type.get(kind, 0) + 1
        for t in set(row_tags):
            by_tag[t] = by_tag.get(t, 0) + 1
    return {"by_type": by_type, "by_tag": by_tag}
