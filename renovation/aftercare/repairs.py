"""Residents' repair requests (报修): the categories with their target hours (a setting table), who files,
sees and handles a request, its steps, and the figures of all of a project's requests.

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language (the Chinese source inside ``gettext``), flushes (never commits) and writes an
audit row for each state change. What is stored (upload captions, audit rows) stays in Chinese.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from renovation.accounts.models import Role, User
from renovation.aftercare import rules
from renovation.aftercare.common import Photo, clean, save_photo
from renovation.aftercare.models import RepairCategory, RepairRequest, RepairStatus
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.org.models import Household
from renovation.projects.access import can_edit_project, can_view_project
from renovation.projects.models import Project

# --- repair requests ---------------------------------------------------------------------------------

def repair_categories() -> list[RepairCategory]:
    """The repair categories with their target hours (the setting table), in display order."""
    return list(db.session.scalars(select(RepairCategory).order_by(RepairCategory.sort_order, RepairCategory.id)))


def ensure_repair_categories() -> list[RepairCategory]:
    """The setting table, seeded with rules.DEFAULT_REPAIR_TARGETS when empty (flushes)."""
    rows = repair_categories()
    if rows:
        return rows
    for i, (name, hours) in enumerate(rules.DEFAULT_REPAIR_TARGETS):
        db.session.add(RepairCategory(name=name, target_hours=hours, sort_order=i))
    db.session.flush()
    return repair_categories()


def set_repair_target(user: User, name: str, target_hours: int) -> RepairCategory:
    """Set (or add) the target hours of a repair category; administrators only.

    ``target_hours``: 1-720. Raises PermissionDenied; DomainError out of range.
    """
    if not (user.is_authenticated and user.role is Role.ADMIN):
        raise PermissionDenied(_("只有系统管理员可以修改报修时限设置。"))
    if not 1 <= target_hours <= 720:
        raise DomainError(_("处理时限须在1到720小时之间。"))
    ensure_repair_categories()
    row = db.session.scalar(select(RepairCategory).where(RepairCategory.name == name.strip()))
    before = {"target_hours": row.target_hours} if row else None
    if row is None:
        order = (db.session.scalar(select(func.max(RepairCategory.sort_order))) or 0) + 1
        row = RepairCategory(name=name.strip(), target_hours=target_hours, sort_order=order)
        db.session.add(row)
    row.target_hours = target_hours
    db.session.flush()
    audit.record(user, "repair.target", row, before=before, after={"name": row.name, "target_hours": target_hours})
    return row


def can_file_repair(user: User, project: Project) -> bool:
    """Residents and resident supervisors of the compound file repair requests for their own household."""
    return (user.is_authenticated and user.is_resident_like() and user.household_id is not None
            and can_view_project(user, project))


def can_handle_repair(user: User, project: Project) -> bool:
    """The project's squad (acting as property staff) and administrators handle repair requests."""
    return can_edit_project(user, project)


def can_see_repair(user: User, request: RepairRequest, project: Project) -> bool:
    """The resident who filed it (or lives in its household), the squad, leaders over it and administrators.

    Other residents never see it: a repair request is personal.
    """
    if not user.is_authenticated:
        return False
    if user.is_resident_like():
        return request.reporter_id == user.id or (
            request.household_id is not None and request.household_id == user.household_id)
    return can_view_project(user, project)


def may_fetch_repair_photo(user: User, upload) -> bool:
    """Upload-access rule of a repair request's photo (``upload.owner_id`` is the RepairRequest), often
    taken inside the home: the household (or the resident who filed it), the project's squad and
    administrators. Leaders read the request, not the photo."""
    req = db.session.get(RepairRequest, upload.owner_id) if upload.owner_id else None
    if req is None or not user.is_authenticated:
        return False
    if user.is_resident_like():
        return req.reporter_id == user.id or (req.household_id is not None and req.household_id == user.household_id)
    return can_edit_project(user, db.session.get(Project, req.project_id))


def file_repair(project: Project, user: User, *, category_id: int, location: str, description: str | None,
                photo: Photo | None = None) -> RepairRequest:
    """A resident files a repair request for their household (status submitted); the category's target
    hours are copied onto it.

    Raises PermissionDenied (not a resident of the compound); DomainError (unknown category, photo not an
    image).
    """
    if not can_file_repair(user, project):
        raise PermissionDenied(_("只有本小区居民可以为自己家报修。"))
    category = db.session.get(RepairCategory, category_id)
    if category is None:
        raise DomainError(_("请选择报修类别。"))
    photo_id = save_photo(photo, project, user, f"报修照片：{location.strip()}")
    req = RepairRequest(project_id=project.id, household_id=user.household_id, reporter_id=user.id,
                        category_id=category.id, target_hours=category.target_hours, location=location.strip(),
                        description=clean(description), photo_id=photo_id, status=RepairStatus.SUBMITTED,
                        created_at=utcnow())
    db.session.add(req)
    db.session.flush()
    set_owner(photo_id, "repair", req.id)
    audit.record(user, "repair.file", req, after={"category": category.name, "target_hours": category.target_hours})
    return req


def handle_repair(req: RepairRequest, user: User, *, action: str, note: str | None,
                  now: datetime | None = None) -> RepairRequest:
    """The squad takes the request on (``action`` 'accept': submitted > in progress) or closes it
    ('done': submitted/in progress > done, with a result note).

    Raises PermissionDenied; DomainError for a step the status does not allow or a close without a note.
    """
    project = db.session.get(Project, req.project_id)
    if not can_handle_repair(user, project):
        raise PermissionDenied(_("只有本项目的专班（物业）人员可以处理报修。"))
    now = now or utcnow()
    before = req.status
    if action == "accept":
        if req.status is not RepairStatus.SUBMITTED:
            raise DomainError(_("报修当前为“%(status)s”，不能再受理。", status=req.status_label))
        req.status, req.accepted_at, req.handler_id = RepairStatus.IN_PROGRESS, now, user.id
    elif action == "done":
        if req.status is RepairStatus.DONE:
            raise DomainError(_("该报修已办结。"))
        if not clean(note):
            raise DomainError(_("请填写处理结果。"))
        req.status, req.done_at, req.handler_id = RepairStatus.DONE, now, user.id
        req.accepted_at = req.accepted_at or now
        req.result = note.strip()
    else:
        raise DomainError(_("不支持的操作。"))
    db.session.flush()
    audit.record(user, f"repair.{action}", req, before={"status": before.value},
                 after={"status": req.status.value, "note": clean(note)})
    return req


def repairs_query(project: Project, user: User) -> Select:
    """Repair requests of ``project`` that ``user`` may see (a resident: only their own), newest first."""
    stmt = (select(RepairRequest).where(RepairRequest.project_id == project.id)
            .options(joinedload(RepairRequest.category), joinedload(RepairRequest.household)
                     .joinedload(Household.building), joinedload(RepairRequest.household)
                     .joinedload(Household.entrance))
            .order_by(RepairRequest.created_at.desc(), RepairRequest.id.desc()))
    if user.is_resident_like():
        stmt = stmt.where((RepairRequest.reporter_id == user.id) | (RepairRequest.household_id == user.household_id))
    return stmt


def repair_stats(project: Project, now: datetime | None = None) -> rules.RepairStats:
    """Figures of all the project's repair requests at ``now`` (rules.repair_stats)."""
    rows = db.session.execute(select(RepairRequest.created_at, RepairRequest.target_hours, RepairRequest.done_at)
                              .where(RepairRequest.project_id == project.id)).all()
    return rules.repair_stats([tuple(r) for r in rows], now or utcnow())
