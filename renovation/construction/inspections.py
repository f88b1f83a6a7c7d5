"""On the site: the daily site log (施工日志) and inspections from checklists (检查), whose failed lines
open problem reports by themselves.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language (what is stored stays Chinese: problem titles, upload captions),
flushes (never commits) and writes an audit row for each state change.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import (
    ChecklistTemplate,
    Inspection,
    InspectionResult,
    ProblemReport,
    ProblemStatus,
    SiteLog,
    SiteLogPhoto,
)
from renovation.construction.problems import add_step
from renovation.construction.progress import Photo, require_construction, save_photo
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import DEFAULT_LOCALE, current_language, format_date
from renovation.core.timeutil import local_today
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.projects.access import can_edit_project, can_verify_rectification
from renovation.projects.models import Project, ProjectItem

# --- daily site log -------------------------------------------------------------------------------

class LogDateError(DomainError):
    """The site log's date is refused (in the future, or that day already has its log): shown next to
    the date field."""


def day_text(value: date) -> str:
    """A day in the reader's language: '2026年03月05日' in Chinese, 'March 5, 2026' in English."""
    return f"{value:%Y年%m月%d日}" if current_language() == DEFAULT_LOCALE else format_date(value)


def add_site_log(project: Project, user: User, log_date: date, weather: str, workforce: int, work_done: str,
                 materials: str | None = None, safety_notes: str | None = None,
                 photos: list[Photo] | None = None, today: date | None = None) -> SiteLog:
    """Write the daily site log (施工日志) of ``log_date``: weather, workforce (people), work done,
    materials, safety notes, photos. One per project per day.

    Raises PermissionDenied (not squad/admin); DomainError (not in construction, date in the future,
    a log for that day exists, workforce < 0, work done empty, a photo not an image).
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以填写施工日志。"))
    require_construction(project)
    if log_date > (today or local_today()):
        raise LogDateError(_("日志日期不能晚于今天。"))
    if workforce is None or workforce < 0:
        raise DomainError(_("施工人数不能为负数。"))
    if not (work_done or "").strip():
        raise DomainError(_("请填写当日完成的工作。"))
    exists = db.session.scalar(select(SiteLog.id).where(SiteLog.project_id == project.id, SiteLog.log_date == log_date))
    if exists is not None:
        raise LogDateError(_("%(date)s的施工日志已经填写过了，每天只记一篇。", date=day_text(log_date)))
    log = SiteLog(project_id=project.id, log_date=log_date, weather=weather.strip(), workforce=workforce,
                  work_done=work_done.strip(), materials=(materials or "").strip() or None,
                  safety_notes=(safety_notes or "").strip() or None, author_id=user.id)
    db.session.add(log)
    db.session.flush()
    for photo in photos or []:
        photo_id = save_photo(photo, project, user, f"{log_date:%Y-%m-%d}施工日志")
        db.session.add(SiteLogPhoto(site_log_id=log.id, upload_id=photo_id))
        set_owner(photo_id, "site_log", log.id)
    db.session.flush()
    audit.record(user, "site_log.add", log, after={"log_date": log_date.isoformat(), "workforce": workforce,
                                                   "photos": len(photos or [])})
    return log


def site_logs_query(project: Project) -> Select:
    """Site logs of ``project``, newest day first, with author and photos loaded (2 statements whatever
    the number of logs: the logs with authors, then all their photos)."""
    return (select(SiteLog).where(SiteLog.project_id == project.id)
            .options(joinedload(SiteLog.author), selectinload(SiteLog.photos))
            .order_by(SiteLog.log_date.desc()))


# --- inspections ----------------------------------------------------------------------------------

#: One checklist line's result as entered: (checklist line id, passed, note).
LineResult = tuple[int, bool, str | None]


def can_inspect(user: User, project: Project) -> bool:
    """Resident supervisors of the compound and the project's squad file inspections (domain.md)."""
    return can_verify_rectification(user, project)


