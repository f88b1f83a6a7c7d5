"""Pure rules of construction oversight (过程监督): planned progress and red/amber/green, the
rectification loop of problem reports and the overdue flag. No app, no database.
"""

import enum
from datetime import date

from renovation.construction.models import ProblemStatus
from renovation.projects.models import ProgressStatus

#: Gap (percentage points, planned - actual) still counted as on track (green).
GREEN_GAP = 10
#: Gap up to which an item is behind but not badly (amber); beyond it, red.
AMBER_GAP = 25


class Rag(enum.Enum):
    """Red/amber/green of an item against its planned progress; grey when it has no planned dates."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"

    @property
    def label(self) -> str:
        """Chinese label."""
        return {"green": "正常", "amber": "滞后", "red": "严重滞后", "grey": "未排期"}[self.value]

    @property
    def css(self) -> str:
        """Bootstrap colour name for badges."""
        return {"green": "success", "amber": "warning", "red": "danger", "grey": "secondary"}[self.value]


def planned_percent(start: date | None, end: date | None, today: date) -> float | None:
    """Planned completion (%) of an item on ``today``, linear from ``start`` (0%) to ``end`` (100%).

    Before ``start``: 0; on or after ``end``: 100. None when either date is missing or end < start.
    A one-day item (start == end) is planned 100% done on that day.
    """
    if start is None or end is None or end < start:
        return None
    if today >= end:
        return 100.0
    if today <= start:
        return 0.0
    return (today - start).days / (end - start).days * 100


def rag_status(actual: int, planned: float | None) -> Rag:
    """Compare ``actual`` % with ``planned`` %: green if actual >= planned - 10 points, amber if within
    25 points, red beyond that; grey when ``planned`` is None."""
    if planned is None:
        return Rag.GREY
    gap = planned - actual
    if gap <= GREEN_GAP:
        return Rag.GREEN
    if gap <= AMBER_GAP:
        return Rag.AMBER
    return Rag.RED


def item_rag(actual: int, start: date | None, end: date | None, today: date) -> Rag:
    """The red/amber/green of an item with ``actual`` % done and planned dates, on ``today``."""
    return rag_status(actual, planned_percent(start, end, today))


def progress_errors(percent: int | None, status: ProgressStatus,
                    current: ProgressStatus | None = None) -> list[str]:
    """Chinese reasons why a progress update (percent 0..100, status) is refused; [] when fine.

    ``current`` is the item's status now: an item already accepted (已验收) is final.
    """
    if current is ProgressStatus.ACCEPTED:
        return ["该项目已通过验收，进度不能再修改。"]
    if percent is None or not 0 <= percent <= 100:
        return ["进度须在0到100之间"]
    if status in (ProgressStatus.COMPLETED, ProgressStatus.ACCEPTED) and percent != 100:
        return ["标记为已完工或已验收时，进度须为100%。"]
    if status is ProgressStatus.NOT_STARTED and percent != 0:
        return ["未开工的项目进度应为0%。"]
    return []


#: The rectification loop: which status may follow which (reported > assigned > rectified > verified;
#: a rectified problem not fixed in fact is reopened and needs assigning again).
PROBLEM_TRANSITIONS: dict[ProblemStatus, set[ProblemStatus]] = {
    ProblemStatus.REPORTED: {ProblemStatus.ASSIGNED},
    ProblemStatus.REOPENED: {ProblemStatus.ASSIGNED},
    ProblemStatus.ASSIGNED: {ProblemStatus.RECTIFIED},
    ProblemStatus.RECTIFIED: {ProblemStatus.VERIFIED, ProblemStatus.REOPENED},
    ProblemStatus.VERIFIED: set(),
}

_STATUS_CN = {
    ProblemStatus.REPORTED: "已上报",
    ProblemStatus.ASSIGNED: "已交办",
    ProblemStatus.RECTIFIED: "已整改",
    ProblemStatus.VERIFIED: "已核验",
    ProblemStatus.REOPENED: "重新打开",
}
_VERB_CN = {
    ProblemStatus.ASSIGNED: "交办",
    ProblemStatus.RECTIFIED: "登记整改",
    ProblemStatus.VERIFIED: "核验",
    ProblemStatus.REOPENED: "重新打开",
}


def transition_error(current: ProblemStatus, target: ProblemStatus) -> str | None:
    """None if ``current`` -> ``target`` is a step of the loop, else the Chinese reason it is refused."""
    if target in PROBLEM_TRANSITIONS[current]:
        return None
    if current is ProblemStatus.VERIFIED:
        return "该问题已核验关闭，不能再操作。"
    return f"问题当前为“{_STATUS_CN[current]}”，不能{_VERB_CN.get(target, '改为' + _STATUS_CN[target])}。"


def is_overdue(status: ProblemStatus, deadline: date | None, today: date) -> bool:
    """True when the rectification deadline has passed (``today`` > deadline) and the problem is not
    yet rectified or verified."""
    if deadline is None or status in (ProblemStatus.RECTIFIED, ProblemStatus.VERIFIED):
        return False
    return today > deadline
