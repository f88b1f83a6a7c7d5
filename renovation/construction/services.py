"""Write-side operations of construction oversight (过程监督), and read models of its pages: progress
(one by one or from a spreadsheet), daily site logs, inspections from checklists, problem reports with
notifications to the reporter, completion acceptance.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language (what is stored stays Chinese: problem titles, notifications, upload
captions, the progress sheet), flushes (never commits) and writes an audit row for each state change.
"""

import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import (
    Acceptance,
    AcceptanceDocument,
    AcceptanceItemResult,
    AcceptanceParticipant,
    AcceptanceRole,
    ChecklistTemplate,
    Inspection,
    InspectionResult,
    Notification,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
    SiteLog,
    SiteLogPhoto,
)
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import DEFAULT_LOCALE, chinese, current_language, format_date
from renovation.core.timeutil import local_today
from renovation.core.uploads import save_document, save_image
from renovation.extensions import db
from renovation.org.models import Building, Entrance
from renovation.planning.models import Contractor
from renovation.projects.access import (
    can_edit_project,
    can_report_problem,
    can_verify_rectification,
)
from renovation.projects.models import ProgressStatus, Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage

#: Photo upload: (bytes, original file name).
Photo = tuple[bytes, str]


def _save_photo(photo: Photo | None, project: Project, user: User, caption: str) -> int | None:
    """Store ``photo`` (raises DomainError if not an image) and return its Upload id, or None."""
    if photo is None:
        return None
    upload = save_image(photo[0], photo[1], current_app.config["UPLOAD_FOLDER"], project_id=project.id,
                        user=user, caption=caption)
    return upload.id


def _require_construction(project: Project) -> None:
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
    _require_construction(project)
    if item.status is not ProjectItemStatus.ADOPTED:
        raise DomainError(_("只有表决通过的改造项目才能填报进度。"))
    errors = rules.progress_errors(percent, status, item.progress_status)
    if errors:
        raise DomainError(errors[0])
    photo_id = _save_photo(photo, project, user, f"{item.name}施工进度")
    update = ProgressUpdate(project_item_id=item.id, percent=percent, status=status,
                            note=(note or "").strip() or None, photo_id=photo_id, author_id=user.id)
    before = {"percent": item.progress_percent, "status": item.progress_status.value}
    item.progress_percent = percent
    item.progress_status = status
    db.session.add(update)
    db.session.flush()
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


# --- problem reports ------------------------------------------------------------------------------

def _step(problem: ProblemReport, user: User, to: ProblemStatus, note: str | None, photo_id: int | None,
          action: str, before: ProblemStatus | None, extra: dict | None = None) -> Rectification:
    step = Rectification(problem=problem, to_status=to, note=(note or "").strip() or None, photo_id=photo_id,
                         user_id=user.id)
    db.session.add(step)
    db.session.flush()
    audit.record(user, action, problem, before={"status": before.value} if before else None,
                 after={"status": to.value, **(extra or {})}, project_id=problem.project_id)
    _tell_reporter(problem, user, to)
    return step


def _tell_reporter(problem: ProblemReport, actor: User, to: ProblemStatus) -> Notification | None:
    """The reporter is told of every step taken by someone else (in-app notification, no e-mail/SMS);
    returns the notification added, None when there is nobody to tell."""
    if problem.reporter_id is None or problem.reporter_id == actor.id:
        return None
    title = problem.title if len(problem.title) <= 40 else problem.title[:39] + "…"
    if to is ProblemStatus.REPORTED:
        text = f"检查发现的问题“{title}”已登记。"
    elif to is ProblemStatus.ASSIGNED:
        firm = db.session.get(Contractor, problem.contractor_id) if problem.contractor_id else None
        text = f"您反映的问题“{title}”已交办给{firm.name if firm else '责任单位'}" + (
            f"，整改期限 {problem.deadline:%Y-%m-%d}。" if problem.deadline else "。")
    elif to is ProblemStatus.RECTIFIED:
        text = f"您反映的问题“{title}”已整改，请查看并核验。"
    elif to is ProblemStatus.VERIFIED:
        text = f"您反映的问题“{title}”已核验关闭。"
    else:
        text = f"您反映的问题“{title}”已重新打开，等待重新交办。"
    note = Notification(user_id=problem.reporter_id, project_id=problem.project_id, problem_id=problem.id,
                        message=text[:255])
    db.session.add(note)
    return note


