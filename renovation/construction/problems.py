"""Problem reports (问题反映) and their rectification loop (交办 > 整改 > 核验, or reopened), with the
in-app notifications that tell the reporter of each step.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language (what is stored stays Chinese: problem titles, notifications, upload
captions), flushes (never commits) and writes an audit row for each state change.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import Notification, ProblemReport, ProblemStatus, Rectification
from renovation.construction.progress import Photo, require_construction, save_photo
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import local_today
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.org.models import Building, Entrance
from renovation.planning.models import Contractor
from renovation.projects.access import can_edit_project, can_report_problem, can_verify_rectification
from renovation.projects.models import Project, ProjectItem

# --- problem reports ------------------------------------------------------------------------------

def add_step(problem: ProblemReport, user: User, to: ProblemStatus, note: str | None, photo_id: int | None,
             action: str, before: ProblemStatus | None, extra: dict | None = None) -> Rectification:
    """Write one step of ``problem``'s history (to status ``to``, note, photo Upload id), its audit row
    (``action``, status ``before`` -> ``to`` plus ``extra``) and the reporter's notification; flushes."""
    step = Rectification(problem=problem, to_status=to, note=(note or "").strip() or None, photo_id=photo_id,
                         user_id=user.id)
    db.session.add(step)
    db.session.flush()
    set_owner(photo_id, "problem", problem.id)  # report, rectification and verification photos: the problem's
    audit.record(user, action, problem, before={"status": before.value} if before else None,
                 after={"status": to.value, **(extra or {})}, project_id=problem.project_id)
    tell_reporter(problem, user, to)
    return step


def tell_reporter(problem: ProblemReport, actor: User, to: ProblemStatus) -> Notification | None:
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
    require_construction(project)
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
    photo_id = save_photo(photo, project, user, "问题照片")
    problem = ProblemReport(project_id=project.id, title=title.strip(), description=(description or "").strip() or None,
                            building_id=building.id if building else None,
                            entrance_id=entrance.id if entrance else None,
                            project_item_id=project_item_id or None, reporter_id=user.id,
                            status=ProblemStatus.REPORTED, photo_id=photo_id)
    db.session.add(problem)
    db.session.flush()
    add_step(problem, user, ProblemStatus.REPORTED, description, photo_id, "problem.report", None)
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
    return add_step(problem, user, ProblemStatus.ASSIGNED, note, None, "problem.assign", before,
                 {"contractor_id": firm.id, "deadline": deadline.isoformat()})


def rectify_problem(problem: ProblemReport, user: User, note: str | None = None,
                    photo: Photo | None = None) -> Rectification:
    """The squad records the firm's fix, with a note and optional photo. Raises PermissionDenied; DomainError."""
    if not can_edit_project(user, problem.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以登记整改。"))
    before = _move(problem, ProblemStatus.RECTIFIED)
    photo_id = save_photo(photo, problem.project, user, "整改照片")
    return add_step(problem, user, ProblemStatus.RECTIFIED, note, photo_id, "problem.rectify", before)


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
    photo_id = save_photo(photo, problem.project, user, "核验照片")
    problem.closed_at = utcnow()
    return add_step(problem, user, ProblemStatus.VERIFIED, note, photo_id, "problem.verify", before)


def reopen_problem(problem: ProblemReport, user: User, note: str) -> Rectification:
    """The fix did not hold: rectified -> reopened (needs assigning again). Raises PermissionDenied;
    DomainError (illegal step, no reason given)."""
    if not can_verify(user, problem):
        raise PermissionDenied(_("只有反映人、居民监督员或专班可以重新打开问题。"))
    if not (note or "").strip():
        raise DomainError(_("请说明为什么重新打开。"))
    before = _move(problem, ProblemStatus.REOPENED)
    return add_step(problem, user, ProblemStatus.REOPENED, note, None, "problem.reopen", before)


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
