"""Write-side operations of the plan (方案制订), and the read model of the plan page.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language, flushes (never commits) and writes an audit row for each state change.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import local_today
from renovation.core.uploads import save_image, set_owner
from renovation.extensions import db
from renovation.planning import rules
from renovation.planning.models import (
    FUNDING_KIND_LABELS,
    Contractor,
    ContractorKind,
    FundingKind,
    FundingSource,
    Milestone,
    Objection,
    Plan,
    PlanStatus,
)
from renovation.projects.access import can_edit_project, can_view_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import GateResult, Stage, check_plan_approval
from renovation.projects.services import gate_facts, household_count

#: Photo upload: (bytes, original file name).
Photo = tuple[bytes, str]


def _require_edit(user: User, project: Project, message: str | None = None) -> None:
    """PermissionDenied with ``message`` (default: only the squad or an administrator may draft the plan)
    unless ``user`` may edit the project."""
    if not can_edit_project(user, project):
        raise PermissionDenied(message or _("只有本项目的专班成员或管理员可以编制方案。"))


def _require_planning_stage(project: Project) -> None:
    if project.stage is not Stage.PLANNING:
        raise DomainError(_("项目处于“%(stage)s”阶段，只有在“方案制订”阶段才能进行此操作。", stage=project.stage.label))


def get_plan(project: Project) -> Plan | None:
    """The project's plan, or None if not created yet."""
    return db.session.scalar(select(Plan).where(Plan.project_id == project.id))


def create_plan(project: Project, user: User, title: str, summary: str | None = None) -> Plan:
    """Create the project's plan (draft), its notice length from the PLAN_NOTICE_DAYS setting (days).

    Raises PermissionDenied (not squad/admin), DomainError (not in the planning stage, plan exists).
    """
    _require_edit(user, project)
    _require_planning_stage(project)
    if get_plan(project) is not None:
        raise DomainError(_("本项目已有改造方案。"))
    plan = Plan(project_id=project.id, title=title.strip(), summary=(summary or "").strip() or None,
                status=PlanStatus.DRAFT, notice_days=int(current_app.config["PLAN_NOTICE_DAYS"]))
    db.session.add(plan)
    db.session.flush()
    audit.record(user, "plan.create", plan, after={"title": plan.title}, project_id=project.id)
    return plan


def _money_dict(item: ProjectItem) -> dict:
    return {
        "quantity": str(item.quantity) if item.quantity is not None else None,
        "unit": item.unit,
        "unit_price": str(item.unit_price) if item.unit_price is not None else None,
        "budget": str(item.budget) if item.budget is not None else None,
        "contractor_id": item.contractor_id,
        "planned_start": item.planned_start.isoformat() if item.planned_start else None,
        "planned_end": item.planned_end.isoformat() if item.planned_end else None,
        "funding": {f.kind.value: str(f.amount) for f in item.funding_sources},
    }


def update_item(project: Project, item: ProjectItem, user: User, *, quantity: Decimal | None, unit: str | None,
                unit_price: Decimal | None, budget: Decimal | None, contractor_id: int | None,
                planned_start: date | None, planned_end: date | None,
                funding: dict[FundingKind, Decimal | None]) -> ProjectItem:
    """Set an adopted item's quantity/unit, unit price and budget (yuan), firm, dates and funding (yuan
    per source). An empty budget is computed as quantity x unit price when both are given.

    Raises PermissionDenied; DomainError when the plan is not a draft, the item is not adopted, a
    number is negative, the firm is not the project's, or the sources together exceed the budget.
    """
    _require_edit(user, project)
    plan = get_plan(project)
    if plan is None:
        raise DomainError(_("请先创建改造方案。"))
    if plan.status is not PlanStatus.DRAFT:
        raise DomainError(_("方案已公示或已批准，不能再修改项目的工程量、预算和资金。"))
    if item.project_id != project.id or item.status is not ProjectItemStatus.ADOPTED:
        raise DomainError(_("只有表决通过的改造项目才能列入方案。"))
    if quantity is not None and quantity < 0:
        raise DomainError(_("工程量不能为负数。"))
    if unit_price is not None and unit_price < 0:
        raise DomainError(_("单价不能为负数。"))
    if contractor_id is not None:
        firm = db.session.get(Contractor, contractor_id)
        if firm is None or firm.project_id != project.id:
            raise DomainError(_("所选责任单位不属于本项目。"))
    if planned_start and planned_end and planned_end < planned_start:
        raise DomainError(_("计划完工日期不能早于计划开工日期。"))
    if budget is None:
        budget = rules.budget_from_quantity(quantity, unit_price)
    amounts = {k.value: v for k, v in funding.items()}
    errors = rules.funding_errors(budget, amounts, {k.value: v for k, v in FUNDING_KIND_LABELS.items()})
    if errors:
        raise DomainError(" ".join(errors))

    before = _money_dict(item)
    item.quantity, item.unit, item.unit_price, item.budget = quantity, (unit or "").strip() or None, unit_price, budget
    item.contractor_id, item.planned_start, item.planned_end = contractor_id, planned_start, planned_end
    existing = {f.kind: f for f in item.funding_sources}
    for kind, amount in funding.items():
        row = existing.get(kind)
        if amount:
            if row is None:
                db.session.add(FundingSource(project_item=item, kind=kind, amount=amount))
            else:
                row.amount = amount
        elif row is not None:
            db.session.delete(row)
    db.session.flush()
    db.session.refresh(item, ["funding_sources"])
    audit.record(user, "plan.item_update", item, before=before, after=_money_dict(item), project_id=project.id)
    return item


