"""Demo records of post-handover management for 嵩岳小区 (story day 2020-10-21, works still going on):
the property company brought in on 1 October, repair requests since then (closed on time, closed late,
open and overdue, fresh), the handover checklist (gas network handed to the gas company with the signed
sheet, others planned), counted provisions of the partners' facilities, three community activities with
photos; and a closed satisfaction survey for 秦岭路3号院, the compound already in aftercare.

Called by renovation.demo.load_demo, which first (with the shared ``random.Random``) has
:func:`songyue_facilities` add the partners' facilities of 嵩岳小区 and :func:`other_compound` build
秦岭路3号院, and at the end, once every area has its records, :func:`load`; flushes only. Names of people
are invented.
"""

import io
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from renovation.accounts.models import User
from renovation.aftercare import services
from renovation.aftercare.models import (
    ActivityKind,
    ActivityPhoto,
    CommunityActivity,
    Facility,
    FacilityProvision,
    Handover,
    HandoverDocument,
    HandoverStatus,
    Partner,
    PropertyContract,
    RepairRequest,
    RepairStatus,
    SatisfactionMode,
    SatisfactionResponse,
    SatisfactionSurvey,
)
from renovation.construction.models import Acceptance
from renovation.core.db import utcnow
from renovation.core.uploads import save_image, set_owner
from renovation.extensions import db
from renovation.org.demo import Names, build_compound
from renovation.org.models import Community, Compound, Household
from renovation.planning.demo import simple_items
from renovation.planning.models import Contractor, ContractorKind, Plan, PlanStatus
from renovation.projects.demo import at, new_project, transitions
from renovation.projects.models import Batch, CatalogueItem, ProgressStatus, Project
from renovation.projects.rules import Stage
from renovation.voting.demo import Receipts, make_ballot
from renovation.voting.models import BallotStatus
from renovation.wishes.demo import OTHER_COMMENTS, OTHER_WANTED, wanted_items, wish_survey

SEED = 20201021
PROPERTY_COMPANY = "郑州嵩宇物业服务有限公司"


