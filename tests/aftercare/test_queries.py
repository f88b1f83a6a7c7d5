"""List pages load their related rows in the same few queries: the count does not grow with the rows."""

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from renovation.aftercare.models import ActivityKind, CommunityActivity, RepairRequest
from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.party.models import BranchTask, MemberActivity, MemberActivityKind
from renovation.projects.rules import Stage
from tests.aftercare.factories import make_branch, make_categories


@contextmanager
def counting():
    n = [0]

    def _count(*args):
        n[0] += 1

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield n
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _add_rows(world, objs, cats, k):
    pa, hh = world["project_a"], world["households_a"]
    for i in range(k):
        db.session.add(RepairRequest(project_id=pa.id, household_id=hh[i % len(hh)].id, category_id=cats["水电"].id,
                                     target_hours=24, location=f"位置{i}", created_at=utcnow() - timedelta(hours=i)))
        db.session.add(CommunityActivity(project_id=pa.id, kind=ActivityKind.CULTURE, title=f"活动{i}", held_on=date(2020, 9, 1),
                                         organiser="社区", participants=10))
        db.session.add(MemberActivity(branch_id=objs["branch"].id, project_id=pa.id, member_id=objs["secretary"].id,
                                      kind=MemberActivityKind.VISIT, stage=Stage.CONSTRUCTION,
                                      happened_on=date(2020, 9, 1), summary="走访", household_id=hh[i % len(hh)].id,
                                      tags=list(objs["tags"])))
        db.session.add(BranchTask(branch_id=objs["branch"].id, decision=f"事项{i}", owner_id=objs["secretary"].id,
                                  deadline=date(2020, 9, 30)))
    db.session.commit()


def test_list_pages_do_not_grow_with_rows(client, world, login):
    objs = make_branch(world)
    cats = make_categories()
    db.session.commit()
    pid = world["project_a"].id
    urls = [f"/aftercare/projects/{pid}/repairs", f"/aftercare/projects/{pid}/activities",
            f"/party/projects/{pid}", f"/party/projects/{pid}/activities"]
    login("squad_a")
    _add_rows(world, objs, cats, 2)
    small = []
    for u in urls:
        with counting() as n:
            assert client.get(u).status_code == 200
        small.append(n[0])
    _add_rows(world, objs, cats, 10)
    for u, before in zip(urls, small, strict=True):
        with counting() as n:
            assert client.get(u).status_code == 200
        assert n[0] == before, (u, before, n[0])