def add_contractor(project: Project, user: User, name: str, kind: ContractorKind, contact_name: str | None = None,
                   contact_phone: str | None = None) -> Contractor:
    """Add a firm (design, construction or supervision) to the project. Raises PermissionDenied."""
    _require_edit(user, project, _("只有本项目的专班成员或管理员可以登记参建单位。"))
    firm = Contractor(project_id=project.id, name=name.strip(), kind=kind,
                      contact_name=(contact_name or "").strip() or None,
                      contact_phone=(contact_phone or "").strip() or None)
    db.session.add(firm)
    db.session.flush()
    audit.record(user, "plan.contractor_add", firm, after={"name": firm.name, "kind": kind.value})
    return firm


def add_milestone(project: Project, user: User, title: str, due_on: date) -> Milestone:
    """Add a dated milestone to the project's schedule. Raises PermissionDenied."""
    _require_edit(user, project, _("只有本项目的专班成员或管理员可以编排工期节点。"))
    milestone = Milestone(project_id=project.id, title=title.strip(), due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    audit.record(user, "plan.milestone_add", milestone, after={"title": milestone.title, "due_on": due_on.isoformat()})
    return milestone


def post_notice(plan: Plan, user: User, starts_on: date, days: int, photo: Photo | None = None) -> Plan:
    """Post the plan for public notice (方案公示) from ``starts_on`` for ``days`` days, with an optional
    photo of the notice board. Draft -> notice.

    Raises PermissionDenied; DomainError when the plan is not a draft, has no budgeted item, days < 1,
    or the photo is not an image (nothing is written then).
    """
    project = plan.project
    _require_edit(user, project, _("只有本项目的专班成员或管理员可以发布方案公示。"))
    _require_planning_stage(project)
    if plan.status is not PlanStatus.DRAFT:
        raise DomainError(_("方案已经公示过了。"))
    if days < 1:
        raise DomainError(_("公示天数至少为1天。"))
    has_budget = db.session.scalar(select(ProjectItem.id).where(
        ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED,
        ProjectItem.budget.is_not(None)).limit(1))
    if has_budget is None:
        raise DomainError(_("方案中还没有填写预算的改造项目，不能公示。"))
    if photo is not None:
        upload = save_image(photo[0], photo[1], current_app.config["UPLOAD_FOLDER"], project_id=project.id,
                            user=user, caption="方案公示")
        plan.notice_photo_id = upload.id
        set_owner(upload.id, "plan_photo", plan.id)
    plan.status = PlanStatus.NOTICE
    plan.notice_starts_on = starts_on
    plan.notice_days = days
    db.session.flush()
    audit.record(user, "plan.notice", plan, before={"status": "draft"},
                 after={"status": "notice", "starts_on": starts_on.isoformat(), "days": days})
    return plan


def submit_objection(plan: Plan, user: User, content: str, today: date | None = None) -> Objection:
    """A resident of the compound objects to the posted plan while the notice is open, for their household.

    Raises PermissionDenied (not a resident of the compound); DomainError (not in notice, period over).
    """
    today = today or local_today()
    project = plan.project
    if not (user.is_resident_like() and user.household_id and can_view_project(user, project)):
        raise PermissionDenied(_("只有本小区的居民可以对方案提出异议。"))
    if plan.status is not PlanStatus.NOTICE:
        raise DomainError(_("方案不在公示期，不能提出异议。"))
    if not rules.is_notice_open(plan.notice_starts_on, plan.notice_days, today):
        raise DomainError(_("不在方案公示期内，不能在线提出异议；如有意见请联系专班。"))
    label = user.household.label if user.household else ""
    objection = Objection(plan_id=plan.id, household_id=user.household_id,
                          author_name=f"{user.display_name}（{label}）" if label else user.display_name,
                          content=content.strip())
    db.session.add(objection)
    db.session.flush()
    audit.record(user, "plan.objection", objection, after={"household_id": user.household_id},
                 project_id=project.id)
    return objection


def enter_paper_objection(plan: Plan, user: User, author_name: str, content: str) -> Objection:
    """The squad enters an objection received on paper while the plan is in notice.

    Raises PermissionDenied; DomainError (plan not in notice).
    """
    project = plan.project
    _require_edit(user, project, _("只有本项目的专班成员或管理员可以登记书面异议。"))
    if plan.status is not PlanStatus.NOTICE:
        raise DomainError(_("方案不在公示期，不能登记异议。"))
    objection = Objection(plan_id=plan.id, author_name=author_name.strip(), content=content.strip())
    db.session.add(objection)
    db.session.flush()
    audit.record(user, "plan.objection_paper", objection, after={"author_name": objection.author_name},
                 project_id=project.id)
    return objection


def answer_objection(objection: Objection, user: User, answer: str) -> Objection:
    """The squad answers an objection (once). Raises PermissionDenied; DomainError (already answered,
    plan approved)."""
    plan = objection.plan
    _require_edit(user, plan.project, _("只有本项目的专班成员或管理员可以答复异议。"))
    if plan.status is PlanStatus.APPROVED:
        raise DomainError(_("方案已批准，不能再答复异议。"))
    if objection.answer:
        raise DomainError(_("这条异议已经答复过了。"))
    objection.answer = answer.strip()
    objection.answered_at = utcnow()
    objection.answered_by_id = user.id
    db.session.flush()
    audit.record(user, "plan.objection_answer", objection, after={"answered": True}, project_id=plan.project_id)
    return objection


def approval_check(plan: Plan, today: date | None = None) -> GateResult:
    """What the approval rule says today (projects.rules.check_plan_approval): notice over, all answered."""
    return check_plan_approval(gate_facts(plan.project), today or local_today())


def approve_plan(plan: Plan, user: User, today: date | None = None) -> Plan:
    """Approve the plan: only after its notice period has ended and every objection is answered.

    Raises PermissionDenied; DomainError with the reasons otherwise.
    """
    project = plan.project
    _require_edit(user, project, _("只有本项目的专班成员或管理员可以批准方案。"))
    _require_planning_stage(project)
    if plan.status is PlanStatus.APPROVED:
        raise DomainError(_("方案已经批准。"))
    if plan.status is not PlanStatus.NOTICE:
        raise DomainError(_("方案尚未公示，公示期满后才能批准。"))
    result = approval_check(plan, today)
    if not result.allowed:
        raise DomainError(_("不能批准方案：%(reasons)s", reasons=" ".join(str(r) for r in result.reasons)))
    plan.status = PlanStatus.APPROVED
    plan.approved_at = utcnow()
    plan.approved_by_id = user.id
    db.session.flush()
    audit.record(user, "plan.approve", plan, before={"status": "notice"}, after={"status": "approved"})
    return plan


@dataclass
class PlanPage:
    """What the plan page shows: the plan (or None), adopted items with their firm and funding, the
    totals (yuan), firms, milestones, objections, the notice's last day and whether it is open today."""

    plan: Plan | None
    items: list[ProjectItem]
    totals: rules.PlanTotals
    contractors: list[Contractor]
    milestones: list[Milestone]
    objections: list[Objection]
    notice_ends: date | None
    notice_open: bool


def item_money(item: ProjectItem) -> rules.ItemMoney:
    """The plain money figures (yuan) of ``item`` for the rules."""
    return rules.ItemMoney(item.budget, {f.kind.value: f.amount for f in item.funding_sources})


def plan_page(project: Project, today: date | None = None) -> PlanPage:
    """Load everything the plan page shows in a fixed number of queries."""
    today = today or local_today()
    plan = get_plan(project)
    items = list(db.session.scalars(
        select(ProjectItem)
        .where(ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED)
        .options(selectinload(ProjectItem.funding_sources), selectinload(ProjectItem.contractor))
        .order_by(ProjectItem.sort_order, ProjectItem.id)
    ))
    totals = rules.plan_totals([item_money(i) for i in items], household_count(project.compound_id))
    contractors = list(db.session.scalars(
        select(Contractor).where(Contractor.project_id == project.id).order_by(Contractor.id)))
    milestones = list(db.session.scalars(
        select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.due_on, Milestone.id)))
    objections = list(plan.objections) if plan else []
    ends = rules.notice_last_day(plan.notice_starts_on, plan.notice_days) if plan and plan.notice_starts_on else None
    is_open = bool(plan and plan.status is PlanStatus.NOTICE
                   and rules.is_notice_open(plan.notice_starts_on, plan.notice_days, today))
    return PlanPage(plan, items, totals, contractors, milestones, objections, ends, is_open)
