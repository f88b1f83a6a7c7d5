"""Write-side operations on projects: the one place a stage moves. Flushes, never commits."""

from fractions import Fraction

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.projects.access import can_edit_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus, StageTransition
from renovation.projects.rules import GateFacts, GateResult, GateSettings, Stage, check_transition


def gate_settings() -> GateSettings:
    """The city's gate settings from the app config (RENOVATION_GATE_WISH_CONSENT_RATE, e.g. '2/3')."""
    return GateSettings(wish_consent_rate=Fraction(current_app.config["GATE_WISH_CONSENT_RATE"]))


def household_count(compound_id: int) -> int:
    """Active households of a compound (the register)."""
    return db.session.scalar(
        select(func.count(Household.id)).where(
            Household.compound_id == compound_id, Household.status == HouseholdStatus.ACTIVE
        )
    ) or 0


def gate_facts(project: Project) -> GateFacts:
    """Collect the plain facts the stage gates need for ``project`` (a handful of COUNT queries)."""
    from renovation.construction.models import Acceptance
    from renovation.planning.models import Objection, Plan, PlanStatus
    from renovation.wishes.models import WishResponse, WishSurvey

    consenting = db.session.scalar(
        select(func.count(WishResponse.id))
        .join(WishSurvey, WishResponse.survey_id == WishSurvey.id)
        .join(Household, WishResponse.household_id == Household.id)
        .where(WishSurvey.project_id == project.id, WishResponse.consent.is_(True),
               Household.status == HouseholdStatus.ACTIVE)
    ) or 0
    adopted = db.session.scalar(
        select(func.count(ProjectItem.id)).where(
            ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED
        )
    ) or 0
    plan = db.session.scalar(select(Plan).where(Plan.project_id == project.id))
    notice_ends = None
    open_objections = 0
    if plan is not None:
        if plan.notice_starts_on is not None:
            from datetime import timedelta

            notice_ends = plan.notice_starts_on + timedelta(days=plan.notice_days - 1)
        open_objections = db.session.scalar(
            select(func.count(Objection.id)).where(Objection.plan_id == plan.id, Objection.answer.is_(None))
        ) or 0
    accepted = db.session.scalar(
        select(func.count(Acceptance.id)).where(Acceptance.project_id == project.id, Acceptance.passed.is_(True))
    ) or 0
    return GateFacts(
        households=household_count(project.compound_id),
        consenting=consenting,
        adopted_items=adopted,
        plan_approved=plan is not None and plan.status is PlanStatus.APPROVED,
        plan_notice_ends=notice_ends,
        open_objections=open_objections,
        acceptance_passed=accepted > 0,
    )


def check_move(project: Project, target: Stage) -> GateResult:
    """What the gate says today about moving ``project`` to ``target`` (no change made)."""
    return check_transition(project.stage, target, gate_facts(project), gate_settings(), local_today())


def move_stage(project: Project, target: Stage, user: User, reason: str | None = None) -> StageTransition:
    """Move ``project`` to ``target`` after checking permission and the gate; writes history and audit.

    Raises PermissionDenied if ``user`` may not edit the project; DomainError (reasons in the reader's
    language) if the gate refuses.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以推进阶段。"))
    result = check_move(project, target)
    if not result.allowed:
        raise DomainError(_("不能进入下一阶段：%(reasons)s", reasons=" ".join(result.reasons)))
    before = project.stage
    project.stage = target
    transition = StageTransition(project_id=project.id, from_stage=before, to_stage=target, user_id=user.id,
                                 reason=(reason or "").strip() or None)
    db.session.add(transition)
    audit.record(user, "stage.move", project, before={"stage": before.value}, after={"stage": target.value},
                 project_id=project.id)
    db.session.flush()
    return transition
