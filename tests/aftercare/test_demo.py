"""The demo's aftercare and Party branch records (renovation/aftercare/demo.py, renovation/party/demo.py)."""

from fractions import Fraction

from sqlalchemy import func, select

from renovation.aftercare import rules, services
from renovation.aftercare.models import (
    CommunityActivity,
    Facility,
    Handover,
    HandoverStatus,
    RepairRequest,
)
from renovation.core.db import utcnow
from renovation.core.timeutil import local_today
from renovation.demo import load_demo
from renovation.extensions import db
from renovation.org.models import Compound
from renovation.party import rules as party_rules
from renovation.party import services as party
from renovation.party.models import BranchTask, Meeting, MemberActivity, VanguardPost
from renovation.projects.models import Project


def _project(name):
    return db.session.scalar(select(Project).join(Compound, Project.compound_id == Compound.id)
                             .where(Compound.name == name))


def test_demo_aftercare_and_branch(app):
    assert load_demo()
    today, now = local_today(), utcnow()
    p = _project("嵩岳小区")
    contract = services.current_contract(p)
    assert (contract.company, str(contract.fee_per_m2)) == ("郑州嵩宇物业服务有限公司", "0.60")
    assert contract.starts_on < today < contract.ends_on
    statuses = db.session.scalars(select(Handover.status).where(Handover.project_id == p.id)).all()
    assert statuses.count(HandoverStatus.HANDED) == 2 and statuses.count(HandoverStatus.PLANNED) == 3
    gas = db.session.scalar(select(Handover).where(Handover.asset.like("庭院燃气管网%")))
    assert gas.handed_on < today and len(gas.documents) == 1
    # repairs: 8, 5 closed (one of them late: 97 h against 72 h), 1 open and overdue (绿化保洁, 48 h)
    stats = services.repair_stats(p)
    assert (stats.total, stats.done, stats.on_time, stats.overdue_open) == (8, 5, 4, 1)
    rows = db.session.scalars(select(RepairRequest).where(RepairRequest.project_id == p.id)).all()
    assert all(r.created_at <= now for r in rows)
    assert sum(rules.is_overdue(r.created_at, r.target_hours, now, r.done_at) for r in rows) == 2
    library = db.session.scalar(select(Facility).where(Facility.name == "嵩岳小区图书服务点"))
    assert [(x.item, x.quantity) for x in library.provisions][:2] == [("图书", 3000), ("绘本", 300)]
    acts = db.session.scalars(select(CommunityActivity).where(CommunityActivity.project_id == p.id)).all()
    assert len(acts) == 3 and all(len(a.photos) == 2 and a.held_on < today for a in acts)
    # the survey of 秦岭路3号院 (in aftercare) is closed and meets its gate
    q = _project("秦岭路3号院")
    gate = services.closure_check(q)
    result = services.survey_result(q, services.survey_of(q))
    assert gate.passed and result.overall.response_rate >= Fraction(6, 10)
    assert sum(b.responses for b in result.by_building.values()) == result.overall.responses

    # the branch
    branch = party.branch_of(p)
    assert [t.name for t in party.tags_of(branch)] == ["基层堡垒", "党群连心", "共驻共建", "民生实事", "居民自治"]
    assert db.session.scalar(select(func.count(VanguardPost.id))) == 4
    meetings = db.session.scalars(select(Meeting).where(Meeting.branch_id == branch.id)).all()
    assert all(m.attendees == len(m.present) <= m.expected for m in meetings)
    tasks = db.session.scalars(select(BranchTask).where(BranchTask.branch_id == branch.id)).all()
    open_tasks = [t for t in tasks if t.done_on is None]
    assert len(tasks) == 9 and len(open_tasks) == 4
    assert sum(party_rules.is_task_overdue(t.deadline, t.done_on, today) for t in tasks) == 1
    counts = party.activity_counts(p, None, None)
    n = db.session.scalar(select(func.count(MemberActivity.id)))
    assert sum(counts["by_type"].values()) == n == 41 and counts["by_type"]["入户走访"] == 19
    assert all(v > 0 for v in counts["by_tag"].values())
    assert db.session.scalar(select(func.max(MemberActivity.happened_on))) < today
