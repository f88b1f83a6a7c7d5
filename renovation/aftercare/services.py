"""Write-side operations of post-handover management. Flush only; the view commits."""

from decimal import Decimal

from sqlalchemy import select

from renovation.aftercare.models import Facility, Partner
from renovation.core import audit
from renovation.core.errors import PermissionDenied
from renovation.extensions import db
from renovation.projects.access import can_edit_project


def add_facility(project, user, *, name: str, kind: str | None, partner_name: str | None,
                 area: Decimal | None, provision: str | None, opening_hours: str | None) -> Facility:
    """Add a facility to the project's compound; the partner is found by name or created.

    ``area`` in m². Raises PermissionDenied unless ``user`` may edit the project.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied()
    partner = None
    if partner_name and partner_name.strip():
        partner = db.session.scalar(select(Partner).where(Partner.name == partner_name.strip()))
        if partner is None:
            partner = Partner(name=partner_name.strip())
            db.session.add(partner)
    facility = Facility(compound_id=project.compound_id, partner=partner, name=name.strip(), kind=kind or None,
                        area=area, provision=provision or None, opening_hours=opening_hours or None)
    db.session.add(facility)
    db.session.flush()
    audit.record(user, "facility.add", facility, after={"name": facility.name}, project_id=project.id)
    return facility
