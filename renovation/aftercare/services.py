"""Write-side operations of post-handover management (改造后管理), and the read models of its pages.

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language (the Chinese source inside ``gettext``), flushes (never commits) and writes an
audit row for each state change. What is stored (upload captions, audit rows) stays in Chinese.
"""

from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import Role, User
from renovation.aftercare import rules
from renovation.aftercare.models import (
    ActivityKind,
    ActivityPhoto,
    CommunityActivity,
    Facility,
    FacilityProvision,
    Handover,
    HandoverDocument,
    HandoverStatus,
    Partner,
    PropertyContract,
    RepairCategory,
    RepairRequest,
    RepairStatus,
    SatisfactionMode,
    SatisfactionResponse,
    SatisfactionSurvey,
)
from renovation.core import audit
from renovation.core.db import lock_row, utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.org.models import Building, Household, HouseholdStatus
from renovation.projects.access import can_edit_project, can_view_project
from renovation.projects.models import Project

#: Photo upload: (bytes, original file name).
Photo = tuple[bytes, str]


def _save_photo(photo: Photo | None, project: Project, user: User, caption: str) -> int | None:
    """Store ``photo`` (DomainError if not an image) and return its Upload id, or None."""
    if photo is None:
        return None
    return save_image(photo[0], photo[1], current_app.config["UPLOAD_FOLDER"], project_id=project.id,
                      user=user, caption=caption).id


