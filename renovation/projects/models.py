"""Batches, projects, their stage history, the catalogue of renovation items and project items."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Money, str_enum, utcnow
from renovation.extensions import db
from renovation.org.models import Compound
from renovation.projects.rules import Stage


class Batch(db.Model):
    """A yearly batch of compounds entering renovation, e.g. '2020年第一批'."""

    __tablename__ = "batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int]


class Project(db.Model):
    """One compound's renovation project, moving through the five stages (domain.md)."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batch.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    stage: Mapped[Stage] = mapped_column(str_enum(Stage), default=Stage.WISH_SOLICITATION, index=True)
    started_on: Mapped[date | None]
    target_end_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the project was closed (works accepted, aftercare handed over); the roster retention
    #: period (ROSTER_RETENTION_DAYS, ``flask privacy purge-rosters``) runs from here.
    closed_at: Mapped[datetime | None]

    compound: Mapped[Compound] = relationship()
    batch: Mapped[Batch | None] = relationship()
    items: Mapped[list["ProjectItem"]] = relationship(back_populates="project", order_by="ProjectItem.sort_order")
    transitions: Mapped[list["StageTransition"]] = relationship(
        back_populates="project", order_by="StageTransition.at"
    )


class StageTransition(db.Model):
    """The stage history of a project: who moved it, when, from which stage to which, and why."""

    __tablename__ = "stage_transition"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(str_enum(Stage, name="from_stage"))
    to_stage: Mapped[Stage] = mapped_column(str_enum(Stage, name="to_stage"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship(back_populates="transitions")
    user = relationship("User")


class ItemCategory(enum.Enum):
    """Category of the national menu (国办发〔2020〕23号)."""

    BASIC = "basic"              # 基础类
    IMPROVEMENT = "improvement"  # 完善类
    UPGRADE = "upgrade"          # 提升类


#: Category names, lazy (the reader's language); ``str()`` them under core.i18n.chinese() for a document.
CATEGORY_LABELS = {ItemCategory.BASIC: _l("基础类"), ItemCategory.IMPROVEMENT: _l("完善类"),
                   ItemCategory.UPGRADE: _l("提升类")}


class CatalogueItem(db.Model):
    """An item of the renovation catalogue: data editable by admins, seeded with the national menu
    and Zhengzhou's 一拆五改三增加 list (``local_list`` tells which list a row came from)."""

    __tablename__ = "catalogue_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    category: Mapped[ItemCategory] = mapped_column(str_enum(ItemCategory))
    description: Mapped[str | None] = mapped_column(Text)
    local_list: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    @property
    def category_label(self) -> str:
        """The category's name in the reader's language, as a plain string."""
        return str(CATEGORY_LABELS[self.category])


class ProjectItemStatus(enum.Enum):
    """Where a project item stands in the decision: proposed, adopted by vote, or rejected."""

    CANDIDATE = "candidate"  # 候选
    ADOPTED = "adopted"      # 已通过
    REJECTED = "rejected"    # 未通过


class ProgressStatus(enum.Enum):
    """Construction status of an item (issue 4's list)."""

    NOT_STARTED = "not_started"  # 未开工
    IN_PROGRESS = "in_progress"  # 施工中
    PAUSED = "paused"            # 暂停
    COMPLETED = "completed"      # 已完工
    ACCEPTED = "accepted"        # 已验收


#: Construction status names, lazy (the reader's language); the progress sheet (xlsx) and the reports
#: ``str()`` them under core.i18n.chinese().
PROGRESS_STATUS_LABELS = {
    ProgressStatus.NOT_STARTED: _l("未开工"),
    ProgressStatus.IN_PROGRESS: _l("施工中"),
    ProgressStatus.PAUSED: _l("暂停"),
    ProgressStatus.COMPLETED: _l("已完工"),
    ProgressStatus.ACCEPTED: _l("已验收"),
}


class ProjectItem(db.Model):
    """A renovation item of one project: quantity with its unit, unit price and budget (yuan),
    planned dates, and its current progress (percent 0-100 and status, from the latest update)."""

    __tablename__ = "project_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    catalogue_item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_item.id"))
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProjectItemStatus] = mapped_column(
        str_enum(ProjectItemStatus), default=ProjectItemStatus.CANDIDATE
    )
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    unit: Mapped[str | None] = mapped_column(String(16))
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    budget: Mapped[Decimal | None] = mapped_column(Money)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"))
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    progress_percent: Mapped[int] = mapped_column(default=0)
    progress_status: Mapped[ProgressStatus] = mapped_column(
        str_enum(ProgressStatus), default=ProgressStatus.NOT_STARTED
    )
    sort_order: Mapped[int] = mapped_column(default=0)

    project: Mapped[Project] = relationship(back_populates="items")
    catalogue_item: Mapped[CatalogueItem | None] = relationship()
    contractor = relationship("Contractor")
    __table_args__ = (
        UniqueConstraint("project_id", "name"),
        CheckConstraint("progress_percent >= 0 AND progress_percent <= 100", name="progress_percent_range"),
    )

    @property
    def progress_status_label(self) -> str:
        """The construction status in the reader's language, as a plain string."""
        return str(PROGRESS_STATUS_LABELS[self.progress_status])
