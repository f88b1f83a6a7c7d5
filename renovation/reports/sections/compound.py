"""The report's compound, investment and works (the items), and stage timeline sections."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from renovation.construction.rules import item_rag
from renovation.extensions import db
from renovation.planning.models import FUNDING_KIND_LABELS, FundingSource
from renovation.projects.models import (
    CATEGORY_LABELS,
    Project,
    ProjectItem,
    ProjectItemStatus,
    StageTransition,
)
from renovation.projects.views import compound_figures, weighted_progress
from renovation.reports.common import _local_date, _rate


def _compound_section(project: Project) -> dict:
    compound = project.compound
    community = compound.community
    subdistrict = community.subdistrict
    figures = compound_figures(project)
    return {
        "name": compound.name,
        "address": compound.address or "",
        "built_year": compound.built_year,
        "city": subdistrict.district.city,
        "district": subdistrict.district.name,
        "subdistrict": subdistrict.name,
        "community": community.name,
        "batch": project.batch.name if project.batch else "",
        "buildings": figures["buildings"],
        "households": figures["households"],
        "area": Decimal(figures["area"]),
    }


def _items_section(project: Project, today: date) -> tuple[dict, dict]:
    items = db.session.scalars(
        select(ProjectItem).where(ProjectItem.project_id == project.id)
        .options(joinedload(ProjectItem.catalogue_item), joinedload(ProjectItem.contractor))
        .order_by(ProjectItem.sort_order, ProjectItem.id)
    ).all()
    adopted = [i for i in items if i.status is ProjectItemStatus.ADOPTED]
    counted = adopted or [i for i in items if i.status is not ProjectItemStatus.REJECTED]
    total = sum((Decimal(i.budget or 0) for i in counted), Decimal("0"))
    funding_rows = db.session.execute(
        select(FundingSource.kind, func.sum(FundingSource.amount))
        .join(ProjectItem, FundingSource.project_item_id == ProjectItem.id)
        .where(ProjectItem.id.in_([i.id for i in counted]))
        .group_by(FundingSource.kind)
    ).all() if counted else []
    order = list(FUNDING_KIND_LABELS)
    funding = [
        {"label": FUNDING_KIND_LABELS[kind], "amount": Decimal(amount or 0), "share": _rate(amount or 0, total)}
        for kind, amount in sorted(funding_rows, key=lambda r: order.index(r[0]))
    ]
    funded = sum((f["amount"] for f in funding), Decimal("0"))
    investment = {
        "total": total,
        "estimated": not adopted,  # no item adopted yet: the figure sums the candidates' estimates
        "funding": funding,
        "funded": funded,
        "unfunded": total - funded if total > funded else Decimal("0"),
    }
    work_items = [
        {
            "name": i.name,
            "rag": (rag := item_rag(int(i.progress_percent), i.planned_start, i.planned_end, today)).value,
            "rag_label": rag.label,
            "category": CATEGORY_LABELS[i.catalogue_item.category] if i.catalogue_item else "",
            "status_label": i.progress_status_label,
            "percent": int(i.progress_percent),
            "budget": Decimal(i.budget) if i.budget is not None else None,
            "contractor": i.contractor.name if i.contractor else "",
            "planned_start": i.planned_start,
            "planned_end": i.planned_end,
        }
        for i in adopted
    ]
    overall = weighted_progress(items)
    works = {
        "rows": work_items,
        "overall": overall,
        "completed": sum(1 for i in adopted if i.progress_percent >= 100),
        "candidates": sum(1 for i in items if i.status is ProjectItemStatus.CANDIDATE),
        "rejected": sum(1 for i in items if i.status is ProjectItemStatus.REJECTED),
    }
    return investment, works


def _timeline_section(project: Project) -> list[dict]:
    rows = db.session.scalars(
        select(StageTransition).where(StageTransition.project_id == project.id)
        .options(joinedload(StageTransition.user)).order_by(StageTransition.at, StageTransition.id)
    ).all()
    return [
        {
            "date": _local_date(t.at),
            "from": t.from_stage.label if t.from_stage else "立项",
            "to": t.to_stage.label,
            "who": t.user.display_name if t.user else "",
            "reason": t.reason or "",
        }
        for t in rows
    ]
