"""Write-side operations of construction oversight (过程监督), and read models of its pages.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
Chinese messages, flushes (never commits) and writes an audit row for each state change.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import (
    Acceptance,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
)
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import local_today
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.org.models import Building, Entrance
from renovation.planning.models import Contractor
from renovation.projects.access import can_edit_project, can_report_problem, can_verify_rectification
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
        raise DomainError(f"项目处于“{project.stage.label}”阶段，施工阶段（过程监督）才能进行此操作。")


# --- progress -----------------------------------------------------------------------------------

def post_progress(item: ProjectItem, user: User, percent: int, status: ProgressStatus, note: str | None = None,
                  photo: Photo | None = None) -> ProgressUpdate:
    """Record progress of an adopted item: percent (0..100), status, note, optional photo; sets the
    item's current progress_percent/progress_status.

    Raises PermissionDenied (not squad/admin); DomainError ('进度须在0到100之间', item not adopted,
    project not in construction, photo not an image). Nothing is written when it raises.
    """
    project = item.project
    if not can_edit_project(user, project):
        raise PermissionDenied("只有本项目的专班成员或管理员可以填报进度。")
    _require_construction(project)
    if item.status is not ProjectItemStatus.ADOPTED:
        raise DomainError("只有表决通过的改造项目才能填报进度。")
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
        .options(selectinload(ProjectItem.contractor)).order_by(ProjectItem.sort_order, ProjectItem.id))
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
    return step


def report_problem(project: Project, user: User, title: str, description: str | None = None, *,
                   building_id: int | None = None, entrance_id: int | None = None,
                   project_item_id: int | None = None, photo: Photo | None = None) -> ProblemReport:
    """File a problem report (status reported) with its first history step.

    Residents and supervisors of the compound and the project's squad may file (access.can_report_problem).
    Raises PermissionDenied; DomainError when the building/entrance/item is not the project's, the
    entrance is not in the building, or the photo is not an image.
    """
    if not can_report_problem(user, project):
        raise PermissionDenied("只有本小区居民、居民监督员和本项目专班可以反映问题。")
    _require_construction(project)
    building = db.session.get(Building, building_id) if building_id else None
    if building_id and (building is None or building.compound_id != project.compound_id):
        raise DomainError("所选楼栋不属于本小区。")
    entrance = db.session.get(Entrance, entrance_id) if entrance_id else None
    if entrance_id:
        if entrance is None or entrance.building.compound_id != project.compound_id:
            raise DomainError("所选单元不属于本小区。")
        if building is not None and entrance.building_id != building.id:
            raise DomainError("所选单元不在所选楼栋内。")
        building = entrance.building
    if project_item_id:
        item = db.session.get(ProjectItem, project_item_id)
        if item is None or item.project_id != project.id:
            raise DomainError("所选改造项目不属于本项目。")
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
        raise PermissionDenied("只有本项目的专班成员或管理员可以交办问题。")
    firm = db.session.get(Contractor, contractor_id)
    if firm is None or firm.project_id != project.id:
        raise DomainError("所选责任单位不属于本项目。")
    if deadline < (today or local_today()):
        raise DomainError("整改期限不能早于今天。")
    before = _move(problem, ProblemStatus.ASSIGNED)
    problem.contractor_id = firm.id
    problem.deadline = deadline
    return _step(problem, user, ProblemStatus.ASSIGNED, note, None, "problem.assign", before,
                 {"contractor_id": firm.id, "deadline": deadline.isoformat()})


def rectify_problem(problem: ProblemReport, user: User, note: str | None = None,
                    photo: Photo | None = None) -> Rectification:
    """The squad records the firm's fix, with a note and optional photo. Raises PermissionDenied; DomainError."""
    if not can_edit_project(user, problem.project):
        raise PermissionDenied("只有本项目的专班成员或管理员可以登记整改。")
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
        raise PermissionDenied("只有反映人、居民监督员或专班可以核验整改。")
    before = _move(problem, ProblemStatus.VERIFIED)
    photo_id = _save_photo(photo, problem.project, user, "核验照片")
    problem.closed_at = utcnow()
    return _step(problem, user, ProblemStatus.VERIFIED, note, photo_id, "problem.verify", before)


def reopen_problem(problem: ProblemReport, user: User, note: str) -> Rectification:
    """The fix did not hold: rectified -> reopened (needs assigning again). Raises PermissionDenied;
    DomainError (illegal step, no reason given)."""
    if not can_verify(user, problem):
        raise PermissionDenied("只有反映人、居民监督员或专班可以重新打开问题。")
    if not (note or "").strip():
        raise DomainError("请说明为什么重新打开。")
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

def record_acceptance(project: Project, user: User, accepted_on: date, passed: bool, participants: str | None,
                      note: str | None = None) -> Acceptance:
    """Record a completion acceptance (竣工验收); a passed one opens the gate to aftercare.

    ``participants``: one party per line (blank lines dropped). Raises PermissionDenied; DomainError
    (project not in construction, date in the future).
    """
    if not can_edit_project(user, project):
        raise PermissionDenied("只有本项目的专班成员或管理员可以登记竣工验收。")
    _require_construction(project)
    if accepted_on > local_today():
        raise DomainError("验收日期不能晚于今天。")
    lines = [line.strip() for line in (participants or "").splitlines() if line.strip()]
    acceptance = Acceptance(project_id=project.id, accepted_on=accepted_on, passed=passed,
                            participants="\n".join(lines) or None, note=(note or "").strip() or None,
                            recorded_by_id=user.id)
    db.session.add(acceptance)
    db.session.flush()
    audit.record(user, "acceptance.record", acceptance,
                 after={"accepted_on": accepted_on.isoformat(), "passed": passed})
    return acceptance


def acceptances(project: Project) -> list[Acceptance]:
    """The project's acceptance records, latest first."""
    return list(db.session.scalars(select(Acceptance).where(Acceptance.project_id == project.id)
                                   .order_by(Acceptance.accepted_on.desc(), Acceptance.id.desc())))