def report_problem(project: Project, user: User, title: str, description: str | None = None, *,
                   building_id: int | None = None, entrance_id: int | None = None,
                   project_item_id: int | None = None, photo: Photo | None = None) -> ProblemReport:
    """File a problem report (status reported) with its first history step.

    Residents and supervisors of the compound and the project's squad may file (access.can_report_problem).
    Raises PermissionDenied; DomainError when the building/entrance/item is not the project's, the
    entrance is not in the building, or the photo is not an image.
    """
    if not can_report_problem(user, project):
        raise PermissionDenied(_("只有本小区居民、居民监督员和本项目专班可以反映问题。"))
    _require_construction(project)
    building = db.session.get(Building, building_id) if building_id else None
    if building_id and (building is None or building.compound_id != project.compound_id):
        raise DomainError(_("所选楼栋不属于本小区。"))
    entrance = db.session.get(Entrance, entrance_id) if entrance_id else None
    if entrance_id:
        if entrance is None or entrance.building.compound_id != project.compound_id:
            raise DomainError(_("所选单元不属于本小区。"))
        if building is not None and entrance.building_id != building.id:
            raise DomainError(_("所选单元不在所选楼栋内。"))
        building = entrance.building
    if project_item_id:
        item = db.session.get(ProjectItem, project_item_id)
        if item is None or item.project_id != project.id:
            raise DomainError(_("所选改造项目不属于本项目。"))
    photo_id = _save_photo(photo, project, user, "问题照片")
    problem = ProblemReport(project_id=project.id, title=title.strip(), description=(description or "").strip() or None,
                            building_id=building.id if building else None,
                            entrance_id=entrance.id if entrance else None,
                            project_item_id=project_item_id or None, reporter_id=user.id,
                            status=ProblemStatus.REPORTED, photo_id=photo_id)
    db.session.add(problem)
    db.session.flush()
    _step(problem, user, ProblemStatus.REPORTED, description, photo_id, "problem.report", None)
    return problem


def _move(problem: ProblemReport, target: ProblemStatus) -> ProblemStatus:
    error = rules.transition_error(problem.status, target)
    if error:
        raise DomainError(error)
    before = problem.status
    problem.status = target
    return before


def assign_problem(problem: ProblemReport, user: User, contractor_id: int, deadline: date, note: str | None = None,
                   today: date | None = None) -> Rectification:
    """The squad assigns a reported (or reopened) problem to a firm of the project with a deadline.

    Raises PermissionDenied; DomainError (illegal step, firm not the project's, deadline before today).
    """
    project = problem.project
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以交办问题。"))
    firm = db.session.get(Contractor, contractor_id)
    if firm is None or firm.project_id != project.id:
        raise DomainError(_("所选责任单位不属于本项目。"))
    if deadline < (today or local_today()):
        raise DomainError(_("整改期限不能早于今天。"))
    before = _move(problem, ProblemStatus.ASSIGNED)
    problem.contractor_id = firm.id
    problem.deadline = deadline
    return _step(problem, user, ProblemStatus.ASSIGNED, note, None, "problem.assign", before,
                 {"contractor_id": firm.id, "deadline": deadline.isoformat()})


