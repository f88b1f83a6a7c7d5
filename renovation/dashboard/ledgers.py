"""Ledgers (台账) as an .xlsx workbook, the spreadsheets leaders hand on to their superiors.

One sheet per topic (项目台账, 改造内容, 资金来源, 进度, 问题台账), Chinese headers in bold in a frozen
first row, numbers written as numbers (money in yuan to the fen, areas in m², rates and progress as
percentages of the cell's number format), dates as dates (Asia/Shanghai), and a 合计 row where sums mean
something. Built with openpyxl in write-only mode (streams rows: 5,000 compounds stay cheap).
Five SQL statements beyond the compound rows, whatever the number of compounds.

A ledger is a document: it is built in Chinese whatever the reader's language (``core.i18n.chinese()``),
labels included (lazy labels are turned into plain strings, which openpyxl needs).
"""

import io
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel.speaklater import LazyString
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from renovation.accounts.models import User
from renovation.construction.models import PROBLEM_STATUS_LABELS, ProblemReport, ProgressUpdate
from renovation.construction.rules import is_overdue
from renovation.core.i18n import chinese
from renovation.core.timeutil import to_local
from renovation.dashboard.services import (
    CompoundRow,
    Filters,
    _project_ids,
    filtered_rows,
    node_label,
    scoped,
)
from renovation.extensions import db
from renovation.planning.models import FUNDING_KIND_LABELS, FundingKind, FundingSource
from renovation.projects.models import (
    CATEGORY_LABELS,
    PROGRESS_STATUS_LABELS,
    CatalogueItem,
    ProgressStatus,
    ProjectItem,
    ProjectItemStatus,
)

SHEETS = ["项目台账", "改造内容", "资金来源", "进度", "问题台账"]
MONEY = "#,##0.00"
AREA = "#,##0.00"
INT = "#,##0"
PCT = "0.0%"
DATE = "yyyy-mm-dd"

PROJECT_HEADERS = ["序号", "街道", "社区", "小区", "地址", "批次", "阶段", "户数", "建筑面积(m²)", "意愿同意率",
                   "改造项目数", "计划投资(元)", "估算完成投资(元)", "总体进度", "开工日期", "计划完工日期",
                   "未关闭问题", "逾期问题", "状态", "原因"]
ITEM_HEADERS = ["序号", "街道", "社区", "小区", "改造项目", "类别", "数量", "单位", "单价(元)", "预算(元)",
                "计划开工", "计划完工", "进度", "施工状态"]
PROGRESS_HEADERS = ["序号", "街道", "小区", "阶段", "改造项目数", "已完工项数", "实际进度", "计划进度", "偏差(百分点)",
                    "最近进度填报", "状态", "原因"]
PROBLEM_HEADERS = ["序号", "街道", "小区", "问题", "状态", "上报日期", "整改期限", "逾期天数", "关闭日期"]


def funding_headers() -> list[str]:
    """Headers of the funding sheet: compound, one column per funding source (yuan), funded total,
    budget and the part without a source."""
    return (["序号", "街道", "小区"] + [f"{FUNDING_KIND_LABELS[k]}(元)" for k in FundingKind]
            + ["已落实合计(元)", "计划投资(元)", "未落实(元)"])


def ledger_filename(user: User, today: date) -> tuple[str, str]:
    """(Chinese file name, ASCII fallback): '桐柏路街道-老旧小区改造台账-2020-10-21.xlsx'."""
    with chinese():
        node = str(node_label(user))
    return (f"{node}-老旧小区改造台账-{today.isoformat()}.xlsx",
            f"renovation-ledger-{today.isoformat()}.xlsx")


def _local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()


