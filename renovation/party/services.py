"""Write-side operations of the temporary Party branch. Flush only; the view commits."""

from datetime import date

from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.party.models import Meeting, PartyBranch
from renovation.projects.access import can_edit_project


def can_view_party(user, project) -> bool:
    """Branch records are for staff and leaders (admin, leaders of the area, the project's squad), not residents."""
    from renovation.accounts.models import Role
    from renovation.projects.access import can_view_project

    return user.is_authenticated and user.role in (Role.ADMIN, Role.LEADER, Role.SQUAD) and can_view_project(
        user, project)


def record_meeting(branch: PartyBranch, project, user, *, held_on: date, title: str, attendees: int,
                   expected: int, minutes: str | None) -> Meeting:
    """Record a meeting of ``branch``; attendees <= expected (people).

    Raises PermissionDenied unless ``user`` may edit the project; DomainError if attendees > expected.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied()
    if attendees > expected:
        raise DomainError("实到人数不能多于应到人数。")
    meeting = Meeting(branch_id=branch.id, held_on=held_on, title=title.strip(), attendees=attendees,
                      expected=expected, minutes=minutes or None)
    db.session.add(meeting)
    db.session.flush()
    audit.record(user, "meeting.record", meeting, after={"held_on": held_on.isoformat(), "title": meeting.title},
                 project_id=project.id)
    return meeting
