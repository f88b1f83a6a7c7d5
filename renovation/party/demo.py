"""Demo records of the temporary Party branch of 嵩岳小区 (story day 2020-10-21): the five tags of
一针引五线, three vanguard posts (党员先锋岗), who attended each weekly meeting and its agenda, decisions
turned into follow-up tasks (done, done late, open and overdue, open), and members' activities in every
stage, some about a household or a problem report.

Called by renovation.demo.load_demo: :func:`songyue_branch` makes the branch, its members and weekly
meetings with the shared ``random.Random``; :func:`load`, once every area has its records, adds the
rest with its own seed. Flushes only.
"""

import random
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from renovation.construction.models import ProblemReport
from renovation.extensions import db
from renovation.org.demo import Names
from renovation.org.models import Household
from renovation.party.models import (
    BranchTag,
    BranchTask,
    Meeting,
    MemberActivity,
    MemberActivityKind,
    PartyBranch,
    PartyMember,
    VanguardPost,
)
from renovation.party.rules import FIVE_THREADS
from renovation.projects.models import Project
from renovation.projects.rules import Stage

SEED = 5_2020


def songyue_branch(project: Project, rng: random.Random, names: Names, d: Callable[[int, int, int], date]) -> None:
    """The temporary Party branch of 嵩岳小区's project, its 19 members (5 named, 8 from the communities,
    6 resident Party members) and 8 weekly meetings (周例会) from 2020-08-24, on moved story dates ``d``."""
    branch = PartyBranch(project_id=project.id, name="嵩岳小区改造项目临时党支部", founded_on=d(2020, 3, 5))
    members = [
        PartyMember(name="赵立群", post="书记", home_unit="桐柏路街道党工委（副书记）"),
        PartyMember(name="蔡红梅", post="副书记", home_unit="西十里铺北社区党委（书记）"),
        PartyMember(name="孙志远", post="委员", home_unit="桐柏路街道城建办"),
        PartyMember(name="何晓燕", post="委员", home_unit="西十里铺北社区"),
        PartyMember(name="马建民", post="委员", home_unit="嵩岳小区居民党员（居民监督员）", is_resident=True),
    ]
    communities = ["西十里铺南社区", "桐柏路社区", "汝河路社区", "伏牛路社区", "嵩山路社区", "工人路社区",
                   "华山路社区", "棉纺路社区"]
    members += [PartyMember(name=names.person(), home_unit=c) for c in communities]
    members += [PartyMember(name=names.person(), home_unit="嵩岳小区居民党员", is_resident=True) for _ in range(6)]
    branch.members = members
    topics = [
        "天然气入户收尾：未通气住户逐户排查，党员包楼包单元入户动员。",
        "燃气公司验收问题整改；架空线缆入地与通信运营商协调割接时间。",
        "雨污分流开挖影响出行：设置临时便道和警示标识，党员志愿者轮流值守。",
        "外立面施工安全检查，监理单位通报脚手架整改事项。",
        "居民反映施工材料占用消防通道，明确施工单位当日清理、监督员复查。",
        "研究3号楼2单元加装电梯诉求，安排党员入户征求本单元业主意见。",
        "道路沥青铺设分区施工方案，征求居民代表意见；夜间施工时间限定。",
        "视频监控暂停原因通报，协调弱电管道施工进度；部署长效管理物业引入。",
    ]
    expected = len(members) - 6  # the residents' Party members are not expected at the weekly meeting
    branch.meetings = [
        Meeting(held_on=d(2020, 8, 24) + timedelta(weeks=i), title="临时党支部周例会",
                attendees=expected - rng.randrange(3), expected=expected, minutes=topic)
        for i, topic in enumerate(topics)]
    db.session.add(branch)


