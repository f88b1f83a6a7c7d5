"""The plan (方案制订): firms, funding per item and source, milestones, public notice and objections."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Money, str_enum, utcnow
from renovation.extensions import db


class ContractorKind(enum.Enum):
    """Role of a firm in the works."""

    DESIGN = "design"              # 设计单位
    CONSTRUCTION = "construction"  # 施工单位
    SUPERVISION = "supervision"    # 监理单位


CONTRACTOR_KIND_LABELS = {
    ContractorKind.DESIGN: _l("设计单位"),
    ContractorKind.CONSTRUCTION: _l("施工单位"),
    ContractorKind.SUPERVISION: _l("监理单位"),
}


class Contractor(db.Model):
    """A firm working on a project (design, construction or supervision), with a contact."""

    __tablename__ = "contractor"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[ContractorKind] = mapped_column(str_enum(ContractorKind))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(32))


class PlanStatus(enum.Enum):
    """Life of a plan: drafted, posted for public notice, approved."""

    DRAFT = "draft"        # 编制中
    NOTICE = "notice"      # 公示中
    APPROVED = "approved"  # 已批准


PLAN_STATUS_LABELS = {PlanStatus.DRAFT: _l("编制中"), PlanStatus.NOTICE: _l("公示中"),
                      PlanStatus.APPROVED: _l("已批准")}


class Plan(db.Model):
    """A project's renovation plan; approval needs the notice period over and all objections answered.

    ``notice_days``: length of the public notice (方案公示) in days, default from the city setting (7).
    """

    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    summary: Mapped[str | None] = mapped_column(Text)
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT)
    notice_starts_on: Mapped[date | None]
    notice_days: Mapped[int] = mapped_column(default=7)
    notice_photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    project = relationship("Project")
    objections: Mapped[list["Objection"]] = relationship(back_populates="plan", order_by="Objection.submitted_at")


class Objection(db.Model):
    """An objection to the posted plan, with its answer."""

    __tablename__ = "objection"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    author_name: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    plan: Mapped[Plan] = relationship(back_populates="objections")


class FundingKind(enum.Enum):
    """Where money for an item comes from (domain.md, 'Funding is shared')."""

    CENTRAL_SUBSIDY = "central_subsidy"    # 中央补助资金
    LOCAL_GOVERNMENT = "local_government"  # 省市财政资金
    SPECIAL_BOND = "special_bond"          # 专项债券
    UTILITY_OPERATOR = "utility_operator"  # 管线单位出资
    ORIGINAL_UNIT = "original_unit"        # 原产权单位出资
    SOCIAL_CAPITAL = "social_capital"      # 社会资本
    RESIDENTS = "residents"                # 居民出资
    MAINTENANCE_FUND = "maintenance_fund"  # 住宅专项维修资金
    PROVIDENT_FUND = "provident_fund"      # 住房公积金(加装电梯)


FUNDING_KIND_LABELS = {
    FundingKind.CENTRAL_SUBSIDY: _l("中央补助资金"),
    FundingKind.LOCAL_GOVERNMENT: _l("省市财政资金"),
    FundingKind.SPECIAL_BOND: _l("专项债券"),
    FundingKind.UTILITY_OPERATOR: _l("管线单位出资"),
    FundingKind.ORIGINAL_UNIT: _l("原产权单位出资"),
    FundingKind.SOCIAL_CAPITAL: _l("社会资本"),
    FundingKind.RESIDENTS: _l("居民出资"),
    FundingKind.MAINTENANCE_FUND: _l("维修资金"),
    FundingKind.PROVIDENT_FUND: _l("住房公积金"),
}


class FundingSource(db.Model):
    """The amount (yuan) one funding source gives to one project item."""

    __tablename__ = "funding_source"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_item_id: Mapped[int] = mapped_column(ForeignKey("project_item.id"), index=True)
    kind: Mapped[FundingKind] = mapped_column(str_enum(FundingKind))
    amount: Mapped[Decimal] = mapped_column(Money)
    project_item = relationship("ProjectItem", backref="funding_sources")
    __table_args__ = (UniqueConstraint("project_item_id", "kind"),)


class Milestone(db.Model):
    """A dated point of the schedule (e.g. 开工, 管网入地完成, 竣工验收)."""

    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    due_on: Mapped[date]
    done_on: Mapped[date | None]