class _Sheet:
    """A write-only sheet with a bold frozen header row and per-column number formats."""

    def __init__(self, wb: Workbook, title: str, headers: list[str], formats: dict[int, str],
                 widths: dict[int, float] | None = None):
        self.ws = wb.create_sheet(title)
        self.formats = formats
        self.ws.freeze_panes = "A2"
        for i, h in enumerate(headers):
            self.ws.column_dimensions[get_column_letter(i + 1)].width = (widths or {}).get(i, max(10, len(h) * 2 + 2))
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="F2DCDB")
        cells = []
        for h in headers:
            c = WriteOnlyCell(self.ws, value=str(h))
            c.font, c.fill, c.alignment = bold, fill, Alignment(horizontal="center", wrap_text=True)
            cells.append(c)
        self.ws.append(cells)

    def row(self, values: list, bold: bool = False) -> None:
        cells = []
        for i, v in enumerate(values):
            if isinstance(v, LazyString):
                v = str(v)  # a lazy label: evaluated here, under chinese()
            c = WriteOnlyCell(self.ws, value=v)
            if i in self.formats and v is not None and not isinstance(v, str):
                c.number_format = self.formats[i]
            if bold:
                c.font = Font(bold=True)
            cells.append(c)
        self.ws.append(cells)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def build_ledger(user: User, filters: Filters, today: date) -> bytes:
    """The ledger workbook (xlsx bytes) of the compounds ``user`` may read that pass ``filters``, on
    ``today``. Money in yuan, areas in m², rates and progress as fractions shown as %. In Chinese whatever
    the reader's language (status reasons and labels included)."""
    with chinese():
        return _build_ledger(user, filters, today)


def _build_ledger(user: User, filters: Filters, today: date) -> bytes:
    rows = filtered_rows(user, filters, today)
    wanted = {r.project_id: r for r in rows}
    ids = _project_ids(scoped(user, filters))
    wb = Workbook(write_only=True)
    _projects_sheet(wb, rows)
    _items_sheet(wb, wanted, ids)
    _funding_sheet(wb, rows, ids)
    _progress_sheet(wb, rows, ids)
    _problems_sheet(wb, wanted, ids, today)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _projects_sheet(wb: Workbook, rows: list[CompoundRow]) -> None:
    s = _Sheet(wb, "项目台账", PROJECT_HEADERS,
               {7: INT, 8: AREA, 9: PCT, 10: INT, 11: MONEY, 12: MONEY, 13: PCT, 14: DATE, 15: DATE, 16: INT, 17: INT},
               {3: 18, 4: 20, 19: 30})
    for n, r in enumerate(rows, start=1):
        rate = r.consent_rate
        s.row([n, r.subdistrict_name, r.community_name, r.compound_name, r.address or "", r.batch_name or "",
               r.stage.label, r.households, r.area, None if rate is None else round(float(rate), 4), r.items,
               r.budget, r.spent, _pct(r.progress), r.started_on, r.target_end_on, r.open_problems,
               r.overdue_problems, r.verdict.status.label, r.verdict.reason_text])
    s.row(["合计", "", "", f"{len(rows)}个小区", "", "", "", sum(r.households for r in rows),
           sum((r.area for r in rows), Decimal("0")), None, sum(r.items for r in rows),
           sum((r.budget for r in rows), Decimal("0")), sum((r.spent for r in rows), Decimal("0")), None, None, None,
           sum(r.open_problems for r in rows), sum(r.overdue_problems for r in rows), "", ""], bold=True)


def _items_sheet(wb: Workbook, wanted: dict[int, CompoundRow], ids) -> None:
    s = _Sheet(wb, "改造内容", ITEM_HEADERS, {6: "#,##0.00", 8: MONEY, 9: MONEY, 10: DATE, 11: DATE, 12: PCT},
               {3: 18, 4: 20})
    items = db.session.execute(
        select(ProjectItem.project_id, ProjectItem.name, CatalogueItem.category, ProjectItem.quantity,
               ProjectItem.unit, ProjectItem.unit_price, ProjectItem.budget, ProjectItem.planned_start,
               ProjectItem.planned_end, ProjectItem.progress_percent, ProjectItem.progress_status)
        .outerjoin(CatalogueItem, CatalogueItem.id == ProjectItem.catalogue_item_id)
        .where(ProjectItem.project_id.in_(ids), ProjectItem.status == ProjectItemStatus.ADOPTED)
        .order_by(ProjectItem.project_id, ProjectItem.sort_order, ProjectItem.id)).all()
    by_project = defaultdict(list)
    for it in items:
        if it[0] in wanted:
            by_project[it[0]].append(it)
    n = 0
    total = Decimal("0")
    for pid, r in wanted.items():
        for _, name, cat, qty, unit, price, budget, start, end, pct, status in by_project.get(pid, []):
            n += 1
            total += budget or 0
            s.row([n, r.subdistrict_name, r.community_name, r.compound_name, name,
                   CATEGORY_LABELS[cat] if cat else "", qty, unit or "", price, budget, start, end,
                   round(pct / 100, 4), PROGRESS_STATUS_LABELS[status]])
    s.row(["合计", "", "", "", f"{n}项", "", None, "", None, total, None, None, None, ""], bold=True)


