"""Who may see residents' personal information in full (个人信息保护法 art. 6: the minimum necessary).

- administrator: everything (users, roster corrections, data requests);
- squad member: the roster of a project assigned to them (they visit and phone households);
- resident / supervisor: their own household's data only;
- leader: never in full (they read figures and pages across compounds, with names masked: 王**).
Everyone else sees ``mask_phone``/``mask_id_number``/``mask_name`` output. Pages that show full data
call ``record_full_view`` so the audit log says who viewed whose data.
"""

from flask import has_request_context, request

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.core import audit
from renovation.core.privacy import mask_id_number, mask_name, mask_phone
from renovation.extensions import db


def may_see_full_personal_data(user: User | None, *, project_id: int | None = None,
                               household_id: int | None = None) -> bool:
    """True if ``user`` may see full names, phones and ID numbers of the roster of ``project_id``
    (or of ``household_id``). False for anonymous users and leaders."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.SQUAD and project_id is not None:
        return _assigned(user.id, project_id)
    if user.is_resident_like() and household_id is not None:
        return user.household_id == household_id
    return False


def _assigned(user_id: int, project_id: int) -> bool:
    """True if the squad member is assigned to the project; asked once per request and project (a list page
    shows many names of one project: no query per row)."""
    cache = None
    if has_request_context():
        req = request._get_current_object()
        cache = req.__dict__.setdefault("_renovation_assignments", {})
        if (user_id, project_id) in cache:
            return cache[(user_id, project_id)]
    found = db.session.scalar(db.select(ProjectAssignment.id).where(
        ProjectAssignment.project_id == project_id, ProjectAssignment.user_id == user_id)) is not None
    if cache is not None:
        cache[(user_id, project_id)] = found
    return found


def shown_person(viewer, person, *, project_id: int | None = None) -> str:
    """The name of the account ``person`` as ``viewer`` may see it: staff (squad, leaders, administrators)
    in full; a resident or supervisor in full only for those who may see their household's data
    (``may_see_full_personal_data``: the person themself, the project's squad, administrators), masked
    ('张**') for everyone else (other residents, leaders). '' for None."""
    if person is None:
        return ""
    if not person.is_resident_like():
        return person.display_name
    if viewer is not None and getattr(viewer, "id", None) == person.id:
        return person.display_name
    return shown_name(viewer, person.display_name, project_id=project_id, household_id=person.household_id)


def shown_phone(user, phone: str | None, *, project_id: int | None = None, household_id: int | None = None) -> str:
    """``phone`` in full for those allowed (``may_see_full_personal_data``), masked for everyone else."""
    if may_see_full_personal_data(user, project_id=project_id, household_id=household_id):
        return phone or ""
    return mask_phone(phone)


def shown_id_number(user, id_number: str | None, *, project_id: int | None = None,
                    household_id: int | None = None) -> str:
    """``id_number`` in full for those allowed, masked (region code and last 4 kept) for everyone else."""
    if may_see_full_personal_data(user, project_id=project_id, household_id=household_id):
        return id_number or ""
    return mask_id_number(id_number)


def shown_name(user, name: str | None, *, project_id: int | None = None, household_id: int | None = None) -> str:
    """``name`` in full for those allowed, the family name only ('张**') for everyone else."""
    if may_see_full_personal_data(user, project_id=project_id, household_id=household_id):
        return name or ""
    return mask_name(name)


def record_full_view(user: User, obj, *, fields: list[str], count: int = 1, project_id: int | None = None,
                     household_ids: list[int] | None = None):
    """Write the audit row 'personal_data.view': ``user`` saw ``fields`` (e.g. ['phone', 'id_number'])
    of ``count`` people in full on ``obj`` (an Owner, a Compound's roster page...), optionally listing the
    ``household_ids`` shown (one row per page view, not one per household). Flushes only."""
    after = {"fields": fields, "count": count}
    if household_ids is not None:
        after["household_ids"] = household_ids
    return audit.record(user, "personal_data.view", obj, after=after, project_id=project_id)