def rectify_problem(problem: ProblemReport, user: User, note: str | None = None,
                    photo: Photo | None = None) -> Rectification:
    """The squad records the firm's fix, with a note and optional photo. Raises PermissionDenied; DomainError."""
    if not can_edit_project(user, problem.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以登记整改。"))
    before = _move(problem, ProblemStatus.RECTIFIED)
    photo_id = _save_photo(photo, problem.project, user, "整改照片")
    return _step(problem, user, ProblemStatus.RECTIFIED, note, photo_id, "problem.rectify", before)


def can_verify(user: User, problem: ProblemReport) -> bool:
    """The reporter, a supervisor of the compound or the project's squad verify or reopen a fix."""
    return (problem.reporter_id is not None and problem.reporter_id == user.id) or can_verify_rectification(
        user, problem.project)


def verify_problem(problem: ProblemReport, user: User, note: str | None = None,
                   photo: Photo | None = None) -> Rectification:
    """Confirm the fix: rectified -> verified (closed). Raises PermissionDenied; DomainError."""
    if not can_verify(user, problem):
        raise PermissionDenied(_("只有反映人、居民监督员或专班可以核验整改。"))
    before = _move(problem, ProblemStatus.VERIFIED)
    photo_id = _save_photo(photo, problem.project, user, "核验照片")
    problem.closed_at = utcnow()
    return _step(problem, user, ProblemStatus.VERIFIED, note, photo_id, "problem.verify", before)


def reopen_problem(problem: ProblemReport, user: User, note: str) -> Rectification:
    """The fix did not hold: rectified -> reopened (needs assigning again). Raises PermissionDenied;
    DomainError (illegal step, no reason given)."""
    if not can_verify(user, problem):
        raise PermissionDenied(_("只有反映人、居民监督员或专班可以重新打开问题。"))
    if not (note or "").strip():
        raise DomainError(_("请说明为什么重新打开。"))
    before = _move(problem, ProblemStatus.REOPENED)
    return _step(problem, user, ProblemStatus.REOPENED, note, None, "problem.reopen", before)


def problems_query(project: Project, status: ProblemStatus | None = None) -> Select:
    """Problems of ``project`` (newest first), optionally of one status, with everything the list shows
    loaded in the same statement (reporter, firm, building, entrance, item)."""
    stmt = (
        select(ProblemReport).where(ProblemReport.project_id == project.id)
        .options(joinedload(ProblemReport.reporter), joinedload(ProblemReport.contractor),
                 joinedload(ProblemReport.building), joinedload(ProblemReport.entrance),
                 joinedload(ProblemReport.project_item))
        .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc())
    )
    if status is not None:
        stmt = stmt.where(ProblemReport.status == status)
    return stmt


def problem_counts(project: Project, today: date | None = None) -> dict:
    """{'open': not verified, 'overdue': deadline passed and not rectified/verified, 'total'}, 1 query."""
    today = today or local_today()
    rows = db.session.execute(
        select(ProblemReport.status, ProblemReport.deadline).where(ProblemReport.project_id == project.id)).all()
    return {
        "total": len(rows),
        "open": sum(1 for s, _ in rows if s is not ProblemStatus.VERIFIED),
        "overdue": sum(1 for s, d in rows if rules.is_overdue(s, d, today)),
    }


# --- acceptance -----------------------------------------------------------------------------------

#: A participant of an acceptance: (role, organisation, person); either name may be empty, not both.
Participant = tuple[AcceptanceRole, str | None, str | None]