def _funding_sheet(wb: Workbook, rows: list[CompoundRow], ids) -> None:
    kinds = list(FundingKind)
    n_k = len(kinds)
    formats = {3 + i: MONEY for i in range(n_k + 3)}
    s = _Sheet(wb, "资金来源", funding_headers(), formats, {2: 18})
    amounts: dict[int, dict[FundingKind, Decimal]] = defaultdict(dict)
    for pid, kind, amount in db.session.execute(
            select(ProjectItem.project_id, FundingSource.kind, func.sum(FundingSource.amount))
            .join(ProjectItem, ProjectItem.id == FundingSource.project_item_id)
            .where(ProjectItem.project_id.in_(ids), ProjectItem.status == ProjectItemStatus.ADOPTED)
            .group_by(ProjectItem.project_id, FundingSource.kind)):
        amounts[pid][kind] = Decimal(amount or 0)
    totals = [Decimal("0")] * (n_k + 3)
    for n, r in enumerate(rows, start=1):
        per = [amounts[r.project_id].get(k, Decimal("0")) for k in kinds]
        funded = sum(per, Decimal("0"))
        values = per + [funded, r.budget, r.budget - funded]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        s.row([n, r.subdistrict_name, r.compound_name] + values)
    s.row(["合计", "", f"{len(rows)}个小区"] + totals, bold=True)


def _progress_sheet(wb: Workbook, rows: list[CompoundRow], ids) -> None:
    s = _Sheet(wb, "进度", PROGRESS_HEADERS, {4: INT, 5: INT, 6: PCT, 7: PCT, 8: "0.0", 9: DATE}, {2: 18, 11: 30})
    done = dict(db.session.execute(
        select(ProjectItem.project_id, func.count(ProjectItem.id))
        .where(ProjectItem.project_id.in_(ids), ProjectItem.status == ProjectItemStatus.ADOPTED,
               ProjectItem.progress_status.in_([ProgressStatus.COMPLETED, ProgressStatus.ACCEPTED]))
        .group_by(ProjectItem.project_id)).all())
    last = dict(db.session.execute(
        select(ProjectItem.project_id, func.max(ProgressUpdate.created_at))
        .join(ProjectItem, ProjectItem.id == ProgressUpdate.project_item_id)
        .where(ProjectItem.project_id.in_(ids))
        .group_by(ProjectItem.project_id)).all())
    for n, r in enumerate(rows, start=1):
        gap = None if r.planned is None or r.progress is None else round(r.planned - r.progress, 1)
        s.row([n, r.subdistrict_name, r.compound_name, r.stage.label, r.items, done.get(r.project_id, 0),
               _pct(r.progress), _pct(r.planned), gap, _local_date(last.get(r.project_id)),
               r.verdict.status.label, r.verdict.reason_text])
    s.row(["合计", "", f"{len(rows)}个小区", "", sum(r.items for r in rows),
           sum(done.get(r.project_id, 0) for r in rows), None, None, None, None, "", ""], bold=True)


def _problems_sheet(wb: Workbook, wanted: dict[int, CompoundRow], ids, today: date) -> None:
    s = _Sheet(wb, "问题台账", PROBLEM_HEADERS, {5: DATE, 6: DATE, 7: INT, 8: DATE}, {2: 18, 3: 30})
    problems = db.session.execute(
        select(ProblemReport.project_id, ProblemReport.title, ProblemReport.status, ProblemReport.created_at,
               ProblemReport.deadline, ProblemReport.closed_at)
        .where(ProblemReport.project_id.in_(ids))
        .order_by(ProblemReport.created_at, ProblemReport.id)).all()
    n = 0
    for pid, title, status, created, deadline, closed in problems:
        r = wanted.get(pid)
        if r is None:
            continue
        n += 1
        late = (today - deadline).days if is_overdue(status, deadline, today) else 0
        s.row([n, r.subdistrict_name, r.compound_name, title, PROBLEM_STATUS_LABELS[status], _local_date(created),
               deadline, late, _local_date(closed)])
    s.row(["合计", "", "", f"{n}个问题", "", None, None, None, None], bold=True)
