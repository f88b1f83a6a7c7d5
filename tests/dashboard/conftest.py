"""A hand-made jurisdiction for the dashboard tests: six compounds of 桐柏路街道 in every stage, on top of
the common world (whose 测试B小区 lies in 建设路街道). Figures are computed by hand in test_figures.py.

Story day: TODAY = 2020-10-21.

| compound | stage | households | survey (consent) | adopted items: budget, progress, dates | problems | status |
|---|---|---|---|---|---|---|
| 测试A小区 | consultation | 12 | 9 of 12 | 天然气入户 300,000 yuan, 0% (ballot: 1 adopted, 1 rejected) | - | green |
| 长青小区 | construction | 10 | 10 of 10 | 外立面 200,000 50% 09-01..11-30; 道路 100,000 30% 09-01..10-31 | 1 overdue, 1 open, 1 verified | amber |
| 东风小区 | aftercare | 4 | 3 of 4 | 绿化 50,000 100% | 3 overdue | red |
| 银杏小区 | planning, target end 2020-10-01 | 3 | - | 停车位 80,000 0%, no funding | - | red |
| 枫林小区 | consultation | 2 | 2 of 2 | - (ballot: its one item rejected) | - | amber |
| 白杨小区 | wish solicitation | 4 | - | - | - | green |
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from renovation.construction.models import ProblemReport, ProblemStatus
from renovation.extensions import db
from renovation.org.models import Community, Household
from renovation.planning.models import FundingKind, FundingSource
from renovation.projects.models import ProgressStatus, Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import Stage
from renovation.voting.models import Ballot, BallotItem, BallotStatus
from renovation.wishes.models import WishResponse, WishSurvey
from tests.factories import make_compound

TODAY = date(2020, 10, 21)


def _at(y, m, d) -> datetime:
    return datetime(y, m, d, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def _survey(project, households, consents: int, against: int = 0):
    s = WishSurvey(project_id=project.id, title="意愿征集", is_open=False)
    db.session.add(s)
    db.session.flush()
    for i, h in enumerate(households[:consents + against]):
        db.session.add(WishResponse(survey_id=s.id, household_id=h.id, consent=i < consents))


def _item(project, name, budget, progress=0, start=None, end=None, status=ProjectItemStatus.ADOPTED, funding=()):
    it = ProjectItem(project=project, name=name, budget=Decimal(budget), progress_percent=progress,
                     progress_status=ProgressStatus.COMPLETED if progress == 100 else
                     (ProgressStatus.IN_PROGRESS if progress else ProgressStatus.NOT_STARTED),
                     planned_start=start, planned_end=end, status=status, quantity=Decimal("10"), unit="项",
                     unit_price=Decimal(budget) / 10)
    db.session.add(it)
    db.session.flush()
    for kind, amount in funding:
        db.session.add(FundingSource(project_item_id=it.id, kind=kind, amount=Decimal(amount)))
    return it


def _hh(compound):
    return db.session.query(Household).filter_by(compound_id=compound.id).order_by(Household.id).all()


def _problem(project, title, created, status, deadline=None):
    p = ProblemReport(project_id=project.id, title=title, status=status, deadline=deadline, created_at=created,
                      closed_at=_at(2020, 9, 15) if status is ProblemStatus.VERIFIED else None)
    db.session.add(p)
    return p


@pytest.fixture
def jurisdiction(world):
    """The world plus five compounds of 西十里铺北社区 (桐柏路街道) as in the module docstring."""
    comm = db.session.query(Community).filter_by(name="西十里铺北社区").one()
    batch = world["batch"]
    pa = world["project_a"]
    # A: consultation, survey 9 consent + 1 against of 12, closed ballot adopting gas, rejecting road
    _survey(pa, world["households_a"], 9, 1)
    gas, road = world["items_a"]
    gas.status, road.status = ProjectItemStatus.ADOPTED, ProjectItemStatus.REJECTED
    ballot = Ballot(project_id=pa.id, title="改造内容表决", status=BallotStatus.CLOSED)
    db.session.add(ballot)
    db.session.flush()
    db.session.add_all([BallotItem(ballot_id=ballot.id, project_item_id=gas.id, title=gas.name),
                        BallotItem(ballot_id=ballot.id, project_item_id=road.id, title=road.name)])

    def project(compound, stage, **kw):
        p = Project(compound=compound, batch=batch, name=f"{compound.name}改造", stage=stage, **kw)
        db.session.add(p)
        db.session.flush()
        return p

    c = make_compound(comm, "长青小区", 1, 2, 5)
    pc = project(c, Stage.CONSTRUCTION, started_on=date(2020, 9, 1), target_end_on=date(2020, 12, 31))
    _survey(pc, _hh(c), 10)
    _item(pc, "外立面改造", "200000", 50, date(2020, 9, 1), date(2020, 11, 30),
          funding=[(FundingKind.CENTRAL_SUBSIDY, "150000"), (FundingKind.LOCAL_GOVERNMENT, "50000")])
    _item(pc, "道路改造", "100000", 30, date(2020, 9, 1), date(2020, 10, 31),
          funding=[(FundingKind.RESIDENTS, "20000"), (FundingKind.LOCAL_GOVERNMENT, "80000")])
    _problem(pc, "井盖松动", _at(2020, 9, 20), ProblemStatus.ASSIGNED, date(2020, 10, 10))
    _problem(pc, "路灯不亮", _at(2020, 10, 1), ProblemStatus.REPORTED)
    _problem(pc, "材料堆放", _at(2020, 9, 5), ProblemStatus.VERIFIED, date(2020, 9, 10))

    d = make_compound(comm, "东风小区", 1, 1, 4)
    pd = project(d, Stage.AFTERCARE, target_end_on=date(2020, 9, 30))
    _survey(pd, _hh(d), 3)
    _item(pd, "绿化提升", "50000", 100, date(2020, 6, 1), date(2020, 8, 31),
          funding=[(FundingKind.CENTRAL_SUBSIDY, "50000")])
    _problem(pd, "草坪枯死", _at(2020, 9, 10), ProblemStatus.REPORTED, date(2020, 10, 1))
    _problem(pd, "座椅损坏", _at(2020, 9, 11), ProblemStatus.ASSIGNED, date(2020, 10, 2))
    _problem(pd, "排水不畅", _at(2020, 9, 12), ProblemStatus.REOPENED, date(2020, 10, 3))

    e = make_compound(comm, "银杏小区", 1, 1, 3)
    pe = project(e, Stage.PLANNING, target_end_on=date(2020, 10, 1))
    _item(pe, "停车位施划", "80000")

    f = make_compound(comm, "枫林小区", 1, 1, 2)
    pf = project(f, Stage.CONSULTATION)
    _survey(pf, _hh(f), 2)
    lift = _item(pf, "加装电梯", "500000", status=ProjectItemStatus.REJECTED)
    fb = Ballot(project_id=pf.id, title="加装电梯表决", status=BallotStatus.CLOSED)
    db.session.add(fb)
    db.session.flush()
    db.session.add(BallotItem(ballot_id=fb.id, project_item_id=lift.id, title=lift.name))

    g = make_compound(comm, "白杨小区", 1, 1, 4)
    pg = project(g, Stage.WISH_SOLICITATION)
    db.session.commit()
    return {**world, "projects": {"A": pa, "C": pc, "D": pd, "E": pe, "F": pf, "G": pg}}
