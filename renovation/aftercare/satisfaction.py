"""The residents' satisfaction survey (满意度测评): opening and closing it, one answer per household, the
result by building and overall, and whether it lets the project close (when it is a gate).

Every write takes the acting user, checks permission, raises DomainError/PermissionDenied with messages
in the reader's language (the Chinese source inside ``gettext``), flushes (never commits) and writes an
audit row for each state change. What is stored (upload captions, audit rows) stays in Chinese.
"""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from renovation.accounts.models import User
from renovation.aftercare import rules
from renovation.aftercare.common import clean, require_edit
from renovation.aftercare.models import SatisfactionMode, SatisfactionResponse, SatisfactionSurvey
from renovation.core import audit
from renovation.core.db import lock_row, utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.org.models import Building, Household, HouseholdStatus
from renovation.projects.access import can_view_project
from renovation.projects.models import Project

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
    require_edit(user, project, _("只有本项目的专班成员可以发起满意度测评。"))
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
    require_edit(user, project, _("只有本项目的专班成员可以结束满意度测评。"))
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
    row.comment, row.entered_by_id, row.created_at = clean(comment), user.id, utcnow()
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
