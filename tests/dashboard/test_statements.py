"""The dashboard, list and ledger run a fixed number of SQL statements whatever the number of compounds
(10 or 1,000), with every kind of figure present (households, surveys, ballots, items, funding, problems)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, insert, select

from renovation.accounts.models import Role
from renovation.construction.models import ProblemReport, ProblemStatus
from renovation.extensions import db
from renovation.org.models import Building, Community, Compound, Entrance, Household, Subdistrict
from renovation.planning.models import FundingKind, FundingSource
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.projects.rules import STAGE_ORDER
from renovation.voting.models import Ballot, BallotItem, BallotStatus
from renovation.wishes.models import WishResponse, WishSurvey
from tests.factories import make_user


def bulk_compounds(n: int, community_id: int, batch_id: int, prefix: str = "批量") -> None:
    """``n`` compounds with 3 households each, projects cycling through the five stages, two adopted
    items with funding, a wish survey, a closed ballot and a problem report each: executemany inserts."""
    ex = db.session.execute
    ex(insert(Compound), [{"community_id": community_id, "name": f"{prefix}{i}号院", "address": f"测试路{i}号"}
                          for i in range(n)])
    cids = db.session.scalars(select(Compound.id).where(Compound.name.like(f"{prefix}%")).order_by(Compound.id)).all()
    ex(insert(Building), [{"compound_id": c, "number": "1号楼"} for c in cids])
    bids = dict(db.session.execute(select(Building.compound_id, Building.id).where(Building.compound_id.in_(cids))).all())
    ex(insert(Entrance), [{"building_id": bids[c], "number": "1单元"} for c in cids])
    eids = dict(db.session.execute(select(Entrance.building_id, Entrance.id)
                                   .where(Entrance.building_id.in_(bids.values()))).all())
    ex(insert(Household), [{"compound_id": c, "building_id": bids[c], "entrance_id": eids[bids[c]], "floor": f,
                            "room": f"{f}01", "area": Decimal("80.00")} for c in cids for f in (1, 2, 3)])
    start = date.today() - timedelta(days=30)
    ex(insert(Project), [{"compound_id": c, "batch_id": batch_id, "name": f"项目{c}", "stage": STAGE_ORDER[i % 5],
                          "target_end_on": start + timedelta(days=90)} for i, c in enumerate(cids)])
    pids = dict(db.session.execute(select(Project.compound_id, Project.id).where(Project.compound_id.in_(cids))).all())
    ex(insert(ProjectItem), [{"project_id": pids[c], "name": name, "status": ProjectItemStatus.ADOPTED,
                              "budget": Decimal("100000"), "progress_percent": pct, "planned_start": start,
                              "planned_end": start + timedelta(days=60)}
                             for c in cids for name, pct in (("外立面", 40), ("道路", 10))])
    items = db.session.scalars(select(ProjectItem.id).where(ProjectItem.project_id.in_(pids.values()))).all()
    ex(insert(FundingSource), [{"project_item_id": i, "kind": FundingKind.CENTRAL_SUBSIDY, "amount": Decimal("60000")}
                               for i in items])
    ex(insert(WishSurvey), [{"project_id": p, "title": "意愿征集"} for p in pids.values()])
    sids = dict(db.session.execute(select(WishSurvey.project_id, WishSurvey.id)
                                   .where(WishSurvey.project_id.in_(pids.values()))).all())
    hh = db.session.execute(select(Household.id, Household.compound_id).where(Household.compound_id.in_(cids))).all()
    ex(insert(WishResponse), [{"survey_id": sids[pids[c]], "household_id": h, "consent": h % 2 == 0} for h, c in hh])
    ex(insert(Ballot), [{"project_id": p, "title": "表决", "status": BallotStatus.CLOSED} for p in pids.values()])
    ballots = dict(db.session.execute(select(Ballot.project_id, Ballot.id)
                                      .where(Ballot.project_id.in_(pids.values()))).all())
    first_item = dict(db.session.execute(select(ProjectItem.project_id, ProjectItem.id)
                                         .where(ProjectItem.id.in_(items), ProjectItem.name == "外立面")).all())
    ex(insert(BallotItem), [{"ballot_id": b, "project_item_id": first_item[p], "title": "外立面"}
                            for p, b in ballots.items()])
    ex(insert(ProblemReport), [{"project_id": p, "title": "问题", "status": ProblemStatus.ASSIGNED,
                                "deadline": start, "created_at": datetime(2020, 9, 1, tzinfo=UTC)}
                               for p in pids.values()])
    db.session.commit()


@pytest.fixture
def many(world):
    def make(n):
        comm = db.session.scalar(select(Community).join(Subdistrict).where(Subdistrict.name == "桐柏路街道"))
        bulk_compounds(n, comm.id, world["batch"].id)
        return world
    return make


def _count(client, url) -> tuple[int, int]:
    n = 0

    def before(*args, **kw):
        nonlocal n
        n += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        resp = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return resp.status_code, n


URLS = ["/", "/compounds", "/compounds?sort=name&page=2", "/compounds?stage=construction&status=red&q=1",
        "/compounds/ledger.xlsx"]


def _counts(client, login, user):
    login(user)
    return [_count(client, url) for url in URLS]


@pytest.mark.parametrize("n", [10, 1000])
def test_fixed_statement_count(n, many, client, login):
    world = many(n)
    make_user("district_leader", Role.LEADER, district_id=world["district"].id)
    db.session.commit()
    got = _counts(client, login, "district_leader")
    assert all(code == 200 for code, _ in got), got
    assert [c for _, c in got] == EXPECTED, (n, got)


# The user is in the session's identity map (the test's app context spans the requests), so its load is
# not counted; in production each page has one more statement for it.
# dashboard: 8 figure queries (projects, households, survey answers, answers of moved-out households,
# ballots, items, schedule, problems) + funding by source + oldest problems + the district's name = 11;
# list pages: batch and community choices + the 8 figure queries = 10; ledger: + 5 sheet queries = 15.
EXPECTED = [11, 10, 10, 10, 15]
