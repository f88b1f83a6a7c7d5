"""Demo plans (方案制订): 嵩岳小区's four firms, its nine candidate project items with budgets and funding,
and its approved plan with one answered objection; and the three other compounds between consultation
and planning (棉纺西路12号院 with candidates listed, 西站路6号院 with its ballot open since three days,
百花小区 with its plan under public notice and one objection not yet answered).

Called by renovation.demo.load_demo with the shared ``random.Random``; flushes only.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from renovation.accounts.models import User
from renovation.extensions import db
from renovation.org.demo import Names, Register, build_compound
from renovation.org.models import Community
from renovation.planning.models import (
    Contractor,
    ContractorKind,
    FundingKind,
    FundingSource,
    Objection,
    Plan,
    PlanStatus,
)
from renovation.projects.demo import at, new_project, transitions
from renovation.projects.models import Batch, CatalogueItem, ProgressStatus, Project, ProjectItem
from renovation.projects.rules import Stage
from renovation.voting.demo import Receipts, make_ballot
from renovation.voting.models import BallotStatus
from renovation.wishes.demo import OTHER_COMMENTS, OTHER_WANTED, wanted_items, wish_survey


def money(value) -> Decimal:
    """``value`` as yuan with two decimals."""
    return Decimal(value).quantize(Decimal("0.01"))


def works_period(start: date, end: date) -> str:
    """'工期2026年7月至2027年2月' (or '工期2026年6月至12月' within one year)."""
    tail = f"{end.month}月" if end.year == start.year else f"{end.year}年{end.month}月"
    return f"工期{start.year}年{start.month}月至{tail}"


def item(project: Project, cat: CatalogueItem | None, name: str, order: int, *, qty=None, unit=None, price=None,
         contractor: Contractor | None = None, start: date | None = None, end: date | None = None,
         percent: int = 0, pstatus: ProgressStatus = ProgressStatus.NOT_STARTED,
         funding: list[tuple[FundingKind, str | None]] = (), description: str | None = None) -> ProjectItem:
    """A project item; budget = quantity x unit price (yuan); a None funding amount takes the remainder."""
    budget = money(Decimal(qty) * Decimal(price)) if qty is not None and price is not None else None
    row = ProjectItem(project=project, catalogue_item=cat, name=name, description=description, sort_order=order,
                      quantity=Decimal(qty) if qty is not None else None, unit=unit,
                      unit_price=money(price) if price is not None else None, budget=budget,
                      contractor=contractor, planned_start=start, planned_end=end, progress_percent=percent,
                      progress_status=pstatus)
    given = sum((money(a) for _, a in funding if a is not None), Decimal("0"))
    row.funding_sources = [FundingSource(kind=k, amount=money(a) if a is not None else budget - given)
                           for k, a in funding]
    db.session.add(row)
    return row


def simple_items(project: Project, cat: dict[str, CatalogueItem], specs: list[tuple]) -> list[ProjectItem]:
    """Items of one of the other compounds from (catalogue code, name, quantity, unit, unit price in yuan),
    all paid by the central subsidy."""
    return [item(project, cat[code], name, i, qty=q, unit=u, price=pr, funding=[(FundingKind.CENTRAL_SUBSIDY, None)])
            for i, (code, name, q, u, pr) in enumerate(specs, start=1)]


def songyue_items(project: Project, cat: dict[str, CatalogueItem], names: Names,
                  d: Callable[[int, int, int], date]) -> tuple[dict[str, Contractor], dict[str, ProjectItem]]:
    """嵩岳小区's firms (design, builder, pipe layer, supervision) and nine candidate items, flushed.

    Returns the firms by key ('design', 'builder', 'piper', 'supervision') and the items by key ('gas',
    'facade', 'road', 'cables', 'sewer', 'cctv', 'light': the seven later adopted, 7,257,600.00 yuan;
    'parking', 'lift': the candidates without budget).
    """
    design = Contractor(project_id=project.id, name="郑州华筑建筑设计有限公司", kind=ContractorKind.DESIGN,
                        contact_name="韩文博", contact_phone=names.phone())
    builder = Contractor(project_id=project.id, name="郑州嵩程建设工程有限公司", kind=ContractorKind.CONSTRUCTION,
                         contact_name="贾永胜", contact_phone=names.phone())
    piper = Contractor(project_id=project.id, name="郑州豫通管道工程有限公司", kind=ContractorKind.CONSTRUCTION,
                       contact_name="侯建设", contact_phone=names.phone())
    supervisor_firm = Contractor(project_id=project.id, name="郑州正衡工程监理有限公司", kind=ContractorKind.SUPERVISION,
                                 contact_name="邵明远", contact_phone=names.phone())
    db.session.add_all([design, builder, piper, supervisor_firm])
    F = FundingKind
    gas = item(project, cat["B-GAS"], "天然气入户", 1, qty=1128, unit="户", price="2000", contractor=piper,
               start=d(2020, 6, 20), end=d(2020, 8, 31), percent=100, pstatus=ProgressStatus.ACCEPTED,
               funding=[(F.UTILITY_OPERATOR, "1350000"), (F.LOCAL_GOVERNMENT, "680400"), (F.RESIDENTS, None)],
               description="敷设庭院燃气管网，33栋楼1128户天然气入户并通气点火；居民每户出资200元。")
    facade = item(project, cat["ZZ-FACADE"], "楼体综合改造（外立面及节能）", 2, qty=41000, unit="m²", price="52",
                  contractor=builder, start=d(2020, 7, 1), end=d(2020, 11, 15), percent=65,
                  pstatus=ProgressStatus.IN_PROGRESS, funding=[(F.CENTRAL_SUBSIDY, "1300000"),
                                                               (F.LOCAL_GOVERNMENT, None)],
                  description="外墙保温、真石漆饰面，屋面防水，楼道粉刷及扶手更换。")
    road = item(project, cat["ZZ-ASPHALT"], "内部道路改造（沥青化）", 3, qty=12600, unit="m²", price="88",
                contractor=builder, start=d(2020, 9, 1), end=d(2020, 11, 30), percent=35,
                pstatus=ProgressStatus.IN_PROGRESS, funding=[(F.CENTRAL_SUBSIDY, "700000"),
                                                             (F.LOCAL_GOVERNMENT, None)],
                description="破损水泥路面铣刨，铺设沥青混凝土路面，重新施划停车位。")
    cables = item(project, cat["ZZ-CABLES"], "管线入地（架空线缆入地）", 4, qty=4800, unit="米", price="145",
                  contractor=piper, start=d(2020, 6, 25), end=d(2020, 9, 15), percent=100,
                  pstatus=ProgressStatus.COMPLETED,
                  funding=[(F.UTILITY_OPERATOR, "360000"), (F.CENTRAL_SUBSIDY, "200000"),
                           (F.LOCAL_GOVERNMENT, None)],
                  description="强电、通信、有线电视架空线缆统一入地敷设，拆除废弃线杆。")
    sewer = item(project, cat["ZZ-RAINSEWER"], "雨污分流", 5, qty=2600, unit="米", price="260", contractor=piper,
                 start=d(2020, 7, 10), end=d(2020, 10, 20), percent=80, pstatus=ProgressStatus.IN_PROGRESS,
                 funding=[(F.CENTRAL_SUBSIDY, "400000"), (F.LOCAL_GOVERNMENT, None)],
                 description="新建雨水管网，改造污水管网及化粪池，实现雨污分流。")
    cctv = item(project, cat["ZZ-SECURITY"], "视频监控", 6, qty=96, unit="个", price="1650", contractor=builder,
                start=d(2020, 10, 10), end=d(2020, 11, 30), percent=20, pstatus=ProgressStatus.PAUSED,
                funding=[(F.LOCAL_GOVERNMENT, None)],
                description="出入口、主干道及楼栋单元口高清监控，接入社区监控中心。")
    light = item(project, cat["I-LIGHT"], "夜间照明", 7, qty=180, unit="盏", price="1280", contractor=builder,
                 start=d(2020, 10, 20), end=d(2020, 12, 10), percent=0, pstatus=ProgressStatus.NOT_STARTED,
                 funding=[(F.CENTRAL_SUBSIDY, "150000"), (F.LOCAL_GOVERNMENT, None)],
                 description="主次干道LED路灯及楼栋单元门口照明。")
    parking = item(project, cat["I-PARKING"], "增设机械立体停车库", 8, qty=1, unit="座",
                   description="拟在小区北侧空地建设两层机械立体停车库（约120个车位），预估投资约260万元，"
                               "需使用车位的居民分摊部分费用。")
    lift = item(project, cat["I-LIFT"], "3号楼2单元加装电梯", 9, qty=1, unit="部",
                description="3号楼2单元（7层14户）申请加装电梯，预估费用约58万元，拟申请加装电梯财政补贴，"
                            "其余由本单元业主按楼层分摊，可提取住房公积金。")
    db.session.flush()
    firms = {"design": design, "builder": builder, "piper": piper, "supervision": supervisor_firm}
    items = {"gas": gas, "facade": facade, "road": road, "cables": cables, "sewer": sewer, "cctv": cctv,
             "light": light, "parking": parking, "lift": lift}
    return firms, items


def songyue_plan(project: Project, reg: Register, d: Callable[[int, int, int], date], squad: User) -> Plan:
    """嵩岳小区's approved plan (notice from 2020-06-01 for 7 days, approved 06-09 on story dates) with the
    objection of 1号楼1单元102 about the new parking spaces, answered by ``squad``."""
    plan = Plan(project=project, title="嵩岳小区老旧小区改造实施方案", status=PlanStatus.APPROVED,
                summary="改造内容7项：天然气入户、楼体综合改造、内部道路沥青化、管线入地、雨污分流、视频监控、"
                        f"夜间照明；总投资约725.76万元；{works_period(project.started_on, project.target_end_on)}。",
                notice_starts_on=d(2020, 6, 1), notice_days=7, approved_at=at(d(2020, 6, 9), 10),
                approved_by_id=squad.id)
    db.session.add(plan)
    objector = reg.dwelling(1, 1, "102")
    plan.objections = [Objection(
        household_id=objector.id, author_name=reg.owner_of[id(objector)].name,
        content="方案中1号楼北侧新划的停车位离我家窗户太近，担心噪音和尾气，请调整。",
        submitted_at=at(d(2020, 6, 3), 19, 20),
        answer="设计单位已现场复核，停车位整体北移3米，并增设绿篱隔离带，修改后图纸已在公示栏张贴。",
        answered_at=at(d(2020, 6, 5), 16), answered_by_id=squad.id)]
    return plan


def other_compounds(comm: dict[str, Community], batch: Batch, cat: dict[str, CatalogueItem], rng: random.Random,
                    names: Names, receipts: Receipts, users: dict[str, User], d: Callable[[int, int, int], date],
                    today: date, now: datetime) -> None:
    """The three other compounds between consultation and planning, each with its closed wish survey (story
    dates ``d``): 棉纺西路12号院 (candidates listed, no ballot yet), 西站路6号院 (ballot open since 3 days
    before ``now``, 11 days to go) and 百花小区 (items adopted, plan under notice since 3 days before
    ``today``, one objection of a day ago not yet answered)."""
    squad3 = users["squad3"]
    wanted = wanted_items(cat, OTHER_WANTED)
    comments = OTHER_COMMENTS

    # consultation, candidates listed, no ballot yet
    r = build_compound(comm["中原西路社区"], "棉纺西路12号院", "棉纺西路12号", 1990, "CCCA", rng, names)
    p = new_project(r, batch, Stage.CONSULTATION, squad3, at(d(2020, 7, 1)))
    wish_survey(p, r, rng, opened=at(d(2020, 7, 6)), closed=at(d(2020, 7, 31), 18), respond_p=0.92,
                consent_p=0.88, wanted=wanted, staff=[squad3], comments=comments)
    simple_items(p, cat, [("ZZ-FACADE", "楼体外立面改造", 6800, "m²", "55"), ("ZZ-RAINSEWER", "雨污分流", 520, "米", "270"),
                          ("ZZ-ASPHALT", "道路沥青化改造", 2600, "m²", "90"), ("I-PARKING", "停车位施划", 80, "个", "600")])
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(d(2020, 7, 1)), f"纳入{batch.name}改造计划"),
                    (Stage.WISH_SOLICITATION, Stage.CONSULTATION, at(d(2020, 8, 3)), "意愿征集同意率超过三分之二")],
                squad3)

    # consultation, ballot open since 3 days
    r = build_compound(comm["西站路社区"], "西站路6号院", "西站路6号", 1993, "CBCA", rng, names)
    p = new_project(r, batch, Stage.CONSULTATION, squad3, at(d(2020, 7, 1)))
    wish_survey(p, r, rng, opened=at(d(2020, 7, 6)), closed=at(d(2020, 7, 31), 18), respond_p=0.9,
                consent_p=0.86, wanted=wanted, staff=[squad3], comments=comments)
    its = simple_items(p, cat, [("ZZ-FACADE", "楼体外立面改造", 7600, "m²", "55"),
                                ("ZZ-CABLES", "架空线缆入地", 900, "米", "150"),
                                ("ZZ-SECURITY", "安防设施", 24, "个", "1650")])
    db.session.flush()
    make_ballot(p, r, rng, receipts, title="西站路6号院改造内容表决", items=[(i, 0.85) for i in its],
                opens=now - timedelta(days=3), closes=now + timedelta(days=11), status=BallotStatus.OPEN,
                participate_p=0.45, staff=[squad3], voted_until=now - timedelta(minutes=5))
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(d(2020, 7, 1)), f"纳入{batch.name}改造计划"),
                    (Stage.WISH_SOLICITATION, Stage.CONSULTATION, at(d(2020, 8, 3)), "意愿征集同意率超过三分之二")],
                squad3)

    # planning: items adopted, plan under public notice with one objection not yet answered
    r = build_compound(comm["百花社区"], "百花小区", "百花路17号", 1995, "CCCCCC", rng, names)
    p = new_project(r, batch, Stage.PLANNING, squad3, at(d(2020, 6, 20)))
    wish_survey(p, r, rng, opened=at(d(2020, 6, 22)), closed=at(d(2020, 7, 15), 18), respond_p=0.93,
                consent_p=0.9, wanted=wanted, staff=[squad3], comments=comments)
    its = simple_items(p, cat, [("ZZ-FACADE", "楼体外立面改造", 11800, "m²", "54"),
                                ("ZZ-RAINSEWER", "雨污分流", 760, "米", "265"),
                                ("ZZ-ASPHALT", "道路沥青化改造", 3900, "m²", "88"),
                                ("ZZ-GREEN", "绿地改造", 1500, "m²", "120")])
    db.session.flush()
    make_ballot(p, r, rng, receipts, title="百花小区改造内容表决", items=[(i, 0.9) for i in its],
                opens=at(d(2020, 7, 25)), closes=at(d(2020, 8, 8), 20), status=BallotStatus.CLOSED,
                participate_p=0.85, staff=[squad3])
    plan = Plan(project=p, title="百花小区老旧小区改造实施方案", status=PlanStatus.NOTICE,
                notice_starts_on=today - timedelta(days=3), notice_days=7,
                summary="改造内容4项：外立面、雨污分流、道路沥青化、绿地改造。")
    plan.objections = [Objection(household_id=r.households[5].id, author_name=r.owner_of[id(r.households[5])].name,
                                 content="绿地改造后希望保留原有的几棵老槐树。", submitted_at=now - timedelta(days=1))]
    db.session.add(plan)
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(d(2020, 6, 20)), f"纳入{batch.name}改造计划"),
                    (Stage.WISH_SOLICITATION, Stage.CONSULTATION, at(d(2020, 7, 17)), "意愿征集同意率超过三分之二"),
                    (Stage.CONSULTATION, Stage.PLANNING, at(d(2020, 8, 10)), "改造内容表决通过")], squad3)
