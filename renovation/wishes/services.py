"""Write-side operations of the wish survey (意愿征集) and the read model of its results.

Services take the acting user, flush (never commit) and write an audit row per state change.
"""

from dataclasses import dataclass
from fractions import Fraction

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.org.models import Household, HouseholdStatus
from renovation.projects.access import can_act_for_household, can_edit_project
from renovation.projects.models import CatalogueItem, Project
from renovation.wishes import rules
from renovation.wishes.models import Channel, WishResponse, WishSurvey

#: How many not-yet-reached households the results page lists.
NOT_REACHED_LIMIT = 20


def get_survey(project: Project) -> WishSurvey | None:
    """The project's wish survey, or None if it was never opened."""
    return db.session.scalar(select(WishSurvey).where(WishSurvey.project_id == project.id))


def active_catalogue() -> list[CatalogueItem]:
    """Active catalogue items in catalogue order (the checkboxes of the survey)."""
    return list(db.session.scalars(
        select(CatalogueItem).where(CatalogueItem.active.is_(True)).order_by(CatalogueItem.sort_order,
                                                                             CatalogueItem.id)))


def compound_households(project: Project) -> list[Household]:
    """Active households of the project's compound in register order, with building and entrance loaded."""
    return list(db.session.scalars(
        select(Household).options(joinedload(Household.building), joinedload(Household.entrance))
        .where(Household.compound_id == project.compound_id, Household.status == HouseholdStatus.ACTIVE)
        .order_by(Household.id)))


def open_survey(user: User, project: Project, title: str | None = None) -> WishSurvey:
    """Open (or reopen) the project's wish survey. Squad member of the project or administrator only.

    Raises PermissionDenied; DomainError if the survey is already open.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以开启意愿征集。"))
    survey = get_survey(project)
    if survey is None:
        survey = WishSurvey(project_id=project.id, title=(title or "").strip() or f"{project.name}意愿征集",
                            is_open=True, opened_at=utcnow())
        db.session.add(survey)
    elif survey.is_open:
        raise DomainError(_("意愿征集已经开启。"))
    else:
        survey.is_open = True
        survey.closed_at = None
    db.session.flush()
    audit.record(user, "wish_survey.open", survey, after={"is_open": True}, project_id=project.id)
    return survey


def close_survey(user: User, project: Project) -> WishSurvey:
    """Close the project's wish survey (answers can no longer change). Squad/administrator only.

    Raises PermissionDenied; DomainError if there is no open survey.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以结束意愿征集。"))
    survey = get_survey(project)
    if survey is None or not survey.is_open:
        raise DomainError(_("意愿征集尚未开启。"))
    survey.is_open = False
    survey.closed_at = utcnow()
    audit.record(user, "wish_survey.close", survey, before={"is_open": True}, after={"is_open": False},
                 project_id=project.id)
    db.session.flush()
    return survey


def response_for(survey: WishSurvey | None, household_id: int | None) -> WishResponse | None:
    """The household's answer to ``survey`` (items loaded), or None."""
    if survey is None or household_id is None:
        return None
    return db.session.scalar(select(WishResponse).options(selectinload(WishResponse.items)).where(
        WishResponse.survey_id == survey.id, WishResponse.household_id == household_id))


def answer(user: User, project: Project, household: Household, *, consent: bool, item_ids: list[int],
           comment: str | None, channel: Channel = Channel.ONLINE) -> WishResponse:
    """Record (or change) ``household``'s answer to the project's open wish survey.

    Online: only the resident bound to the household (can_act_for_household). Paper: a squad member of
    the project or an administrator, for any active household of the compound. One answer per household:
    a second call replaces the first (keeping who entered it and by which channel).
    Raises PermissionDenied, or DomainError when the survey is not open, the household is not
    in the compound, an item is not in the active catalogue, or a concurrent answer won the race.
    """
    if channel is Channel.ONLINE:
        if not can_act_for_household(user, household):
            raise PermissionDenied(_("您只能为自己的房屋填写意愿。"))
    elif channel is Channel.PAPER:
        if not can_edit_project(user, project):
            raise PermissionDenied(_("只有本项目的专班成员或管理员可以录入纸质问卷。"))
    else:
        raise DomainError(_("意愿征集暂不支持委托代填。"))
    if household.compound_id != project.compound_id or household.status is not HouseholdStatus.ACTIVE:
        raise DomainError(_("该房屋不属于本小区的在册住户。"))
    survey = get_survey(project)
    if survey is None or not survey.is_open:
        raise DomainError(_("意愿征集未开启或已结束，不能再填写。"))
    wanted = set(item_ids)
    items = list(db.session.scalars(select(CatalogueItem).where(
        CatalogueItem.id.in_(wanted), CatalogueItem.active.is_(True)))) if wanted else []
    if len(items) != len(wanted):
        raise DomainError(_("所选改造内容不在当前清单中，请刷新页面后重新选择。"))
    response = response_for(survey, household.id)
    before = None
    if response is None:
        response = WishResponse(survey_id=survey.id, household_id=household.id)
        db.session.add(response)
    else:
        before = {"consent": response.consent, "items": sorted(i.id for i in response.items),
                  "channel": response.channel.value}
    response.consent = consent
    response.items = items
    response.comment = (comment or "").strip() or None
    response.channel = channel
    response.entered_by_id = user.id
    response.answered_at = utcnow()
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("该户的意愿刚刚已被提交，请刷新页面查看后再修改。")) from None
    audit.record(user, "wish.answer" if before is None else "wish.change", response, before=before,
                 after={"consent": consent, "items": sorted(wanted), "channel": channel.value,
                        "household_id": household.id}, project_id=project.id)
    return response


@dataclass(frozen=True)
class SurveyResults:
    """What the results page shows: consent figures, ranked wishes, households not reached, per building."""

    figures: rules.ConsentFigures
    ranked: list[rules.RankedWish]
    not_reached_count: int
    not_reached: list[Household]
    by_building: list[rules.BuildingConsent]


def survey_results(project: Project, survey: WishSurvey | None) -> SurveyResults:
    """Consent rate (households and m²) against GATE_WISH_CONSENT_RATE, the ranked wish list, the
    per-building breakdown and the first NOT_REACHED_LIMIT households not yet reached. Four statements whatever the compound size."""
    households = compound_households(project)
    responses = []
    if survey is not None:
        responses = list(db.session.scalars(select(WishResponse).options(selectinload(WishResponse.items))
                                            .where(WishResponse.survey_id == survey.id)))
    threshold = Fraction(current_app.config["GATE_WISH_CONSENT_RATE"])
    figures = rules.consent_figures({h.id: h.area for h in households},
                                    {r.household_id: r.consent for r in responses}, threshold)
    ranked = rules.ranked_wishes([(c.id, c.name) for c in active_catalogue()],
                                 [[i.id for i in r.items] for r in responses])
    count, first_ids = rules.not_reached([h.id for h in households], [r.household_id for r in responses],
                                         NOT_REACHED_LIMIT)
    by_id = {h.id: h for h in households}
    answers = {r.household_id: r.consent for r in responses}
    by_building = rules.per_building([(h.id, h.building.number) for h in households], answers)
    return SurveyResults(figures=figures, ranked=ranked, not_reached_count=count,
                         not_reached=[by_id[i] for i in first_ids], by_building=by_building)
