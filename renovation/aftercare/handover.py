"""Handover (移交) of the renovated assets to their operators, and property management (物业): the
handover checklist with signatories and scanned documents, the property-management contract and fee.

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language (the Chinese source inside ``gettext``), flushes (never commits) and writes an
audit row for each state change. What is stored (upload captions, audit rows) stays in Chinese.
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from renovation.accounts.models import User
from renovation.aftercare.common import Photo, clean, require_edit, save_photo
from renovation.aftercare.models import Handover, HandoverDocument, HandoverStatus, PropertyContract
from renovation.core import audit
from renovation.core.errors import DomainError
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.projects.models import Project

# --- handover ----------------------------------------------------------------------------------------

def add_handover(project: Project, user: User, *, asset: str, receiver: str, planned_on: date | None,
                 note: str | None) -> Handover:
    """Add a line to the handover checklist (status planned). Raises PermissionDenied."""
    require_edit(user, project, _("只有本项目的专班成员可以登记移交事项。"))
    row = Handover(project_id=project.id, asset=asset.strip(), receiver=receiver.strip(), planned_on=planned_on,
                   note=clean(note))
    db.session.add(row)
    db.session.flush()
    audit.record(user, "handover.add", row, after={"asset": row.asset, "receiver": row.receiver})
    return row


def sign_handover(handover: Handover, user: User, *, handed_on: date, giver_signatory: str,
                  receiver_signatory: str, note: str | None, today: date) -> Handover:
    """Record that the asset was handed over on ``handed_on``, signed by both sides.

    Raises PermissionDenied; DomainError when already handed or ``handed_on`` is after ``today``.
    """
    project = db.session.get(Project, handover.project_id)
    require_edit(user, project, _("只有本项目的专班成员可以登记移交。"))
    if handover.status is HandoverStatus.HANDED:
        raise DomainError(_("该事项已完成移交。"))
    if handed_on > today:
        raise DomainError(_("移交日期不能晚于今天。"))
    handover.status = HandoverStatus.HANDED
    handover.handed_on = handed_on
    handover.giver_signatory = giver_signatory.strip()
    handover.receiver_signatory = receiver_signatory.strip()
    if clean(note):
        handover.note = "\n".join(filter(None, [handover.note, note.strip()]))
    db.session.flush()
    audit.record(user, "handover.sign", handover, before={"status": "planned"},
                 after={"status": "handed", "handed_on": handed_on.isoformat(),
                        "giver": handover.giver_signatory, "receiver": handover.receiver_signatory})
    return handover


def add_handover_document(handover: Handover, user: User, *, title: str, scan: Photo) -> HandoverDocument:
    """Attach a scanned document (移交书, 验收单) to a handover. Raises PermissionDenied; DomainError
    when the scan is not an image."""
    project = db.session.get(Project, handover.project_id)
    require_edit(user, project, _("只有本项目的专班成员可以上传移交资料。"))
    upload_id = save_photo(scan, project, user, f"{handover.asset}移交资料：{title.strip()}")
    doc = HandoverDocument(handover_id=handover.id, title=title.strip(), upload_id=upload_id)
    set_owner(upload_id, "handover", handover.id)
    db.session.add(doc)
    db.session.flush()
    audit.record(user, "handover.document", handover, after={"document": doc.title, "upload_id": upload_id})
    return doc


def handovers(project: Project) -> list[Handover]:
    """The project's handover checklist with documents loaded, planned ones first."""
    return list(db.session.scalars(
        select(Handover).options(selectinload(Handover.documents).joinedload(HandoverDocument.upload))
        .where(Handover.project_id == project.id)
        .order_by(Handover.status.desc(), Handover.planned_on, Handover.id)))


# --- property management ------------------------------------------------------------------------------

def set_property_contract(project: Project, user: User, *, company: str, contact_phone: str | None,
                          starts_on: date, ends_on: date, fee_per_m2: Decimal, scope: str | None) -> PropertyContract:
    """Record the property-management contract (a new one supersedes the last; history is kept).

    ``fee_per_m2``: yuan per m² per month (0-20). Raises PermissionDenied; DomainError when the period
    ends before it starts or the fee is out of range.
    """
    require_edit(user, project, _("只有本项目的专班成员可以登记物业服务合同。"))
    if ends_on < starts_on:
        raise DomainError(_("合同结束日期不能早于开始日期。"))
    if not Decimal(0) <= fee_per_m2 <= Decimal(20):
        raise DomainError(_("物业费须在0到20元/m²·月之间。"))
    contract = PropertyContract(project_id=project.id, company=company.strip(), contact_phone=clean(contact_phone),
                                starts_on=starts_on, ends_on=ends_on, fee_per_m2=fee_per_m2, scope=clean(scope))
    db.session.add(contract)
    db.session.flush()
    audit.record(user, "property.contract", contract, after={
        "company": contract.company, "fee_per_m2": str(fee_per_m2), "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat()})
    return contract


def current_contract(project: Project) -> PropertyContract | None:
    """The latest property-management contract of the project, or None."""
    return db.session.scalar(select(PropertyContract).where(PropertyContract.project_id == project.id)
                             .order_by(PropertyContract.id.desc()).limit(1))


def monthly_fee(contract: PropertyContract, area: Decimal) -> Decimal:
    """The month's property fee in yuan for a dwelling of ``area`` m²: fee per m² x area, to the fen."""
    return (contract.fee_per_m2 * area).quantize(Decimal("0.01"))
