"""What the plan tells the stage gates (registered with projects.facts in planning.init_app)."""

from datetime import timedelta

from sqlalchemy import func, select

from renovation.extensions import db
from renovation.planning.models import Objection, Plan, PlanStatus


def gate_facts(project) -> dict:
    """{'plan_approved', 'plan_notice_ends' (last day of the public notice, or None), 'open_objections'}."""
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    notice_ends = None
    open_objections = 0
    if plan is not None:
        if plan.notice_starts_on is not None:
            notice_ends = plan.notice_starts_on + timedelta(days=plan.notice_days - 1)
        open_objections = db.session.scalar(
            select(func.count(Objection.id)).where(Objection.plan_id == plan.id, Objection.answer.is_(None))
        ) or 0
    return {"plan_approved": plan is not None and plan.status is PlanStatus.APPROVED,
            "plan_notice_ends": notice_ends, "open_objections": open_objections}