def _picture(variant: int, caption_colour: tuple[int, int, int]) -> bytes:
    """A small synthetic photo (JPEG 640x420): a square with people (dots) under a banner."""
    from PIL import Image, ImageDraw

    rng = random.Random(variant)
    img = Image.new("RGB", (640, 420), (170, 205, 230))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 260, 640, 420], fill=(120, 150, 110))
    draw.rectangle([120, 40, 520, 110], fill=caption_colour)
    for _ in range(40):
        x, y = rng.randrange(20, 620), rng.randrange(250, 400)
        draw.ellipse([x, y, x + 14, y + 14], fill=(60 + rng.randrange(150), 60, 60))
        draw.rectangle([x + 2, y + 14, x + 12, y + 40], fill=(40, 40, 90 + rng.randrange(120)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _sheet() -> bytes:
    """A synthetic photo of a signed handover sheet (white page, ruled lines, two signatures)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), (250, 250, 245))
    draw = ImageDraw.Draw(img)
    draw.rectangle([60, 50, 540, 90], outline=(40, 40, 40), width=2)
    for y in range(130, 620, 40):
        draw.line([60, y, 540, y], fill=(150, 150, 150), width=1)
    draw.line([90, 700, 250, 680], fill=(20, 20, 120), width=3)
    draw.line([350, 700, 510, 690], fill=(20, 20, 120), width=3)
    draw.ellipse([400, 640, 520, 760], outline=(200, 30, 30), width=4)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def load(ctx) -> None:
    """Add the aftercare demo records for ``ctx.project`` (嵩岳小区) and 秦岭路3号院 (flush only)."""
    rng = random.Random(SEED)
    project, d, users = ctx.project, ctx.d, ctx.users
    squad, squad2 = users["squad"], users["squad2"]
    folder = current_app.config["UPLOAD_FOLDER"]
    _facility_figures(ctx.compound)

    # property management, brought in on 1 October
    db.session.add(PropertyContract(
        project_id=project.id, company=PROPERTY_COMPANY, contact_phone="0371-6789 2020",
        starts_on=d(2020, 10, 1), ends_on=d(2023, 9, 30), fee_per_m2=Decimal("0.60"),
        scope="公共区域保洁、垃圾清运\n秩序维护与门岗（24小时）\n绿化养护\n共用设施设备日常维修（报修）\n"
              "停车管理\n小区内新建设施的日常管护", created_at=at(d(2020, 9, 28), 10)))

    # the handover checklist
    gas = Handover(project_id=project.id, asset="庭院燃气管网及入户设施（1128户）", receiver="郑州中原燃气有限公司",
                   planned_on=d(2020, 9, 5), status=HandoverStatus.HANDED, handed_on=d(2020, 9, 5),
                   giver_signatory="孙志远（桐柏路街道城建办）", receiver_signatory="邢国栋（燃气公司管网所）",
                   note="燃气公司验收合格后移交，此后由燃气公司负责运行维护和安全检查。", created_at=at(d(2020, 8, 20)))
    cables = Handover(project_id=project.id, asset="入地通信、有线电视管线", receiver="各通信运营商（联合接收）",
                      planned_on=d(2020, 9, 18), status=HandoverStatus.HANDED, handed_on=d(2020, 9, 18),
                      giver_signatory="孙志远（桐柏路街道城建办）", receiver_signatory="乔立新（运营商联合代表）",
                      created_at=at(d(2020, 9, 10)))
    planned = [
        Handover(project_id=project.id, asset="雨水、污水管网及化粪池", receiver="中原区市政排水管理所",
                 planned_on=d(2020, 11, 10), created_at=at(d(2020, 10, 9))),
        Handover(project_id=project.id, asset="二次供水设施及室外给水管网", receiver="郑州市供水公司",
                 planned_on=d(2020, 12, 20), created_at=at(d(2020, 10, 9))),
        Handover(project_id=project.id, asset="视频监控及夜间照明设施", receiver=PROPERTY_COMPANY,
                 planned_on=d(2020, 12, 25), note="竣工验收后移交物业日常管护。", created_at=at(d(2020, 10, 9))),
    ]
    db.session.add_all([gas, cables, *planned])
    db.session.flush()
    scan = save_image(_sheet(), "燃气管网移交确认书.jpg", folder, project_id=project.id, user=squad,
                      caption="燃气管网移交确认书")
    db.session.add(HandoverDocument(handover_id=gas.id, title="燃气管网移交确认书（双方签字）", upload_id=scan.id))
    set_owner(scan.id, "handover", gas.id)

    _repairs(project, ctx.compound, users, d, rng)
    _activities(project, d, squad2, folder)
    _qinling_survey(rng)
    db.session.flush()


def _facility_figures(compound: Compound) -> None:
    """Counted provisions and sizes of the partners' facilities (domain.md's figures)."""
    by_name = {f.name: f for f in db.session.scalars(select(Facility).where(Facility.compound_id == compound.id))}
    extras = {
        "嵩岳小区图书服务点": ([("图书", 3000, "册"), ("绘本", 300, "册"), ("阅览座位", 40, "个")], None),
        "智慧健身器材区": ([("智能健身器材", 12, "件")], None),
        "嵩岳小区养老服务中心": ([("日间照料床位", 20, "张"), ("助餐座位", 60, "个")], None),
        "标准室外篮球场": ([("篮球架", 2, "副")], "28米×15米"),
    }
    for name, (rows, size) in extras.items():
        facility = by_name.get(name)
        if facility is None:
            continue
        facility.provisions = [FacilityProvision(item=i, quantity=q, unit=u) for i, q, u in rows]
        facility.size_note = size or facility.size_note


def _repairs(project: Project, compound: Compound, users: dict, d, rng: random.Random) -> None:
    """Repair requests since the property company came in: the demo resident's two, and others'."""
    cats = {c.name: c for c in services.ensure_repair_categories()}
    resident = users["resident"]
    others = list(db.session.scalars(select(Household).where(Household.compound_id == compound.id)
                                     .order_by(Household.id)))
    picks = rng.sample(others, 6)
    now = utcnow().replace(microsecond=0)

    def req(hh, reporter, cat, location, desc, created, accepted=None, done=None, result=None):
        c = cats[cat]
        status = RepairStatus.DONE if done else (RepairStatus.IN_PROGRESS if accepted else RepairStatus.SUBMITTED)
        db.session.add(RepairRequest(
            project_id=project.id, household_id=hh.id, reporter_id=reporter.id if reporter else None,
            category_id=c.id, target_hours=c.target_hours, location=location, description=desc, status=status,
            created_at=created, accepted_at=accepted, done_at=done, result=result,
            handler_id=users["squad2"].id if accepted or done else None))

    home = db.session.get(Household, resident.household_id)
    # the demo resident: one closed on time, one in progress within its 72 h
    req(home, resident, "水电", "3号楼2单元502 厨房", "厨房水龙头关不严，一直滴水。", at(d(2020, 10, 8), 8, 40),
        at(d(2020, 10, 8), 9, 30), at(d(2020, 10, 8), 15, 10), "更换水龙头阀芯，已不再滴水。")
    req(home, resident, "公共设施", "3号楼2单元 4楼楼道", "楼道声控灯不亮。", now - timedelta(hours=20),
        now - timedelta(hours=18))
    req(picks[0], None, "下水管道", f"{picks[0].building.number}{picks[0].entrance.number} 一楼", "单元门口下水道反味、堵塞。",
        at(d(2020, 10, 3), 10), at(d(2020, 10, 3), 11), at(d(2020, 10, 4), 16), "疏通主管，清掏检查井。")
    req(picks[1], None, "公共设施", f"{picks[1].building.number}北侧", "健身器材旁座椅松动。",
        at(d(2020, 10, 6), 9), at(d(2020, 10, 7), 9), at(d(2020, 10, 11), 10), "重新固定座椅螺栓。")  # 97 h: late
    req(picks[2], None, "房屋渗漏", f"{picks[2].label}", "顶层卧室墙角雨后渗水。",
        at(d(2020, 10, 12), 14), at(d(2020, 10, 12), 16), at(d(2020, 10, 14), 17), "屋面防水局部修补，已通知施工单位质保复查。")
    req(picks[3], None, "燃气", f"{picks[3].label} 厨房", "燃气表箱门损坏。",
        at(d(2020, 10, 15), 9), at(d(2020, 10, 15), 9, 30), at(d(2020, 10, 15), 14), "联系燃气公司更换表箱门。")
    req(picks[4], None, "绿化保洁", "东游园", "园内垃圾桶满溢未清运。", at(d(2020, 10, 18), 8))  # open, overdue (48 h)
    req(picks[5], None, "水电", f"{picks[5].label}", "单元门禁断电。", now - timedelta(hours=3))  # fresh


def _activities(project: Project, d, user, folder: str) -> None:
    """Three community activities with photos (cultural, sports, garbage sorting)."""
    specs = [
        (ActivityKind.GARBAGE_SORTING, "垃圾分类进楼栋宣传", d(2020, 9, 19), "西十里铺北社区、嵩宇物业", 126,
         "党员志愿者和物业人员在各单元门口讲解四分类，发放分类垃圾袋和宣传册。", (46, 139, 87)),
        (ActivityKind.CULTURE, "喜迎中秋国庆文艺汇演", d(2020, 9, 29), "西十里铺北社区党委", 310,
         "居民合唱队、广场舞队和小区少儿演出，图书服务点现场办理借阅证。", (200, 40, 40)),
        (ActivityKind.SPORTS, "邻里篮球友谊赛", d(2020, 10, 17), "嵩岳小区居民篮球队、河南智体科技有限公司", 64,
         "新篮球场首场比赛，智慧健身器材现场体验。", (30, 90, 180)),
    ]
    for i, (kind, title, day, organiser, n, desc, colour) in enumerate(specs):
        activity = CommunityActivity(project_id=project.id, kind=kind, title=title, held_on=day, organiser=organiser,
                                     participants=n, description=desc, created_by_id=user.id)
        db.session.add(activity)
        db.session.flush()
        for j in range(2):
            up = save_image(_picture(i * 10 + j, colour), f"{title}{j + 1}.jpg", folder, project_id=project.id,
                            user=user, caption=f"活动照片：{title}")
            activity.photos.append(ActivityPhoto(upload_id=up.id))
            set_owner(up.id, "activity", activity.id)


def _qinling_survey(rng: random.Random) -> None:
    """A closed satisfaction survey of 秦岭路3号院 (in aftercare): about 80 % of households answered."""
    project = db.session.scalar(select(Project).join(Compound, Project.compound_id == Compound.id)
                                .where(Compound.name == "秦岭路3号院"))
    if project is None:
        return
    survey = SatisfactionSurvey(project_id=project.id, title="秦岭路3号院改造满意度测评", mode=SatisfactionMode.GATE,
                                min_mean=Decimal("4.00"), min_response_rate=Decimal("0.600"), is_open=False,
                                opened_at=utcnow() - timedelta(days=8), closed_at=utcnow() - timedelta(days=1))
    db.session.add(survey)
    db.session.flush()
    comments = ["路面平整了，下雨不再积水。", "外墙保温后冬天暖和多了。", "施工期间噪音有点大。",
                "希望物业把停车管起来。", "党群服务室常开门，挺好。", "楼道灯希望换成声控的。"]
    households = db.session.scalars(select(Household).where(Household.compound_id == project.compound_id)
                                    .order_by(Household.id)).all()
    for hh in households:
        if rng.random() > 0.8:
            continue

        def score() -> int:
            return rng.choices([5, 4, 3, 2, 1], weights=[50, 32, 12, 4, 2])[0]

        db.session.add(SatisfactionResponse(
            survey_id=survey.id, household_id=hh.id, content_score=score(), process_score=score(),
            management_score=score(), comment=rng.choice(comments) if rng.random() < 0.15 else None,
            created_at=utcnow() - timedelta(days=rng.randrange(2, 8), hours=rng.randrange(24))))


def songyue_facilities(compound: Compound) -> None:
    """Partners and the facilities they brought to 嵩岳小区 (domain.md, the example compound)."""
    care = Partner(name="郑州颐康养老服务有限公司", kind="养老服务企业")
    library = Partner(name="中原区图书馆", kind="公共图书馆")
    health = Partner(name="桐柏路街道社区卫生服务中心", kind="医疗卫生机构")
    sport = Partner(name="河南智体科技有限公司", kind="体育科技企业")
    db.session.add_all([
        Facility(compound_id=compound.id, partner=care, name="嵩岳小区养老服务中心", kind="养老服务",
                 area=Decimal("460.00"), provision="日间照料、老年助餐、康复理疗、文化娱乐", opening_hours="每天 8:00-18:00"),
        Facility(compound_id=compound.id, partner=library, name="嵩岳小区图书服务点", kind="图书阅览",
                 area=Decimal("200.00"), provision="区图书馆配送图书3000册，其中绘本300余册，与区图书馆通借通还",
                 opening_hours="周二至周日 9:00-20:00"),
        Facility(compound_id=compound.id, partner=health, name="西十里铺北社区卫生服务站（升级）", kind="卫生服务",
                 area=Decimal("180.00"), provision="全科诊室、慢病随访、家庭医生签约", opening_hours="每天 8:00-17:30"),
        Facility(compound_id=compound.id, name="嵩岳小区东游园", kind="公园", area=Decimal("2600.00"),
                 provision="休闲座椅、凉亭、健身步道"),
        Facility(compound_id=compound.id, name="嵩岳小区西游园", kind="公园", area=Decimal("1900.00"),
                 provision="儿童游乐设施、休闲廊架"),
        Facility(compound_id=compound.id, partner=sport, name="智慧健身器材区", kind="体育健身",
                 provision="智能健身器材12件，可扫码记录运动数据"),
        Facility(compound_id=compound.id, name="标准室外篮球场", kind="体育场地", area=Decimal("608.00"),
                 provision="标准尺寸室外篮球场（28米×15米）及夜间照明", opening_hours="每天 6:00-22:00"),
    ])


def other_compound(comm: dict[str, Community], batch: Batch, cat: dict[str, CatalogueItem], rng: random.Random,
                   names: Names, receipts: Receipts, users: dict[str, User],
                   d: Callable[[int, int, int], date]) -> None:
    """秦岭路3号院, the other compound already in aftercare (story dates ``d``): survey, ballot, approved
    plan, four items all done and accepted (2020-10-09), and its 党群服务室."""
    squad3 = users["squad3"]
    r = build_compound(comm["秦岭路社区"], "秦岭路3号院", "秦岭路3号", 1991, "CCCCCCCC", rng, names)
    p = new_project(r, batch, Stage.AFTERCARE, squad3, at(d(2020, 3, 10)))
    p.started_on, p.target_end_on = d(2020, 6, 1), d(2020, 9, 30)
    wish_survey(p, r, rng, opened=at(d(2020, 3, 12)), closed=at(d(2020, 4, 5), 18), respond_p=0.96,
                consent_p=0.93, wanted=wanted_items(cat, OTHER_WANTED), staff=[squad3], comments=OTHER_COMMENTS)
    builder = Contractor(project_id=p.id, name="郑州秦峰建筑工程有限公司", kind=ContractorKind.CONSTRUCTION,
                         contact_name=names.person(), contact_phone=names.phone())
    db.session.add(builder)
    its = simple_items(p, cat, [("ZZ-FACADE", "楼体外立面改造", 15600, "m²", "52"),
                                ("ZZ-CABLES", "架空线缆入地", 1600, "米", "145"),
                                ("ZZ-ASPHALT", "道路沥青化改造", 5200, "m²", "86"),
                                ("ZZ-PARTY", "党群服务室", 1, "处", "180000")])
    for i in its:
        i.contractor = builder
        i.progress_percent, i.progress_status = 100, ProgressStatus.ACCEPTED
        i.planned_start, i.planned_end = d(2020, 6, 1), d(2020, 9, 30)
    db.session.flush()
    make_ballot(p, r, rng, receipts, title="秦岭路3号院改造内容表决", items=[(i, 0.92) for i in its],
                opens=at(d(2020, 4, 15)), closes=at(d(2020, 4, 30), 20), status=BallotStatus.CLOSED,
                participate_p=0.87, staff=[squad3])
    db.session.add_all([
        Plan(project=p, title="秦岭路3号院老旧小区改造实施方案", status=PlanStatus.APPROVED,
             notice_starts_on=d(2020, 5, 10), notice_days=7, approved_at=at(d(2020, 5, 20)),
             approved_by_id=squad3.id, summary="改造内容4项，总投资约236万元。"),
        Acceptance(project_id=p.id, accepted_on=d(2020, 10, 9), passed=True, recorded_by_id=squad3.id,
                   recorded_at=at(d(2020, 10, 9), 16),
                   participants="建设单位：秦岭路街道办事处\n施工单位：郑州秦峰建筑工程有限公司\n"
                                "设计单位：郑州华筑建筑设计有限公司\n监理单位：郑州正衡工程监理有限公司\n"
                                "社区：秦岭路社区\n居民代表：3人",
                   note="各项改造内容符合设计要求，验收合格。"),
        Facility(compound_id=r.compound.id, name="秦岭路3号院党群服务室", kind="党群服务", area=Decimal("85.00"),
                 provision="议事、阅览、居民活动"),
    ])
    transitions(p, [(None, Stage.WISH_SOLICITATION, at(d(2020, 3, 10)), f"纳入郑州市{batch.name}老旧小区改造计划"),
                    (Stage.WISH_SOLICITATION, Stage.CONSULTATION, at(d(2020, 4, 8)), "意愿征集同意率超过三分之二"),
                    (Stage.CONSULTATION, Stage.PLANNING, at(d(2020, 5, 4)), "改造内容表决通过"),
                    (Stage.PLANNING, Stage.CONSTRUCTION, at(d(2020, 5, 25)), "方案已批准"),
                    (Stage.CONSTRUCTION, Stage.AFTERCARE, at(d(2020, 10, 12)), "竣工验收合格，进入长效管理")], squad3)
