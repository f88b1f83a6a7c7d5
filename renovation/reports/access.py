"""Who may download a project's PDF progress report."""

from sqlalchemy import select

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.extensions import db
from renovation.projects.models import Project


def can_download_report(user: User, project: Project) -> bool:
    """True if ``user`` may download ``project``'s PDF report: an administrator, a leader whose jurisdiction
    holds the compound, or a squad member assigned to the project. Residents and supervisors may not.

    The caller has already checked that ``user`` may read the project (load_project), which is what
    limits a leader to their own jurisdiction.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role in (Role.ADMIN, Role.LEADER):
        return True
    if user.role is Role.SQUAD:
        return db.session.scalar(select(ProjectAssignment.id).where(
            ProjectAssignment.project_id == project.id, ProjectAssignment.user_id == user.id)) is not None
    return False
