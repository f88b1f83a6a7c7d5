"""Report data on top of tests/factories.make_world(), with figures that can be checked by hand.

Project A (测试A小区, 12 households, 1,000.00 m²):
- items: 天然气入户 (budget 300,000 yuan, 60%, 施工中), 道路改造 (100,000 yuan, 100%, 已完工), both adopted;
  加装电梯 candidate (no budget). Weighted progress = (300,000*60 + 100,000*100) / 400,000 = 70.0%.
- funding: 天然气入户 200,000 central subsidy + 100,000 utility operator; 道路改造 100,000 local government.
- wish survey: 10 responses, 9 consent (households 1..9; household 1 is 120 m²) -> 9/12 = 75.0%,
  area 120 + 8*80 = 760 m² of 1,000 -> 76.0%.
- closed ballot with both items: households 1..9 vote; 7 agree, 1 against, 1 abstain on both.
- one progress update (天然气入户 60%, with a photo), one problem with hostile markup in its title,
  a Party branch with 3 members and 2 meetings (5/6 and 6/6), a facility, a milestone.
"""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PIL import Image

from renovation.aftercare.models import Facility, Partner
from renovation.construction.models import ProblemReport, ProblemStatus, ProgressUpdate
from renovation.core.uploads import save_image
from renovation.extensions import db
from renovation.party.models import Meeting, PartyBranch, PartyMember
from renovation.planning.models import FundingKind, FundingSource, Milestone
from renovation.projects.models import ProgressStatus, ProjectItem, ProjectItemStatus, StageTransition
from renovation.projects.rules import Stage
from renovation.voting.models import Ballot, BallotItem, BallotStatus, Choice, Vote, VoteChoice
from renovation.wishes.models import WishResponse, WishSurvey

HOSTILE_TITLE = '井盖松动<img src="file:///etc/passwd"><b>x</b>'


def _png() -> bytes:
    img = Image.new("RGB", (400, 300), (180, 60, 40))
    for x in range(0, 400, 40):
        for y in range(300):
            img.putpixel((x, y), (255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def add_report_data(world: dict, upload_folder: str) -> dict:
    """Add the data described in the module docstring to ``world``'s project A; commits."""
    project = world["project_a"]
    gas, road = world["items_a"]
    hh = world["households_a"]
    squad = world["squad_a"]
    for item, pct, status in ((gas, 60, ProgressStatus.IN_PROGRESS), (road, 100, ProgressStatus.COMPLETED)):
        item.status = ProjectItemStatus.ADOPTED
        item.progress_percent = pct
        item.progress_status = status
    lift = ProjectItem(project=project, catalogue_item=world["catalogue"][2], name="加装电梯", sort_order=3)
    db.session.add(lift)
    db.session.add_all([
        FundingSource(project_item=gas, kind=FundingKind.CENTRAL_SUBSIDY, amount=Decimal("200000")),
        FundingSource(project_item=gas, kind=FundingKind.UTILITY_OPERATOR, amount=Decimal("100000")),
        FundingSource(project_item=road, kind=FundingKind.LOCAL_GOVERNMENT, amount=Decimal("100000")),
    ])
    t0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    db.session.add_all([
        StageTransition(project=project, from_stage=None, to_stage=Stage.WISH_SOLICITATION, user_id=squad.id,
                        at=t0, reason="列入2020年第一批改造计划"),
        StageTransition(project=project, from_stage=Stage.WISH_SOLICITATION, to_stage=Stage.CONSULTATION,
                        user_id=squad.id, at=t0 + timedelta(days=30), reason="同意改造户数达到三分之二"),
    ])
    survey = WishSurvey(project=project, title="改造意愿征询", is_open=False, opened_at=t0,
                        closed_at=t0 + timedelta(days=20))
    db.session.add(survey)
    db.session.flush()
    for i, h in enumerate(hh[:10]):
        db.session.add(WishResponse(survey_id=survey.id, household_id=h.id, consent=i < 9))
    ballot = Ballot(project=project, title="改造内容表决", status=BallotStatus.CLOSED,
                    opens_at=t0 + timedelta(days=31), closes_at=t0 + timedelta(days=40))
    db.session.add(ballot)
    db.session.flush()
    bitems = [BallotItem(ballot_id=ballot.id, project_item_id=it.id, title=it.name, sort_order=n)
              for n, it in enumerate((gas, road))]
    db.session.add_all(bitems)
    db.session.flush()
    for i, h in enumerate(hh[:9]):
        choice = Choice.AGREE if i < 7 else (Choice.AGAINST if i == 7 else Choice.ABSTAIN)
        vote = Vote(ballot_id=ballot.id, household_id=h.id, receipt_code=f"R{i:04d}", entered_by_id=squad.id)
        vote.choices = [VoteChoice(ballot_item_id=b.id, choice=choice) for b in bitems]
        db.session.add(vote)
    upload = save_image(_png(), "现场.png", upload_folder, project_id=project.id, user=squad, caption="燃气管道敷设")
    db.session.add(ProgressUpdate(project_item_id=gas.id, percent=60, status=ProgressStatus.IN_PROGRESS,
                                  note="1号楼燃气立管安装完成", photo_id=upload.id, author_id=squad.id))
    db.session.add(ProblemReport(project_id=project.id, title=HOSTILE_TITLE, status=ProblemStatus.ASSIGNED,
                                 reporter_id=world["supervisor_a"].id, deadline=date(2026, 4, 1)))
    branch = PartyBranch(project_id=project.id, name="测试A小区改造临时党支部", founded_on=date(2026, 3, 1))
    db.session.add(branch)
    db.session.flush()
    db.session.add_all([
        PartyMember(branch_id=branch.id, name="王建国", post="书记", home_unit="桐柏路街道党工委"),
        PartyMember(branch_id=branch.id, name="李秀兰", post="委员", home_unit="西十里铺北社区"),
        PartyMember(branch_id=branch.id, name="赵明", post="党员", is_resident=True),
        Meeting(branch_id=branch.id, held_on=date(2026, 3, 9), title="第一次周例会", attendees=5, expected=6),
        Meeting(branch_id=branch.id, held_on=date(2026, 3, 16), title="第二次周例会", attendees=6, expected=6),
    ])
    partner = Partner(name="区图书馆", kind="公共文化")
    db.session.add(partner)
    db.session.flush()
    db.session.add(Facility(compound_id=project.compound_id, partner_id=partner.id, name="图书服务点",
                            area=Decimal("200"), provision="图书3000册"))
    db.session.add(Milestone(project_id=project.id, title="燃气通气", due_on=date(2026, 12, 20)))
    db.session.commit()
    return {"gas": gas, "road": road, "lift": lift, "ballot": ballot, "branch": branch}