def load(ctx) -> None:
    """Add the branch's demo records for ``ctx.project`` (flush only); nothing when it has no branch."""
    rng = random.Random(SEED)
    project, d, users = ctx.project, ctx.d, ctx.users
    branch = db.session.scalar(select(PartyBranch).where(PartyBranch.project_id == project.id))
    if branch is None:
        return
    members = list(db.session.scalars(select(PartyMember).where(PartyMember.branch_id == branch.id)
                                      .order_by(PartyMember.id)))
    by_name = {m.name: m for m in members}
    sec, deputy = by_name["赵立群"], by_name["蔡红梅"]
    sun, he, ma = by_name["孙志远"], by_name["何晓燕"], by_name["马建民"]
    sun.user_id, he.user_id = users["squad"].id, users["squad2"].id
    ma.household_id = users["supervisor"].household_id
    residents = [m for m in members if m.is_resident and m is not ma]
    staff = [m for m in members if not m.is_resident]

    tags = {n: BranchTag(branch_id=branch.id, name=n, description=desc, sort_order=i)
            for i, (n, desc) in enumerate(FIVE_THREADS)}
    db.session.add_all(tags.values())
    db.session.add_all([
        VanguardPost(branch_id=branch.id, name="燃气入户宣传岗", holder_id=he.id,
                     duty="包楼包单元入户讲解安全用气，动员未通气住户，登记特殊困难家庭。"),
        VanguardPost(branch_id=branch.id, name="施工质量监督岗", holder_id=ma.id,
                     duty="每日巡查施工现场，发现问题即时上报，参与整改复查。"),
        VanguardPost(branch_id=branch.id, name="矛盾调解岗", holder_id=deputy.id,
                     duty="调解施工期间邻里纠纷、停车和占道矛盾，收集居民意见。"),
        VanguardPost(branch_id=branch.id, name="文明施工劝导岗", holder_id=residents[0].id,
                     duty="劝导夜间施工和材料占道，维护出行安全。"),
    ])

    meetings = list(db.session.scalars(select(Meeting).where(Meeting.branch_id == branch.id)
                                       .order_by(Meeting.held_on)))
    for m in meetings:
        m.present = sorted(rng.sample(staff, min(m.attendees, len(staff))), key=lambda p: p.id)
        m.attendees = len(m.present)
        m.agenda = "上周督办事项落实情况\n本周施工进度与问题通报\n居民诉求梳理与分工"

    def task(i, decision, owner, deadline, done_on=None, note=None):
        if i < len(meetings):
            db.session.add(BranchTask(branch_id=branch.id, meeting_id=meetings[i].id, decision=decision,
                                      owner_id=owner.id, deadline=deadline, done_on=done_on, done_note=note))

    task(0, "未通气住户逐户排查，建立台账", deputy, d(2020, 8, 31), d(2020, 8, 30), "排查未通气住户37户，已全部登记。")
    task(1, "协调通信运营商确定线缆割接时间", sun, d(2020, 9, 7), d(2020, 9, 9), "割接安排在9月12日夜间。")
    task(2, "雨污分流开挖处设置临时便道和警示标识", he, d(2020, 9, 10), d(2020, 9, 10), "设置便道3处、警示牌12块。")
    task(3, "督促监理单位落实脚手架整改事项", sec, d(2020, 9, 21), d(2020, 9, 18), "监理通报的5项已全部整改。")
    task(4, "消防通道材料当日清理，监督员次日复查", ma, d(2020, 9, 25), d(2020, 9, 26), "已清理，监督员复查仍有少量堆放。")
    task(5, "3号楼2单元入户征求加装电梯意见", residents[1], d(2020, 10, 16))  # open, overdue
    task(6, "道路分区施工方案征求居民代表意见并公示", deputy, d(2020, 10, 30))
    task(7, "与嵩宇物业办理新建设施管护交接清单", sun, d(2020, 10, 26))
    task(7, "协调弱电管道施工，恢复视频监控安装", he, d(2020, 10, 23))

    _activities(branch, project, ctx.compound.id, d, rng, staff, residents + [ma], tags, users["squad"].id)
    db.session.flush()


def _activities(branch, project, compound_id, d, rng, staff, resident_members, tags, recorder_id) -> None:
    """Members' activities across the stages, on moved story dates."""
    households = list(db.session.scalars(select(Household).where(Household.compound_id == compound_id)
                                         .order_by(Household.id)))
    problems = list(db.session.scalars(select(ProblemReport).where(ProblemReport.project_id == project.id)
                                       .order_by(ProblemReport.id)))
    K, S = MemberActivityKind, Stage
    t = tags
    plan = [
        # (stage, kind, (month, day) range, count, summary, tags, with household, with problem)
        (S.WISH_SOLICITATION, K.VISIT, ((3, 9), (4, 2)), 8, "入户发放意愿征集表，讲解改造政策",
         ["党群连心"], True, False),
        (S.WISH_SOLICITATION, K.VOLUNTEER, ((3, 14), (3, 28)), 2, "周末在小区广场设意愿征集咨询点",
         ["居民自治", "党群连心"], False, False),
        (S.CONSULTATION, K.VISIT, ((4, 20), (5, 5)), 6, "入户动员参与改造内容表决，代老人填写纸质表决票",
         ["党群连心", "居民自治"], True, False),
        (S.CONSULTATION, K.MEDIATION, ((4, 22), (5, 6)), 2, "调解加装电梯高低层住户分歧",
         ["居民自治"], True, False),
        (S.PLANNING, K.MEDIATION, ((6, 3), (6, 5)), 1, "就1号楼北侧停车位异议陪同设计单位现场复核",
         ["党群连心", "民生实事"], True, False),
        (S.PLANNING, K.OTHER, ((6, 1), (6, 8)), 2, "协调驻区单位共建：燃气公司、通信运营商现场对接",
         ["共驻共建", "基层堡垒"], False, False),
        (S.CONSTRUCTION, K.SUPERVISION, ((6, 20), (10, 19)), 8, "巡查施工现场安全文明施工情况",
         ["民生实事", "基层堡垒"], False, True),
        (S.CONSTRUCTION, K.VISIT, ((7, 1), (10, 16)), 5, "入户回访施工影响，登记居民诉求",
         ["党群连心"], True, False),
        (S.CONSTRUCTION, K.VOLUNTEER, ((7, 10), (10, 18)), 4, "雨污分流开挖路段志愿引导老人出行",
         ["民生实事", "共驻共建"], False, False),
        (S.CONSTRUCTION, K.MEDIATION, ((8, 1), (10, 15)), 3, "调解施工占道和停车纠纷",
         ["居民自治", "党群连心"], True, True),
    ]
    for stage, kind, ((m1, d1), (m2, d2)), count, summary, tag_names, with_hh, with_problem in plan:
        start, end = d(2020, m1, d1), d(2020, m2, d2)
        for _ in range(count):
            member = rng.choice(resident_members if kind is K.SUPERVISION else staff)
            day = start + (end - start) * rng.random()
            hh = rng.choice(households) if with_hh else None
            problem = rng.choice(problems) if with_problem and problems and rng.random() < 0.6 else None
            db.session.add(MemberActivity(
                branch_id=branch.id, project_id=project.id, member_id=member.id, kind=kind, stage=stage,
                happened_on=day, summary=summary + (f"（{hh.label}）" if hh else ""),
                household_id=hh.id if hh else None, problem_id=problem.id if problem else None,
                recorded_by_id=recorder_id, tags=[t[n] for n in tag_names]))
