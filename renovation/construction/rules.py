"""Pure rules of construction oversight (过程监督): planned progress and red/amber/green, the
rectification loop of problem reports and the overdue flag. No app, no database.
"""

import enum
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from renovation.construction.models import PROBLEM_STATUS_LABELS, ProblemStatus
from renovation.projects.models import ProgressStatus
from renovation.projects.rules import rollup_progress  # noqa: F401  (re-exported: the roll-up is the project's)

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
        """The label in the reader's language (lazy: 正常, 滞后, 严重滞后, 未排期)."""
        return RAG_LABELS[self.value]

    @property
    def css(self) -> str:
        """Bootstrap colour name for badges."""
        return {"green": "success", "amber": "warning", "red": "danger", "grey": "secondary"}[self.value]


#: Labels of :class:`Rag` by value (lazy; wrap a use in ``core.i18n.chinese()`` for a PDF or xlsx).
RAG_LABELS = {"green": _l("正常"), "amber": _l("滞后"), "red": _l("严重滞后"), "grey": _l("未排期")}


def join_names(names) -> str:
    """Names listed in the reader's language: 'a、b' in Chinese, 'a, b' in English."""
    from renovation.core.i18n import DEFAULT_LOCALE, current_language

    return ("、" if current_language() == DEFAULT_LOCALE else ", ").join(str(n) for n in names)


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
    """Reasons (in the reader's language) why a progress update (percent 0..100, status) is refused; [] when
    fine.

    ``current`` is the item's status now: an item already accepted (已验收) is final.
    """
    if current is ProgressStatus.ACCEPTED:
        return [_("该项目已通过验收，进度不能再修改。")]
    if percent is None or not 0 <= percent <= 100:
        return [_("进度须在0到100之间。")]
    if status in (ProgressStatus.COMPLETED, ProgressStatus.ACCEPTED) and percent != 100:
        return [_("标记为已完工或已验收时，进度须为100%。")]
    if status is ProgressStatus.NOT_STARTED and percent != 0:
        return [_("未开工的项目进度应为0%。")]
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

def transition_error(current: ProblemStatus, target: ProblemStatus) -> str | None:
    """None if ``current`` -> ``target`` is a step of the loop, else the reason it is refused (in the
    reader's language)."""
    if target in PROBLEM_TRANSITIONS[current]:
        return None
    if current is ProblemStatus.VERIFIED:
        return _("该问题已核验关闭，不能再操作。")
    status = PROBLEM_STATUS_LABELS[current]
    if target is ProblemStatus.ASSIGNED:
        return _("问题当前为“%(status)s”，不能交办。", status=status)
    if target is ProblemStatus.RECTIFIED:
        return _("问题当前为“%(status)s”，不能登记整改。", status=status)
    if target is ProblemStatus.VERIFIED:
        return _("问题当前为“%(status)s”，不能核验。", status=status)
    if target is ProblemStatus.REOPENED:
        return _("问题当前为“%(status)s”，不能重新打开。", status=status)
    return _("问题当前为“%(status)s”，不能改为“%(target)s”。", status=status, target=PROBLEM_STATUS_LABELS[target])


def is_overdue(status: ProblemStatus, deadline: date | None, today: date) -> bool:
    """True when the rectification deadline has passed (``today`` > deadline) and the problem is not
    yet rectified or verified."""
    if deadline is None or status in (ProblemStatus.RECTIFIED, ProblemStatus.VERIFIED):
        return False
    return today > deadline


# --- completion acceptance ------------------------------------------------------------------------