def record_acceptance(project: Project, user: User, accepted_on: date, passed: bool,
                      participants: list[Participant], item_results: dict[int, tuple[bool, str | None]],
                      note: str | None = None, documents: list[Photo] | None = None) -> Acceptance:
    """Record a completion acceptance (竣工验收) with participants by role, a result per adopted item and
    documents (PDF or photos); a passed one opens the gate to aftercare and marks every item accepted
    (已验收, 100%).

    ``item_results``: {project_item_id: (passed, note)}. Rules: rules.acceptance_errors (every adopted
    item has a result; passing needs the client, design, construction and supervision firms and every
    item passed). Raises PermissionDenied; DomainError (project not in construction, date in the future,
    those rules, a document neither PDF nor image). Nothing is written when it raises.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以登记竣工验收。"))
    _require_construction(project)
    if accepted_on > local_today():
        raise DomainError(_("验收日期不能晚于今天。"))
    rows = [(role, (org or "").strip() or None, (person or "").strip() or None) for role, org, person in participants]
    rows = [r for r in rows if r[1] or r[2]]
    items = {i.id: i for i in db.session.scalars(select(ProjectItem).where(
        ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED))}
    unfinished = [i.name for i in items.values() if i.progress_status not in (
        ProgressStatus.COMPLETED, ProgressStatus.ACCEPTED) or i.progress_percent < 100]
    open_problems = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, ProblemReport.status != ProblemStatus.VERIFIED)) or 0
    errors = rules.acceptance_errors(passed, {r[0] for r in rows}, {k: v[0] for k, v in item_results.items()},
                                     set(items), unfinished, open_problems)
    if errors:
        raise DomainError(" ".join(errors))
    from renovation.construction.models import ACCEPTANCE_ROLE_LABELS

    with chinese():  # stored text: Chinese whatever the reader's language
        summary = "\n".join(f"{ACCEPTANCE_ROLE_LABELS[role]!s}：{' '.join(x for x in (org, person) if x)}"
                             for role, org, person in rows)
    acceptance = Acceptance(project_id=project.id, accepted_on=accepted_on, passed=passed,
                            participants=summary or None, note=(note or "").strip() or None, recorded_by_id=user.id)
    db.session.add(acceptance)
    db.session.flush()
    for role, org, person in rows:
        db.session.add(AcceptanceParticipant(acceptance_id=acceptance.id, role=role, organisation=org, person=person))
    for item_id, (ok, item_note) in item_results.items():
        db.session.add(AcceptanceItemResult(acceptance_id=acceptance.id, project_item_id=item_id, passed=ok,
                                            note=(item_note or "").strip() or None))
    for data, name in documents or []:
        upload = save_document(data, name, current_app.config["UPLOAD_FOLDER"], project_id=project.id, user=user,
                               caption="竣工验收资料")
        db.session.add(AcceptanceDocument(acceptance_id=acceptance.id, upload_id=upload.id))
    if passed:
        for item in items.values():
            before = {"percent": item.progress_percent, "status": item.progress_status.value}
            item.progress_percent, item.progress_status = 100, ProgressStatus.ACCEPTED
            audit.record(user, "progress.accepted", item, before=before, after={"percent": 100, "status": "accepted"},
                         project_id=project.id)
    db.session.flush()
    audit.record(user, "acceptance.record", acceptance,
                 after={"accepted_on": accepted_on.isoformat(), "passed": passed,
                        "participants": len(rows), "items": len(item_results)})
    return acceptance


def acceptances(project: Project) -> list[Acceptance]:
    """The project's acceptance records, latest first, with participants, item results and documents."""
    return list(db.session.scalars(
        select(Acceptance).where(Acceptance.project_id == project.id)
        .options(selectinload(Acceptance.participant_rows),
                 selectinload(Acceptance.item_results).joinedload(AcceptanceItemResult.project_item),
                 selectinload(Acceptance.documents).joinedload(AcceptanceDocument.upload))
        .order_by(Acceptance.accepted_on.desc(), Acceptance.id.desc())))


def has_passed_acceptance(project: Project) -> bool:
    """True when a passed completion acceptance is recorded (the gate to aftercare), one query."""
    return db.session.scalar(select(Acceptance.id).where(Acceptance.project_id == project.id,
                                                         Acceptance.passed.is_(True)).limit(1)) is not None


# --- project progress -------------------------------------------------------------------------------

def project_progress(rows: list["ItemRow"]) -> float | None:
    """The project's progress (%) from its adopted item rows, weighted by budget (rules.rollup_progress)."""
    return rules.rollup_progress([(r.item.budget, r.item.progress_percent) for r in rows])


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
    _require_construction(project)
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
        photo_id = _save_photo(photo, project, user, f"{log_date:%Y-%m-%d}施工日志")
        db.session.add(SiteLogPhoto(site_log_id=log.id, upload_id=photo_id))
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
    _require_construction(project)
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
            _step(problem, user, ProblemStatus.REPORTED, problem.description, None, "problem.report", None,
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


# --- notifications --------------------------------------------------------------------------------

def notifications_for(user: User, limit: int = 200) -> list[Notification]:
    """``user``'s notifications, newest first (at most ``limit``), with their project loaded; those of
    projects the user may no longer see (e.g. moved out of the compound) are left out. One statement."""
    from renovation.projects.access import visible_projects

    visible = visible_projects(user).with_only_columns(Project.id)
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id,
                                   Notification.project_id.is_(None) | Notification.project_id.in_(visible))
        .options(joinedload(Notification.project))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def unread_count(user: User, project: Project | None = None) -> int:
    """Unread notifications of ``user`` (of one project when given), one COUNT query."""
    stmt = select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if project is not None:
        stmt = stmt.where(Notification.project_id == project.id)
    return db.session.scalar(stmt) or 0


def mark_notifications_read(user: User) -> int:
    """Mark all of ``user``'s unread notifications read; returns how many. No audit row: reading one's own
    messages changes nothing anyone else sees."""
    rows = list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.read_at.is_(None))))
    now = utcnow()
    for n in rows:
        n.read_at = now
    db.session.flush()
    return len(rows)


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
    _require_construction(project)
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
    _require_construction(project)
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

