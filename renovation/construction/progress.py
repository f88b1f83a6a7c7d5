"""Progress of construction (施工进度): the progress of each adopted item with photos, its planned progress
and red/amber/green, the project's roll-up, and progress in bulk from a spreadsheet; also the photo upload
and the stage check the other write-side modules of the area share.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language (what is stored stays Chinese: upload captions, the progress sheet),
flushes (never commits) and writes an audit row for each state change.
"""

import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import ProgressUpdate
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import chinese
from renovation.core.timeutil import local_today
from renovation.core.uploads import save_image, set_owner
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProgressStatus, Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage

#: Photo upload: (bytes, original file name).
Photo = tuple[bytes, str]


def save_photo(photo: Photo | None, project: Project, user: User, caption: str) -> int | None:
    """Store ``photo`` (raises DomainError if not an image) and return its Upload id, or None."""
    if photo is None:
        return None
    upload = save_image(photo[0], photo[1], current_app.config["UPLOAD_FOLDER"], project_id=project.id,
                        user=user, caption=caption)
    return upload.id


def require_construction(project: Project) -> None:
    """Raise DomainError unless ``project`` is in its construction stage (过程监督)."""
    if project.stage is not Stage.CONSTRUCTION:
        raise DomainError(_("项目处于“%(stage)s”阶段，施工阶段（过程监督）才能进行此操作。", stage=project.stage.label))


# --- progress -----------------------------------------------------------------------------------

def post_progress(item: ProjectItem, user: User, percent: int, status: ProgressStatus, note: str | None = None,
                  photo: Photo | None = None) -> ProgressUpdate:
    """Record progress of an adopted item: percent (0..100), status, note, optional photo; sets the
    item's current progress_percent/progress_status.

    Raises PermissionDenied (not squad/admin); DomainError ('进度须在0到100之间。', item not adopted,
    project not in construction, photo not an image). Nothing is written when it raises.
    """
    project = item.project
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以填报进度。"))
    require_construction(project)
    if item.status is not ProjectItemStatus.ADOPTED:
        raise DomainError(_("只有表决通过的改造项目才能填报进度。"))
    errors = rules.progress_errors(percent, status, item.progress_status)
    if errors:
        raise DomainError(errors[0])
    photo_id = save_photo(photo, project, user, f"{item.name}施工进度")
    update = ProgressUpdate(project_item_id=item.id, percent=percent, status=status,
                            note=(note or "").strip() or None, photo_id=photo_id, author_id=user.id)
    before = {"percent": item.progress_percent, "status": item.progress_status.value}
    item.progress_percent = percent
    item.progress_status = status
    db.session.add(update)
    db.session.flush()
    set_owner(photo_id, "progress", update.id)
    audit.record(user, "progress.update", item, before=before, after={"percent": percent, "status": status.value},
                 project_id=project.id)
    return update


def progress_history(item: ProjectItem) -> list[ProgressUpdate]:
    """The item's progress updates, newest first, with author and photo loaded."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.project_item_id == item.id)
        .options(joinedload(ProgressUpdate.author), joinedload(ProgressUpdate.photo))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())))


@dataclass
class ItemRow:
    """An adopted item with its planned progress today (%, None without dates) and RAG."""

    item: ProjectItem
    planned: float | None
    rag: rules.Rag


def item_rows(project: Project, today: date | None = None) -> list[ItemRow]:
    """Adopted items of ``project`` with planned progress and red/amber/green on ``today``."""
    today = today or local_today()
    items = db.session.scalars(
        select(ProjectItem).where(ProjectItem.project_id == project.id,
                                  ProjectItem.status == ProjectItemStatus.ADOPTED)
        .options(joinedload(ProjectItem.contractor)).order_by(ProjectItem.sort_order, ProjectItem.id))
    rows = []
    for item in items:
        planned = rules.planned_percent(item.planned_start, item.planned_end, today)
        rows.append(ItemRow(item, planned, rules.rag_status(item.progress_percent, planned)))
    return rows


def project_progress(rows: list[ItemRow]) -> float | None:
    """The project's progress (%) from its adopted item rows, weighted by budget (rules.rollup_progress)."""
    return rules.rollup_progress([(r.item.budget, r.item.progress_percent) for r in rows])