def acceptance_errors(passed: bool, roles: set, item_results: dict[int, bool], adopted_ids: set[int],
                      unfinished: list[str] | None = None, open_problems: int = 0) -> list[str]:
    """Reasons (in the reader's language) why an acceptance record is refused; [] when fine.

    ``roles``: AcceptanceRole values present; ``item_results``: {project_item_id: passed}; ``adopted_ids``:
    the project's adopted items; ``unfinished``: names of adopted items not yet completed (已完工, 100%);
    ``open_problems``: problem reports not yet verified. Every adopted item needs a result. A passed acceptance
    needs the client, design, construction and supervision firms present (建质〔2013〕171号 art. 6: the client
    organises the acceptance with the design, construction and supervision firms; art. 5: the works are
    completed as designed and contracted first), every item completed and passed, and every problem closed.
    """
    from renovation.construction.models import ACCEPTANCE_ROLE_LABELS, AcceptanceRole

    errors = []
    if set(item_results) - adopted_ids:
        errors.append(_("验收结果中有不属于本项目的改造项目。"))
    missing = adopted_ids - set(item_results)
    if missing:
        errors.append(_("还有 %(n)d 个改造项目未填写验收结果。", n=len(missing)))
    if passed:
        required = [AcceptanceRole.CLIENT, AcceptanceRole.DESIGN, AcceptanceRole.CONSTRUCTION,
                    AcceptanceRole.SUPERVISION]
        absent = [ACCEPTANCE_ROLE_LABELS[r] for r in required if r not in roles]
        if absent:
            errors.append(_("验收通过须有建设、设计、施工、监理单位参加，缺少：%(roles)s。", roles=join_names(absent)))
        failed = sum(1 for ok in item_results.values() if not ok)
        if failed:
            errors.append(_("有 %(n)d 个改造项目验收不合格，整体验收不能为“通过”。", n=failed))
        if unfinished:
            errors.append(_("以下改造项目尚未完工（须为“已完工”且进度100%%）：%(items)s。", items=join_names(unfinished)))
        if open_problems:
            errors.append(_("还有 %(n)d 个问题未整改核验，销号后才能验收通过。", n=open_problems))
    return errors


# --- bulk progress update from a spreadsheet ------------------------------------------------------

#: Columns of the progress spreadsheet, export and import alike (the sheet is a document: always Chinese).
SHEET_COLUMNS = ["编号", "改造项目", "状态", "完成进度（%）", "说明"]


@dataclass
class ImportRow:
    """One data row of an imported sheet: ``row`` is the spreadsheet row number (header is row 1)."""

    row: int
    item_id: int | None
    name: str
    status: ProgressStatus | None
    percent: int | None
    note: str | None
    errors: list[str] = field(default_factory=list)
    changed: bool = False


def _status_from(value) -> ProgressStatus | None:
    from renovation.core.i18n import chinese
    from renovation.projects.models import PROGRESS_STATUS_LABELS

    text = str(value or "").strip()
    with chinese():  # the sheet is written in Chinese whatever the reader's language
        for status, label in PROGRESS_STATUS_LABELS.items():
            if text in (str(label), status.value):
                return status
    return None


def _int_from(value) -> int | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip().rstrip("%").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def check_import_rows(rows: list[tuple[int, list]], items: dict[int, tuple[str, ProgressStatus, int]]) -> list[ImportRow]:
    """Check the data rows of a progress sheet against the project's adopted ``items``
    ({id: (name, current status, current percent)}); each row is (row number, [编号, 改造项目, 状态, 进度, 说明]).

    Returns one ImportRow per non-empty row, with ``errors`` in the reader's language (unknown id, an id twice, unknown
    status, percent not a whole number 0..100, the rules of ``progress_errors``) and ``changed`` (status or
    percent differs from now, or a note is given). Blank rows are skipped.
    """
    out: list[ImportRow] = []
    seen: dict[int, int] = {}
    for number, cells in rows:
        cells = list(cells) + [None] * (len(SHEET_COLUMNS) - len(cells))
        if all(c is None or str(c).strip() == "" for c in cells[:5]):
            continue
        raw_id, name, raw_status, raw_percent, raw_note = cells[:5]
        item_id = _int_from(raw_id)
        status = _status_from(raw_status)
        percent = _int_from(raw_percent)
        note = str(raw_note).strip() if raw_note not in (None, "") else None
        row = ImportRow(number, item_id, str(name or "").strip(), status, percent, note)
        if item_id is None or item_id not in items:
            row.errors.append(_("编号“%(value)s”不是本项目表决通过的改造项目。",
                                value=raw_id if raw_id is not None else ""))
        elif item_id in seen:
            row.errors.append(_("编号 %(id)s 与第 %(row)s 行重复。", id=item_id, row=seen[item_id]))
        else:
            seen[item_id] = number
        if status is None:
            row.errors.append(_("状态“%(value)s”无法识别，应为：未开工、施工中、暂停、已完工、已验收。",
                                value=raw_status or ""))
        if percent is None:
            row.errors.append(_("进度“%(value)s”不是0到100的整数。",
                                value=raw_percent if raw_percent is not None else ""))
        if not row.errors and item_id in items:
            _name, current, current_pct = items[item_id]
            row.changed = (status, percent) != (current, current_pct) or note is not None
            if row.changed:
                row.errors += progress_errors(percent, status, current)
        out.append(row)
    return out
