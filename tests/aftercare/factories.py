"""Objects of post-handover management and of the Party branch for tests (compound A of the world)."""

from datetime import date, timedelta
from decimal import Decimal

from renovation.aftercare.models import (
    Facility,
    Handover,
    RepairCategory,
    RepairRequest,
    SatisfactionSurvey,
)
from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.party.models import BranchTag, BranchTask, Meeting, PartyBranch, PartyMember


def make_categories() -> dict[str, RepairCategory]:
    """Two repair categories: 水电 (24 h) and 公共设施 (72 h)."""
    cats = {"水电": RepairCategory(name="水电", target_hours=24, sort_order=0),
            "公共设施": RepairCategory(name="公共设施", target_hours=72, sort_order=1)}
    db.session.add_all(cats.values())
    db.session.flush()
    return cats


def make_branch(world) -> dict:
    """A branch of project A: a secretary, a squad member, a resident Party member, two tags, a meeting of
    2020-09-07 (2 of 2 expected) and a task from it due 2020-09-14."""
    branch = PartyBranch(project_id=world["project_a"].id, name="测试A小区改造项目临时党支部",
                         founded_on=date(2020, 4, 1))
    db.session.add(branch)
    db.session.flush()
    sec = PartyMember(branch_id=branch.id, name="王书记", post="书记", home_unit="桐柏路街道党工委")
    squad = PartyMember(branch_id=branch.id, name="李委员", post="委员", home_unit="西十里铺北社区")
    resident = PartyMember(branch_id=branch.id, name="张党员", post="党员", home_unit="测试A小区", is_resident=True)
    db.session.add_all([sec, squad, resident])
    tags = [BranchTag(branch_id=branch.id, name="党群连心", sort_order=1),
            BranchTag(branch_id=branch.id, name="民生实事", sort_order=2)]
    db.session.add_all(tags)
    db.session.flush()
    meeting = Meeting(branch_id=branch.id, held_on=date(2020, 9, 7), title="周例会", attendees=2, expected=2,
                      minutes="研究燃气入户收尾", present=[sec, squad])
    db.session.add(meeting)
    db.session.flush()
    task = BranchTask(branch_id=branch.id, meeting_id=meeting.id, decision="逐户排查未通气住户", owner_id=squad.id,
                      deadline=date(2020, 9, 14))
    db.session.add(task)
    db.session.flush()
    return {"branch": branch, "secretary": sec, "squad_member": squad, "resident_member": resident, "tags": tags,
            "meeting": meeting, "task": task}


def aftercare_objects(world) -> dict:
    """Ids for the access table: a facility, a handover, resident_a's repair request, a meeting, a task
    (and an open satisfaction survey, for the close route). Commits."""
    pa = world["project_a"]
    facility = Facility(compound_id=pa.compound_id, name="图书服务点", area=Decimal("200.00"))
    handover = Handover(project_id=pa.id, asset="庭院燃气管网", receiver="郑州华润燃气")
    cats = make_categories()
    repair = RepairRequest(project_id=pa.id, household_id=world["resident_a"].household_id,
                           reporter_id=world["resident_a"].id, category_id=cats["水电"].id, target_hours=24,
                           location="1号楼1单元楼道", created_at=utcnow() - timedelta(hours=2))
    db.session.add_all([facility, handover, repair, SatisfactionSurvey(project_id=pa.id, title="满意度测评")])
    party = make_branch(world)
    db.session.commit()
    return {"facility_id": facility.id, "handover_id": handover.id, "repair_id": repair.id,
            "meeting_id": party["meeting"].id, "task_id": party["task"].id}