# --- bulk progress from a spreadsheet -------------------------------------------------------------

def export_progress_xlsx(project: Project) -> bytes:
    """The progress sheet of ``project`` (.xlsx): one row per adopted item with 编号, 改造项目, 状态 (Chinese),
    完成进度（%）, 说明 (empty); the same format ``preview_progress_import`` reads back."""
    from openpyxl import Workbook

    from renovation.projects.models import PROGRESS_STATUS_LABELS

    book = Workbook()
    sheet = book.active
    sheet.title = "施工进度"
    sheet.append(rules.SHEET_COLUMNS)
    with chinese():  # the sheet is a document: Chinese whatever the reader's language
        for row in item_rows(project):
            item = row.item
            sheet.append([item.id, item.name, str(PROGRESS_STATUS_LABELS[item.progress_status]),
                          item.progress_percent, None])
    for col, width in zip("ABCDE", (8, 28, 10, 14, 40), strict=True):
        sheet.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _adopted_facts(project: Project) -> dict[int, tuple[str, ProgressStatus, int]]:
    return {i.id: (i.name, i.progress_status, i.progress_percent) for i in db.session.scalars(
        select(ProjectItem).where(ProjectItem.project_id == project.id,
                                  ProjectItem.status == ProjectItemStatus.ADOPTED))}


def read_progress_sheet(data: bytes) -> list[tuple[int, list]]:
    """The data rows (row number, cells) of the first sheet of an .xlsx, header row skipped.

    Raises DomainError when the file is not an .xlsx workbook or its header is not the export's.
    """
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError):
        raise DomainError(_("文件不是 Excel 表格（.xlsx），请使用“导出进度表”下载的表格填写。")) from None
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_col=len(rules.SHEET_COLUMNS)))
    book.close()
    header = [str(c or "").strip() for c in (rows[0] if rows else [])]
    if header[:4] != rules.SHEET_COLUMNS[:4]:
        raise DomainError(_("表头与导出的进度表不一致：第一行应为 %(columns)s。",
                            columns=rules.join_names(rules.SHEET_COLUMNS)))
    if len(rows) > 1001:
        raise DomainError(_("一次最多导入1000行。"))
    return [(n, list(r)) for n, r in enumerate(rows[1:], start=2)]


def preview_progress_import(project: Project, user: User, data: bytes) -> list[rules.ImportRow]:
    """Check a filled-in progress sheet without writing anything: one ImportRow per row with its problems.

    Raises PermissionDenied; DomainError (not in construction, not an .xlsx, wrong header, no rows).
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以导入进度。"))
    require_construction(project)
    rows = rules.check_import_rows(read_progress_sheet(data), _adopted_facts(project))
    if not rows:
        raise DomainError(_("表格中没有数据行。"))
    return rows


def apply_progress_import(project: Project, user: User, changes: list[tuple[int, str, int, str | None]]) -> int:
    """Apply checked rows [(item id, status value, percent, note)], all or nothing: every row is checked
    again against the items as they are now; any problem raises DomainError and nothing is written.
    Each changed row becomes a ProgressUpdate (with audit row). Returns the number of items updated.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以导入进度。"))
    require_construction(project)
    sheet = [(n, [item_id, "", status, percent, note])  # the status value is read like its label
             for n, (item_id, status, percent, note) in enumerate(changes, start=2)]
    rows = rules.check_import_rows(sheet, _adopted_facts(project))
    bad = [r for r in rows if r.errors]
    if bad:
        raise DomainError(_("第 %(row)d 行：%(error)s（未导入任何数据）", row=bad[0].row, error=bad[0].errors[0]))
    count = 0
    for row in rows:
        if row.changed:
            item = db.session.get(ProjectItem, row.item_id)
            post_progress(item, user, row.percent, row.status, row.note or "批量导入")
            count += 1
    return count
