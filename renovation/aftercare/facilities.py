"""The compound's facilities and their partners (设施, 合作方), and community activities (社区活动) with
photos.

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language (the Chinese source inside ``gettext``), flushes (never commits) and writes an
audit row for each state change. What is stored (upload captions, audit rows) stays in Chinese.
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.aftercare import rules
from renovation.aftercare.common import Photo, clean, require_edit, save_photo
from renovation.aftercare.models import (
    ActivityKind,
    ActivityPhoto,
    CommunityActivity,
    Facility,
    FacilityProvision,
    Partner,
)
from renovation.core import audit
from renovation.core.errors import DomainError
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.projects.models import Project

# --- facilities and partners --------------------------------------------------------------------------

def _partner(name: str | None) -> Partner | None:
    if not name or not name.strip():
        return None
    partner = db.session.scalar(select(Partner).where(Partner.name == name.strip()))
    if partner is None:
        partner = Partner(name=name.strip())
        db.session.add(partner)
    return partner


def _provisions(text: str | None) -> list[FacilityProvision]:
    try:
        parsed = rules.parse_provisions(text)
    except ValueError as err:
        raise DomainError(str(err)) from None
    return [FacilityProvision(item=i, quantity=q, unit=u) for i, q, u in parsed]


def add_facility(project: Project, user: User, *, name: str, kind: str | None, partner_name: str | None,
                 area: Decimal | None, provision: str | None, opening_hours: str | None,
                 status: str = "已开放", size_note: str | None = None, opened_on: date | None = None,
                 counted: str | None = None) -> Facility:
    """Add a facility to the project's compound; the partner is found by name or created.

    ``area`` in m²; ``counted``: counted provisions, one per line ('图书 3000 册'). Raises
    PermissionDenied unless ``user`` may edit the project; DomainError for an unreadable ``counted`` line.
    """
    require_edit(user, project, _("只有本项目的专班成员可以登记设施。"))
    facility = Facility(compound_id=project.compound_id, partner=_partner(partner_name), name=name.strip(),
                        kind=clean(kind), area=area, provision=clean(provision), opening_hours=clean(opening_hours),
                        status=status, size_note=clean(size_note), opened_on=opened_on,
                        provisions=_provisions(counted))
    db.session.add(facility)
    db.session.flush()
    audit.record(user, "facility.add", facility, after={"name": facility.name, "status": status},
                 project_id=project.id)
    return facility


def update_facility(facility: Facility, project: Project, user: User, *, name: str, kind: str | None,
                    partner_name: str | None, area: Decimal | None, provision: str | None,
                    opening_hours: str | None, status: str, size_note: str | None, opened_on: date | None,
                    counted: str | None) -> Facility:
    """Change a facility's fields (opening status and hours included); counted provisions are replaced.

    Raises PermissionDenied; DomainError when the facility is not of the project's compound or a
    ``counted`` line is unreadable.
    """
    require_edit(user, project, _("只有本项目的专班成员可以修改设施。"))
    if facility.compound_id != project.compound_id:
        raise DomainError(_("该设施不属于本小区。"))
    before = {"name": facility.name, "status": facility.status, "opening_hours": facility.opening_hours}
    facility.provisions = _provisions(counted)
    facility.name, facility.kind, facility.partner = name.strip(), clean(kind), _partner(partner_name)
    facility.area, facility.provision, facility.opening_hours = area, clean(provision), clean(opening_hours)
    facility.status, facility.size_note, facility.opened_on = status, clean(size_note), opened_on
    db.session.flush()
    audit.record(user, "facility.update", facility, before=before,
                 after={"name": facility.name, "status": status, "opening_hours": facility.opening_hours},
                 project_id=project.id)
    return facility


def facilities(project: Project) -> list[Facility]:
    """The compound's facilities with partner and counted provisions loaded (two queries)."""
    return list(db.session.scalars(
        select(Facility).options(joinedload(Facility.partner), selectinload(Facility.provisions))
        .where(Facility.compound_id == project.compound_id).order_by(Facility.id)).unique())


# --- community activities -----------------------------------------------------------------------------

def add_activity(project: Project, user: User, *, kind: ActivityKind, title: str, held_on: date, organiser: str,
                 participants: int, description: str | None, photos: list[Photo] | None = None,
                 today: date) -> CommunityActivity:
    """Record a community activity (文体活动, 垃圾分类宣传...) with photos; ``participants`` in people (0-100,000).

    Raises PermissionDenied; DomainError (date after ``today``, participants out of range, a photo not
    an image).
    """
    require_edit(user, project, _("只有本项目的专班成员可以登记活动。"))
    if held_on > today:
        raise DomainError(_("活动日期不能晚于今天，请在活动结束后登记。"))
    if not 0 <= participants <= 100000:
        raise DomainError(_("参加人数须在0到100000之间。"))
    activity = CommunityActivity(project_id=project.id, kind=kind, title=title.strip(), held_on=held_on,
                                 organiser=organiser.strip(), participants=participants,
                                 description=clean(description), created_by_id=user.id)
    db.session.add(activity)
    db.session.flush()
    for p in photos or []:
        upload_id = save_photo(p, project, user, f"活动照片：{activity.title}")
        activity.photos.append(ActivityPhoto(upload_id=upload_id))
        set_owner(upload_id, "activity", activity.id)
    db.session.flush()
    audit.record(user, "activity.add", activity, after={"title": activity.title, "kind": kind.value,
                                                        "participants": participants})
    return activity


def activities(project: Project) -> list[CommunityActivity]:
    """The project's community activities, newest first, with photos loaded."""
    return list(db.session.scalars(
        select(CommunityActivity).options(selectinload(CommunityActivity.photos).joinedload(ActivityPhoto.upload))
        .where(CommunityActivity.project_id == project.id)
        .order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc())))