def record_inspection(project: Project, user: User, template: ChecklistTemplate, inspected_on: date,
                      results: list[LineResult], *, project_item_id: int | None = None,
                      location: str | None = None, note: str | None = None, today: date | None = None) -> Inspection:
    """Record an inspection against ``template``: pass/fail per line with a note; each failed line opens
    a problem report by itself (status reported, reporter = the inspector, linked to the inspection).

    Raises PermissionDenied (not a supervisor of the compound or the project's squad); DomainError (not in
    construction, date in the future, a line missing or not of the template, a failed line without a
    note, item not the project's).
    """
    if not can_inspect(user, project):
        raise PermissionDenied(_("只有本小区的居民监督员或本项目专班可以登记检查。"))
    require_construction(project)
    if inspected_on > (today or local_today()):
        raise DomainError(_("检查日期不能晚于今天。"))
    lines = {line.id: line for line in template.lines}
    given = {line_id: (ok, (n or "").strip() or None) for line_id, ok, n in results}
    if set(given) - set(lines):
        raise DomainError(_("检查结果中有不属于该检查表的条目。"))
    if set(lines) - set(given):
        raise DomainError(_("还有 %(n)d 条检查内容未填写结果。", n=len(set(lines) - set(given))))
    unexplained = [lines[i].text for i, (ok, n) in given.items() if not ok and not n]
    if unexplained:
        raise DomainError(_("不合格的条目须写明问题：%(lines)s。", lines=rules.join_names(unexplained)))
    item = None
    if project_item_id:
        item = db.session.get(ProjectItem, project_item_id)
        if item is None or item.project_id != project.id:
            raise DomainError(_("所选改造项目不属于本项目。"))
    inspection = Inspection(project_id=project.id, template_id=template.id, inspected_on=inspected_on,
                            project_item_id=item.id if item else None, location=(location or "").strip() or None,
                            inspector_id=user.id, note=(note or "").strip() or None)
    db.session.add(inspection)
    db.session.flush()
    failed = 0
    for line in template.lines:
        ok, line_note = given[line.id]
        result = InspectionResult(inspection_id=inspection.id, line_id=line.id, line_text=line.text, passed=ok,
                                  note=line_note)
        if not ok:
            failed += 1
            where = f"（{inspection.location}）" if inspection.location else ""
            problem = ProblemReport(
                project_id=project.id, title=f"{template.name}检查项未通过：“{line.text}”"[:128],
                description=f"{inspected_on:%Y-%m-%d}检查{where}：{line_note}", project_item_id=inspection.project_item_id,
                reporter_id=user.id, status=ProblemStatus.REPORTED, inspection_id=inspection.id)
            db.session.add(problem)
            db.session.flush()
            add_step(problem, user, ProblemStatus.REPORTED, problem.description, None, "problem.report", None,
                     {"inspection_id": inspection.id})
            result.problem_id = problem.id
        db.session.add(result)
    db.session.flush()
    audit.record(user, "inspection.record", inspection,
                 after={"template": template.code, "lines": len(lines), "failed": failed})
    return inspection


def inspections_query(project: Project) -> Select:
    """Inspections of ``project``, newest first, with template, inspector, item and results loaded."""
    return (select(Inspection).where(Inspection.project_id == project.id)
            .options(joinedload(Inspection.template), joinedload(Inspection.inspector),
                     joinedload(Inspection.project_item), selectinload(Inspection.results))
            .order_by(Inspection.inspected_on.desc(), Inspection.id.desc()))


def active_checklists() -> list[ChecklistTemplate]:
    """The checklists that can be used, by name, with their lines."""
    return list(db.session.scalars(select(ChecklistTemplate).where(ChecklistTemplate.active.is_(True))
                                   .options(selectinload(ChecklistTemplate.lines)).order_by(ChecklistTemplate.id)))
