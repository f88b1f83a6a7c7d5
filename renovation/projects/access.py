"""Who may see and do what on a project (role + jurisdiction + assignment), as plain functions.

- administrator: everything;
- leader: reads every project whose compound lies under their node (district/subdistrict/community),
  edits nothing;
- squad member: reads and edits the projects assigned to them;
- resident / resident supervisor: reads their own compound's project, acts only for their own household;
  a supervisor may also file problem reports and verify rectifications.
"""

from sqlalchemy import Select, exists, select

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.extensions import db
from renovation.org.models import Community, Compound, Household, Subdistrict
from renovation.projects.models import Project


def visible_projects(user: User) -> Select:
    """A SELECT of the Projects ``user`` may read (joined to Compound, Community, Subdistrict)."""
    stmt = (
        select(Project)
        .join(Compound, Project.compound_id == Compound.id)
        .join(Community, Compound.community_id == Community.id)
        .join(Subdistrict, Community.subdistrict_id == Subdistrict.id)
    )
    if user.role is Role.ADMIN:
        return stmt
    if user.role is Role.LEADER:
        if user.community_id:
            return stmt.where(Community.id == user.community_id)
        if user.subdistrict_id:
            return stmt.where(Subdistrict.id == user.subdistrict_id)
        return stmt.where(Subdistrict.district_id == user.district_id)
    if user.role is Role.SQUAD:
        return stmt.where(
            exists().where(ProjectAssignment.project_id == Project.id, ProjectAssignment.user_id == user.id)
        )
    if user.is_resident_like() and user.household_id:
        own = select(Household.compound_id).where(Household.id == user.household_id).scalar_subquery()
        return stmt.where(Project.compound_id == own)
    return stmt.where(False)


def can_view_project(user: User, project: Project) -> bool:
    """True if ``user`` may read ``project``'s pages."""
    if not user.is_authenticated:
        return False
    stmt = visible_projects(user).where(Project.id == project.id).with_only_columns(Project.id)
    return db.session.scalar(stmt) is not None


def can_edit_project(user: User, project: Project) -> bool:
    """True if ``user`` may change ``project`` (administrator, or a squad member assigned to it)."""
    if not user.is_authenticated:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.SQUAD:
        return db.session.scalar(
            select(ProjectAssignment.id).where(
                ProjectAssignment.project_id == project.id, ProjectAssignment.user_id == user.id
            )
        ) is not None
    return False


def can_act_for_household(user: User, household: Household) -> bool:
    """True if ``user`` may answer or vote online for ``household``: only the resident bound to it."""
    return user.is_authenticated and user.is_resident_like() and user.household_id == household.id


def can_report_problem(user: User, project: Project) -> bool:
    """Residents, supervisors (of the compound) and the project's squad may file problem reports."""
    if user.is_resident_like():
        return can_view_project(user, project)
    return can_edit_project(user, project)


def can_verify_rectification(user: User, project: Project) -> bool:
    """Resident supervisors of the compound and the project's squad verify rectified problems."""
    if user.role is Role.SUPERVISOR:
        return can_view_project(user, project)
    return can_edit_project(user, project)


def may_fetch_project_file(user: User, upload) -> bool:
    """Upload-access rule (core.hooks) of a project's files (site photos, notices, documents): whoever may
    read the project. Raises NotFound when the upload belongs to no project. Areas register it for their
    kinds of project file; personal documents have rules of their own."""
    from werkzeug.exceptions import NotFound

    project = db.session.get(Project, upload.project_id) if upload.project_id else None
    if project is None:
        raise NotFound()
    return can_view_project(user, project)