def _require_edit(user: User, project: Project, message: str) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(message)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


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
    _require_edit(user, project, _("只有本项目的专班成员可以登记设施。"))
    facility = Facility(compound_id=project.compound_id, partner=_partner(partner_name), name=name.strip(),
                        kind=_clean(kind), area=area, provision=_clean(provision), opening_hours=_clean(opening_hours),
                        status=status, size_note=_clean(size_note), opened_on=opened_on,
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
    _require_edit(user, project, _("只有本项目的专班成员可以修改设施。"))
    if facility.compound_id != project.compound_id:
        raise DomainError(_("该设施不属于本小区。"))
    before = {"name": facility.name, "status": facility.status, "opening_hours": facility.opening_hours}
    facility.provisions = _provisions(counted)
    facility.name, facility.kind, facility.partner = name.strip(), _clean(kind), _partner(partner_name)
    facility.area, facility.provision, facility.opening_hours = area, _clean(provision), _clean(opening_hours)
    facility.status, facility.size_note, facility.opened_on = status, _clean(size_note), opened_on
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


# --- handover ----------------------------------------------------------------------------------------

def add_handover(project: Project, user: User, *, asset: str, receiver: str, planned_on: date | None,
                 note: str | None) -> Handover:
    """Add a line to the handover checklist (status planned). Raises PermissionDenied."""
    _require_edit(user, project, _("只有本项目的专班成员可以登记移交事项。"))
    row = Handover(project_id=project.id, asset=asset.strip(), receiver=receiver.strip(), planned_on=planned_on,
                   note=_clean(note))
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
    _require_edit(user, project, _("只有本项目的专班成员可以登记移交。"))
    if handover.status is HandoverStatus.HANDED:
        raise DomainError(_("该事项已完成移交。"))
    if handed_on > today:
        raise DomainError(_("移交日期不能晚于今天。"))
    handover.status = HandoverStatus.HANDED
    handover.handed_on = handed_on
    handover.giver_signatory = giver_signatory.strip()
    handover.receiver_signatory = receiver_signatory.strip()
    if _clean(note):
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
    _require_edit(user, project, _("只有本项目的专班成员可以上传移交资料。"))
    upload_id = _save_photo(scan, project, user, f"{handover.asset}移交资料：{title.strip()}")
    doc = HandoverDocument(handover_id=handover.id, title=title.strip(), upload_id=upload_id)
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
    _require_edit(user, project, _("只有本项目的专班成员可以登记物业服务合同。"))
    if ends_on < starts_on:
        raise DomainError(_("合同结束日期不能早于开始日期。"))
    if not Decimal(0) <= fee_per_m2 <= Decimal(20):
        raise DomainError(_("物业费须在0到20元/m²·月之间。"))
    contract = PropertyContract(project_id=project.id, company=company.strip(), contact_phone=_clean(contact_phone),
                                starts_on=starts_on, ends_on=ends_on, fee_per_m2=fee_per_m2, scope=_clean(scope))
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
    photo_id = _save_photo(photo, project, user, f"报修照片：{location.strip()}")
    req = RepairRequest(project_id=project.id, household_id=user.household_id, reporter_id=user.id,
                        category_id=category.id, target_hours=category.target_hours, location=location.strip(),
                        description=_clean(description), photo_id=photo_id, status=RepairStatus.SUBMITTED,
                        created_at=utcnow())
    db.session.add(req)
    db.session.flush()
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
        if not _clean(note):
            raise DomainError(_("请填写处理结果。"))
        req.status, req.done_at, req.handler_id = RepairStatus.DONE, now, user.id
        req.accepted_at = req.accepted_at or now
        req.result = note.strip()
    else:
        raise DomainError(_("不支持的操作。"))
    db.session.flush()
    audit.record(user, f"repair.{action}", req, before={"status": before.value},
                 after={"status": req.status.value, "note": _clean(note)})
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


# --- community activities -----------------------------------------------------------------------------

def add_activity(project: Project, user: User, *, kind: ActivityKind, title: str, held_on: date, organiser: str,
                 participants: int, description: str | None, photos: list[Photo] | None = None,
                 today: date) -> CommunityActivity:
    """Record a community activity (文体活动, 垃圾分类宣传...) with photos; ``participants`` in people (0-100,000).

    Raises PermissionDenied; DomainError (date after ``today``, participants out of range, a photo not
    an image).
    """
    _require_edit(user, project, _("只有本项目的专班成员可以登记活动。"))
    if held_on > today:
        raise DomainError(_("活动日期不能晚于今天，请在活动结束后登记。"))
    if not 0 <= participants <= 100000:
        raise DomainError(_("参加人数须在0到100000之间。"))
    activity = CommunityActivity(project_id=project.id, kind=kind, title=title.strip(), held_on=held_on,
                                 organiser=organiser.strip(), participants=participants,
                                 description=_clean(description), created_by_id=user.id)
    db.session.add(activity)
    db.session.flush()
    for p in photos or []:
        activity.photos.append(ActivityPhoto(upload_id=_save_photo(p, project, user, f"活动照片：{activity.title}")))
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


# --- satisfaction survey --------------------------------------------------------------------------------

def survey_of(project: Project) -> SatisfactionSurvey | None:
    """The project's satisfaction survey, or None."""
    return db.session.scalar(select(SatisfactionSurvey).where(SatisfactionSurvey.project_id == project.id))


def open_survey(project: Project, user: User, *, title: str, mode: SatisfactionMode, min_mean: Decimal,
                min_response_rate: Decimal) -> SatisfactionSurvey:
    """Open the satisfaction survey (or reopen it with new settings).

    ``min_mean``: 1-5; ``min_response_rate``: fraction 0-1. Raises PermissionDenied; DomainError out of range
    or when the project is closed (结项: its survey result is final until an administrator reopens it).
    """
    _require_edit(user, project, _("只有本项目的专班成员可以发起满意度测评。"))
    if project.closed_at is not None:  # the survey's result is part of the close (projects.rules.check_close)
        raise DomainError(_("项目已结项，满意度测评不能重新发起；如需更改，请先由管理员撤销结项。"))
    if not Decimal(1) <= min_mean <= Decimal(5):
        raise DomainError(_("达标平均分须在1到5分之间。"))
    if not Decimal(0) <= min_response_rate <= Decimal(1):
        raise DomainError(_("参评率要求须在0%到100%之间。"))
    survey = survey_of(project)
    before = None
    if survey is None:
        survey = SatisfactionSurvey(project_id=project.id)
        db.session.add(survey)
    else:
        before = {"mode": survey.mode.value, "is_open": survey.is_open}
    survey.title, survey.mode = title.strip(), mode
    survey.min_mean, survey.min_response_rate = min_mean, min_response_rate
    survey.is_open, survey.closed_at = True, None
    db.session.flush()
    audit.record(user, "satisfaction.open", survey, before=before, after={
        "mode": mode.value, "min_mean": str(min_mean), "min_response_rate": str(min_response_rate)},
        project_id=project.id)
    return survey


def close_survey(survey: SatisfactionSurvey, project: Project, user: User) -> SatisfactionSurvey:
    """Close the survey (answers are final). Raises PermissionDenied; DomainError when already closed."""
    _require_edit(user, project, _("只有本项目的专班成员可以结束满意度测评。"))
    if not survey.is_open:
        raise DomainError(_("满意度测评已结束。"))
    survey.is_open, survey.closed_at = False, utcnow()
    db.session.flush()
    audit.record(user, "satisfaction.close", survey, before={"is_open": True}, after={"is_open": False},
                 project_id=project.id)
    return survey


def answer_survey(survey: SatisfactionSurvey, project: Project, user: User, *, content: int, process: int,
                  management: int, comment: str | None) -> SatisfactionResponse:
    """The resident answers for their own household (one answer per household; changed while open).

    Scores 1-5. Raises PermissionDenied (not a resident of the compound); DomainError (survey closed,
    score out of range, household not on the register).
    """
    if not (user.is_authenticated and user.is_resident_like() and can_view_project(user, project)):
        raise PermissionDenied(_("只有本小区居民可以参加满意度测评。"))
    if not survey.is_open:
        raise DomainError(_("满意度测评已结束。"))
    for s in (content, process, management):
        if not rules.SCORE_MIN <= s <= rules.SCORE_MAX:
            raise DomainError(_("评分须为1到5分。"))
    household = db.session.get(Household, user.household_id)
    if household is None or household.status is not HouseholdStatus.ACTIVE:
        raise DomainError(_("您的房屋不在本小区名册中，无法参评。"))
    # A double tap sends two answers at once: serialise them on the survey row so the second one updates
    # the first instead of hitting the one-answer-per-household constraint.
    lock_row(db.session, SatisfactionSurvey, survey.id)
    row = db.session.scalar(select(SatisfactionResponse).where(
        SatisfactionResponse.survey_id == survey.id, SatisfactionResponse.household_id == household.id))
    before = None
    if row is None:
        row = SatisfactionResponse(survey_id=survey.id, household_id=household.id)
        db.session.add(row)
    else:
        before = {"content": row.content_score, "process": row.process_score, "management": row.management_score}
    row.content_score, row.process_score, row.management_score = content, process, management
    row.comment, row.entered_by_id, row.created_at = _clean(comment), user.id, utcnow()
    db.session.flush()
    audit.record(user, "satisfaction.answer", row, before=before,
                 after={"content": content, "process": process, "management": management}, project_id=project.id)
    return row


def my_answer(survey: SatisfactionSurvey, user: User) -> SatisfactionResponse | None:
    """The answer of ``user``'s household, or None."""
    if not user.household_id:
        return None
    return db.session.scalar(select(SatisfactionResponse).where(
        SatisfactionResponse.survey_id == survey.id, SatisfactionResponse.household_id == user.household_id))


def survey_result(project: Project, survey: SatisfactionSurvey) -> rules.SatisfactionResult:
    """Aggregate the survey by building and overall (two queries: households per building, answers)."""
    counts = db.session.execute(
        select(Building.number, func.count(Household.id)).join(Household, Household.building_id == Building.id)
        .where(Building.compound_id == project.compound_id, Household.status == HouseholdStatus.ACTIVE)
        .group_by(Building.id, Building.number, Building.sort_order).order_by(Building.sort_order, Building.id)).all()
    answers = db.session.execute(
        select(Building.number, SatisfactionResponse.content_score, SatisfactionResponse.process_score,
               SatisfactionResponse.management_score)
        .join(Household, SatisfactionResponse.household_id == Household.id)
        .join(Building, Household.building_id == Building.id)
        .where(SatisfactionResponse.survey_id == survey.id, Household.status == HouseholdStatus.ACTIVE)).all()
    return rules.aggregate_satisfaction([rules.ScoreRow(*a) for a in answers], {b: n for b, n in counts})


def closure_check(project: Project) -> rules.SatisfactionGate | None:
    """Whether the satisfaction gate lets the project close: None when the survey is only a report
    figure (or there is none); otherwise the gate's verdict (rules.satisfaction_gate)."""
    survey = survey_of(project)
    if survey is None or survey.mode is not SatisfactionMode.GATE:
        return None
    result = survey_result(project, survey)
    return rules.satisfaction_gate(result.overall, survey.min_mean, survey.min_response_rate)


def survey_comments(survey: SatisfactionSurvey, limit: int = 50) -> list[SatisfactionResponse]:
    """The latest answers with a comment (household and building loaded), newest first."""
    return list(db.session.scalars(
        select(SatisfactionResponse).options(joinedload(SatisfactionResponse.household).joinedload(Household.building),
                                             joinedload(SatisfactionResponse.household).joinedload(Household.entrance))
        .where(SatisfactionResponse.survey_id == survey.id, SatisfactionResponse.comment.is_not(None))
        .order_by(SatisfactionResponse.created_at.desc()).limit(limit)))
