"""Demo projects and the story's clock: the catalogue, the two batches, 嵩岳小区's project with its squad and
stage transitions, the other compounds' projects, and the helpers every area's demo module dates its
records with.

The story is written as of :data:`STORY_TODAY` (2020-10-21); ``story_dates(today)`` moves every story date
by the same number of days so that the story stands at the load day. Called by renovation.demo.load_demo;
flushes only.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from renovation.accounts.models import ProjectAssignment, User
from renovation.core.timeutil import SHANGHAI
from renovation.extensions import db
from renovation.org.demo import SONGYUE, Register, get_or_create
from renovation.org.models import Compound
from renovation.projects.catalogue import seed_catalogue
from renovation.projects.models import Batch, CatalogueItem, Project, StageTransition
from renovation.projects.rules import Stage

#: The day on which the story stands as written (gas done, facade 65 %, road 35 %...). Every story date
#: is written as of this day and moved by (load day - STORY_TODAY) days: see :func:`story_dates`.
STORY_TODAY = date(2020, 10, 21)


@dataclass
class DemoContext:
    """What an area's demo module gets: 嵩岳小区's project and compound, the demo users by username, and
    ``d(y, m, day)`` which moves a story date (written in 2020) to the load day's timeline."""

    project: Project
    compound: Compound
    users: dict
    d: Callable[[int, int, int], date]


def at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """A Shanghai wall-clock time on ``day``, as an aware UTC datetime (whole seconds)."""
    return datetime.combine(day, time(hour, minute, second), SHANGHAI).astimezone(UTC)


def story_dates(today: date) -> Callable[[int, int, int], date]:
    """``d(year, month, day)``: a story date written as of :data:`STORY_TODAY`, moved by the same number
    of days as ``today`` is after STORY_TODAY, so that the story stands at ``today`` (the load day).

    E.g. loaded on 2026-11-29 (2,230 days after 2020-10-21), ``d(2020, 3, 6)`` is 2026-04-14.
    """
    shift = today - STORY_TODAY

    def d(year: int, month: int, day: int) -> date:
        return date(year, month, day) + shift
    return d


def between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random whole-second time in [start, end), moved into 08:00-21:00 Shanghai time."""
    # always two draws, whatever the span: the figures drawn after stay the same when ``end`` is "now"
    frac, hour_pick = rng.random(), rng.random()
    moment = (start + timedelta(seconds=int(frac * (end - start).total_seconds()))).astimezone(SHANGHAI)
    if not 8 <= moment.hour < 21:
        moment = moment.replace(hour=8 + int(hour_pick * 13))
    moment = max(min(moment, end - timedelta(seconds=1)), start)
    return moment.astimezone(UTC).replace(microsecond=0)


def catalogue() -> dict[str, CatalogueItem]:
    """The seeded catalogue of renovation items by code (e.g. 'B-GAS')."""
    seed_catalogue()
    return {c.code: c for c in db.session.scalars(select(CatalogueItem))}


def batches(d: Callable[[int, int, int], date]) -> tuple[Batch, Batch]:
    """'<year>年第一批' and '<year>年第二批', named after the (moved) year in which 嵩岳小区's project is
    created; existing rows are reused."""
    year = d(2020, 3, 6).year
    batch1 = get_or_create(Batch, name=f"{year}年第一批", defaults={"year": year})
    batch2 = get_or_create(Batch, name=f"{year}年第二批", defaults={"year": year})
    return batch1, batch2


def transitions(project: Project, moves: list[tuple[Stage | None, Stage, datetime, str]], user: User) -> None:
    """Stage transitions (from, to, at, reason) of ``project``, all recorded by ``user``."""
    db.session.add_all(StageTransition(project=project, from_stage=a, to_stage=b, at=when, reason=reason,
                                       user_id=user.id) for a, b, when, reason in moves)


def new_project(reg: Register, batch: Batch, stage: Stage, squad_user: User, created: datetime) -> Project:
    """A project of one of the other compounds, at ``stage``, with ``squad_user`` assigned (flushed)."""
    p = Project(compound=reg.compound, batch=batch, name=f"{reg.compound.name}老旧小区改造", stage=stage,
                created_at=created)
    db.session.add(p)
    db.session.flush()
    db.session.add(ProjectAssignment(project_id=p.id, user_id=squad_user.id, duty="专班成员"))
    return p


def songyue_project(reg: Register, batch: Batch, users: dict[str, User], d: Callable[[int, int, int], date]) -> Project:
    """嵩岳小区's project, in construction (works 2020-06-15 to 12-31 on story dates), with its two squad
    members assigned; flushed."""
    project = Project(compound=reg.compound, batch=batch, name=f"{SONGYUE}老旧小区改造", stage=Stage.CONSTRUCTION,
                      started_on=d(2020, 6, 15), target_end_on=d(2020, 12, 31),
                      created_at=at(d(2020, 3, 6)))
    db.session.add(project)
    db.session.flush()
    db.session.add_all([
        ProjectAssignment(project_id=project.id, user_id=users["squad"].id, duty="专班组长（桐柏路街道城建办）"),
        ProjectAssignment(project_id=project.id, user_id=users["squad2"].id, duty="专班成员（西十里铺北社区）"),
    ])
    return project


def songyue_transitions(project: Project, batch: Batch, squad: User, d: Callable[[int, int, int], date], *,
                        households: int, answered: int, consenting: int, adopted: int, rejected: int) -> None:
    """嵩岳小区's four stage transitions, their reasons quoting the survey (answered and consenting
    households of ``households``) and the content ballot (items adopted and rejected)."""
    transitions(project, [
        (None, Stage.WISH_SOLICITATION, at(d(2020, 3, 6)), f"纳入郑州市{batch.name}老旧小区改造计划"),
        (Stage.WISH_SOLICITATION, Stage.CONSULTATION, at(d(2020, 4, 7), 10),
         f"意愿征集结束：{answered}户作答，{consenting}户同意改造，"
         f"同意率{consenting / households * 100:.1f}%，超过三分之二"),
        (Stage.CONSULTATION, Stage.PLANNING, at(d(2020, 5, 11), 10),
         f"改造内容表决结束：{adopted}项通过，{rejected}项未通过"),
        (Stage.PLANNING, Stage.CONSTRUCTION, at(d(2020, 6, 12), 10),
         "方案公示7天期满，1条异议已答复，方案已批准，施工单位进场"),
    ], squad)
