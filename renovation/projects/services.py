"""Write-side operations on projects: the one place a stage moves, and where a project is closed (结项)
or reopened. Flushes, never commits."""

from fractions import Fraction

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from renovation.accounts.models import Role, User
from renovation.core import audit
from renovation.core.db import lock_row, utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import local_today
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.projects import facts
from renovation.projects.access import can_edit_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus, StageTransition
from renovation.projects.rules import (
    CloseFacts,
    GateFacts,
    GateResult,
    GateSettings,
    Stage,
    check_transition,
)
from renovation.projects.rules import check_close as close_rule


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
    """Collect the plain facts the stage gates need for ``project``: the register's households and the
    adopted items here, the rest from the stage areas that own them (projects.facts, a few COUNTs)."""
    adopted = db.session.scalar(
        select(func.count(ProjectItem.id)).where(
            ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED
        )
    ) or 0
    return GateFacts(households=household_count(project.compound_id), adopted_items=adopted,
                     **facts.collect("gate", project))


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


# --- closing (结项) -------------------------------------------------------------------------------------

def close_facts(project: Project) -> CloseFacts:
    """Collect the plain facts the close check (rules.check_close) needs for ``project``: acceptance and
    problem reports not verified (construction), handover lines not handed over and the satisfaction
    survey and its gate (aftercare), through projects.facts."""
    return CloseFacts(stage=project.stage, already_closed=project.closed_at is not None,
                      **facts.collect("close", project))


def check_close(project: Project) -> GateResult:
    """What the close rule (rules.check_close) says today about closing ``project`` (no change made)."""
    return close_rule(close_facts(project))


def _lock_project(project: Project) -> None:
    """Serialise writers on the project row until commit (core.db.lock_row), then re-read it so a close or
    reopen that got in first (a double click, two squad members) is seen."""
    lock_row(db.session, Project, project.id)
    db.session.refresh(project)


def close_project(project: Project, user: User, note: str | None = None) -> Project:
    """Close ``project`` (结项): sets ``closed_at`` (now, UTC), from which the roster retention period runs
    (ROSTER_RETENTION_DAYS, ``flask privacy purge-rosters``); writes the audit row 'project.close'.

    Raises PermissionDenied unless ``user`` is on the project's squad or an administrator; DomainError
    (reasons in the reader's language) when rules.check_close refuses, a second close included.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以结项。"))
    _lock_project(project)
    result = check_close(project)
    if not result.allowed:
        raise DomainError(_("暂不能结项：%(reasons)s", reasons=" ".join(result.reasons)))
    project.closed_at = utcnow()
    after = {"closed_at": project.closed_at.isoformat()}
    if note and note.strip():
        after["note"] = note.strip()
    audit.record(user, "project.close", project, before={"closed_at": None}, after=after, project_id=project.id)
    db.session.flush()
    return project


def reopen_project(project: Project, user: User, reason: str) -> Project:
    """Reopen a closed project (to undo a close made by mistake): clears ``closed_at``, which also stops
    the roster retention clock (a later close starts it again); audit row 'project.reopen' with the reason.

    Rosters already anonymised by the retention purge stay anonymised. Raises PermissionDenied unless
    ``user`` is an administrator; DomainError when the reason is empty or the project is not closed.
    """
    if not (user.is_authenticated and user.role is Role.ADMIN):
        raise PermissionDenied(_("只有管理员可以撤销结项。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤销结项的原因。"))
    _lock_project(project)
    if project.closed_at is None:
        raise DomainError(_("项目尚未结项。"))
    before = {"closed_at": project.closed_at.isoformat()}
    project.closed_at = None
    audit.record(user, "project.reopen", project, before=before, after={"closed_at": None, "reason": reason},
                 project_id=project.id)
    db.session.flush()
    return project
