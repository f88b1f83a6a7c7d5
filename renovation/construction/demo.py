"""Demo records of construction (过程监督) for 嵩岳小区, called by renovation.demo.load_demo; flush only.

:func:`songyue_works`, with the shared ``random.Random``: the milestones, progress updates of the items
(the last of each with a generated site photo) and the problem reports with their rectification steps
(open and closed ones). :func:`load`, once every area has added its records: the inspection checklists,
daily site logs of the last two weeks (two with photos), two inspections (燃气管道 all passed; 外墙保温
with one failed line, which opened its problem report) and the residents' notifications of the steps
already taken on their problems."""

import io
import random
from collections.abc import Callable
from datetime import date, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from renovation.accounts.models import User
from renovation.construction import services
from renovation.construction.checklists import seed_checklists
from renovation.construction.models import (
    ChecklistTemplate,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
    SiteLog,
    SiteLogPhoto,
)
from renovation.core.uploads import save_image, set_owner
from renovation.extensions import db
from renovation.org.demo import Register
from renovation.planning.models import Contractor, Milestone
from renovation.projects.demo import at
from renovation.projects.models import ProgressStatus, Project, ProjectItem

WORK = [
    ("7号楼、8号楼燃气立管安装，完成入户支管24户", "镀锌钢管 DN25 180米，燃气表 24块"),
    ("18号楼西山墙保温板粘贴，三层至六层", "岩棉保温板 260㎡，锚栓 1,200个"),
    ("中心路段铣刨旧混凝土路面 120米", "沥青混合料待进场"),
    ("12号楼至15号楼雨污分流管道开挖、铺管", "HDPE 双壁波纹管 DN300 96米，检查井 4座"),
    ("架空线缆入地：弱电管井施工，3号楼至6号楼", "PVC 管 DN110 300米"),
    ("视频监控立杆基础浇筑 6处", "C25 混凝土 3方"),
    ("楼道照明线路敷设，9号楼至11号楼", "阻燃线 BV2.5 900米，声控灯 60套"),
]
WEATHER = ["晴 14~23℃", "多云 13~21℃", "阴 12~19℃", "晴 11~22℃", "小雨 12~16℃"]
SAFETY = ["高处作业人员系安全带，脚手架验收合格", "开挖沟槽设围挡和警示灯，夜间照明", "动火作业办理动火证，配灭火器",
          "燃气管道试压期间设警戒区", "材料堆放不占用消防通道"]


def _photo(rng: random.Random, label: int) -> bytes:
    """A generated 'site photo': sky, a building and scaffolding lines, JPEG."""
    img = Image.new("RGB", (640, 480), (150 + rng.randrange(60), 190, 230))
    draw = ImageDraw.Draw(img)
    draw.rectangle((80, 140, 560, 480), fill=(200 - label * 10, 180, 160))
    for x in range(90, 560, 40):
        draw.line((x, 130, x, 480), fill=(90, 90, 90), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def load(ctx) -> None:
    """Add the construction demo records to ``ctx.project`` (flush only)."""
    rng = random.Random(4)
    project, users, d = ctx.project, ctx.users, ctx.d
    squad, supervisor = users["squad"], users["supervisor"]
    seed_checklists()
    folder = current_app.config["UPLOAD_FOLDER"]
    story_today = d(2020, 10, 21)

    # site logs: every day from 2020-10-08 to 10-20 but Sundays
    day, end, n = d(2020, 10, 8), d(2020, 10, 20), 0
    logs: list[SiteLog] = []
    while day <= end:
        if day.weekday() != 6:
            work, materials = WORK[n % len(WORK)]
            log = SiteLog(project_id=project.id, log_date=day, weather=rng.choice(WEATHER),
                          workforce=rng.randrange(28, 56), work_done=work, materials=materials,
                          safety_notes=rng.choice(SAFETY), author_id=squad.id, created_at=at(day, 18, 30))
            db.session.add(log)
            logs.append(log)
            n += 1
        day += timedelta(days=1)
    db.session.flush()
    for j, log in enumerate(logs[-2:]):   # two photos on each of the last two logs
        for k in range(2):
            upload = save_image(_photo(rng, j * 2 + k), f"施工日志{log.log_date:%m%d}-{k + 1}.jpg", folder,
                                project_id=project.id, user=squad, caption=f"{log.log_date:%Y-%m-%d}施工现场")
            db.session.add(SiteLogPhoto(site_log_id=log.id, upload_id=upload.id))
            set_owner(upload.id, "site_log", log.id)

    # inspections: gas pipes all passed; facade insulation with one failed line -> its problem report
    templates = {t.code: t for t in db.session.scalars(select(ChecklistTemplate))}
    gas_item = next((i for i in project.items if i.name == "天然气入户"), None)
    facade_item = next((i for i in project.items if i.name.startswith("楼体综合改造")), None)
    gas = templates["GAS"]
    services.record_inspection(project, supervisor, gas, d(2020, 10, 13), [(ln.id, True, None) for ln in gas.lines],
                               project_item_id=gas_item.id if gas_item else None, location="7号楼1单元",
                               note="强度和严密性试验记录齐全。", today=story_today)
    ins = templates["INSULATION"]
    results = [(ln.id, "锚栓" not in ln.text, None if "锚栓" not in ln.text else "西山墙四层锚栓每平方米仅3个，设计要求不少于4个")
               for ln in ins.lines]
    inspection = services.record_inspection(project, supervisor, ins, d(2020, 10, 19), results,
                                            project_item_id=facade_item.id if facade_item else None,
                                            location="18号楼西山墙", today=story_today)
    for problem in db.session.scalars(select(ProblemReport).where(ProblemReport.inspection_id == inspection.id)):
        problem.created_at = at(d(2020, 10, 19), 10, 20)
        for step in problem.steps:
            step.at = problem.created_at

    # the reporters' notifications of the steps already taken (read when older than five days)
    for problem in db.session.scalars(select(ProblemReport).where(ProblemReport.project_id == project.id)):
        for step in problem.steps:
            if step.user is None:
                continue
            note = services.tell_reporter(problem, step.user, step.to_status)
            if note is not None:
                note.created_at = step.at
                if step.at < at(story_today - timedelta(days=5), 0):
                    note.read_at = step.at
    db.session.flush()


def songyue_works(project: Project, reg: Register, rng: random.Random, d: Callable[[int, int, int], date],
                  users: dict[str, User], firms: dict[str, Contractor], items: dict[str, ProjectItem]) -> None:
    """嵩岳小区's works as they stand on the story day: seven milestones (three done), progress updates of
    six items with photos, and five problem reports. ``firms`` and ``items`` by key as made by
    renovation/planning/demo.py; ``d`` moves story dates."""
    db.session.add_all([
        Milestone(project_id=project.id, title="进场开工", due_on=d(2020, 6, 15), done_on=d(2020, 6, 15)),
        Milestone(project_id=project.id, title="天然气入户通气", due_on=d(2020, 8, 31), done_on=d(2020, 8, 28)),
        Milestone(project_id=project.id, title="架空线缆入地完成", due_on=d(2020, 9, 15), done_on=d(2020, 9, 12)),
        Milestone(project_id=project.id, title="雨污分流管网完工", due_on=d(2020, 10, 20)),
        Milestone(project_id=project.id, title="楼体外立面改造完成", due_on=d(2020, 11, 15)),
        Milestone(project_id=project.id, title="道路沥青铺设完成", due_on=d(2020, 11, 30)),
        Milestone(project_id=project.id, title="竣工验收", due_on=d(2020, 12, 20)),
    ])
    gas, facade, road, cables, sewer, cctv = (items[k] for k in ("gas", "facade", "road", "cables", "sewer", "cctv"))
    _progress(project, rng, [users["squad"], users["squad2"]], {
        gas: [(d(2020, 6, 22), 5, "庭院燃气主管道开挖敷设"), (d(2020, 7, 15), 40, "1-12号楼立管安装完成"),
              (d(2020, 8, 10), 80, "13-33号楼立管及表具安装"),
              (d(2020, 8, 28), 100, "全部1128户通气点火", ProgressStatus.COMPLETED),
              (d(2020, 9, 5), 100, "燃气公司验收合格", ProgressStatus.ACCEPTED)],
        facade: [(d(2020, 7, 3), 5, "搭设脚手架，1-8号楼外墙基层处理"), (d(2020, 8, 14), 30, "1-12号楼保温层施工"),
                 (d(2020, 9, 18), 50, "13-20号楼保温层施工，1-8号楼真石漆饰面"),
                 (d(2020, 10, 16), 65, "21-28号楼保温层施工")],
        road: [(d(2020, 9, 3), 10, "主干道旧路面铣刨"), (d(2020, 10, 12), 35, "东区道路沥青铺设完成")],
        cables: [(d(2020, 6, 28), 10, "强电管沟开挖"), (d(2020, 8, 5), 60, "通信、有线电视线缆穿管"),
                 (d(2020, 9, 12), 100, "全部线缆入地，废弃线杆拆除", ProgressStatus.COMPLETED)],
        sewer: [(d(2020, 7, 12), 10, "雨水管道开挖"), (d(2020, 8, 20), 45, "雨水主管网完成"),
                (d(2020, 10, 9), 80, "污水管网及化粪池改造")],
        cctv: [(d(2020, 10, 12), 20, "立杆基础施工"),
               (d(2020, 10, 19), 20, "等待弱电管道完工后穿线，暂停", ProgressStatus.PAUSED)],
    })
    _problems(project, reg, d, users, {"builder": firms["builder"], "piper": firms["piper"]},
              {"gas": gas, "facade": facade, "sewer": sewer})


def _progress(project: Project, rng: random.Random, staff: list[User], series: dict) -> None:
    """Progress updates per item; the last update of each item carries a generated site photo."""
    folder = current_app.config["UPLOAD_FOLDER"]
    rows = []
    for n, (item, steps) in enumerate(series.items()):
        for i, step in enumerate(steps):
            day, percent, note = step[:3]
            status = step[3] if len(step) > 3 else ProgressStatus.IN_PROGRESS
            author = rng.choice(staff)
            photo = None
            if i == len(steps) - 1:
                photo = save_image(_site_photo(n), f"{item.name}-现场.jpg", folder, project_id=project.id,
                                   user=author, caption=f"{item.name}：{note}")
            rows.append(ProgressUpdate(project_item=item, percent=percent, status=status, note=note,
                                       photo_id=photo.id if photo else None, author_id=author.id,
                                       created_at=at(day, 17, rng.randrange(60))))
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        set_owner(row.photo_id, "progress", row.id)


def _site_photo(variant: int) -> bytes:
    """A small synthetic 'site photo' (JPEG, 640x420): sky, a six-storey block with windows, works."""
    rng = random.Random(variant)
    img = Image.new("RGB", (640, 420), (150, 190, 225))
    draw = ImageDraw.Draw(img)
    for y in range(0, 260, 4):
        draw.rectangle([0, y, 640, y + 4], fill=(150 + y // 8, 190 + y // 20, 230))
    draw.rectangle([0, 300, 640, 420], fill=(90 + rng.randrange(40), 90, 85))
    wall = [(212, 190, 160), (225, 215, 200), (200, 170, 150), (235, 225, 210)][variant % 4]
    x0 = 60 + rng.randrange(80)
    draw.rectangle([x0, 80, x0 + 420, 310], fill=wall, outline=(120, 110, 100), width=3)
    for floor in range(6):
        for col in range(8):
            x, y = x0 + 20 + col * 50, 95 + floor * 35
            draw.rectangle([x, y, x + 28, y + 20], fill=(70, 95, 120), outline=(240, 240, 240))
    if variant % 3 == 0:  # scaffolding
        for x in range(x0 - 10, x0 + 430, 30):
            draw.line([x, 70, x, 310], fill=(60, 60, 60), width=2)
        for y in range(80, 310, 35):
            draw.line([x0 - 10, y, x0 + 430, y], fill=(60, 60, 60), width=2)
    if variant % 3 == 1:  # trench with yellow pipe
        draw.rectangle([0, 340, 640, 372], fill=(70, 55, 45))
        draw.rectangle([0, 350, 640, 362], fill=(235, 190, 40))
    if variant % 3 == 2:  # fresh asphalt and a lamp post
        draw.rectangle([0, 320, 640, 420], fill=(45, 45, 50))
        draw.line([320, 370, 640, 370], fill=(240, 240, 240), width=4)
        draw.rectangle([560, 150, 566, 320], fill=(80, 80, 80))
        draw.ellipse([548, 138, 580, 160], fill=(250, 240, 180))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _problems(project: Project, reg: Register, d: Callable[[int, int, int], date], users: dict, firms: dict,
              items: dict) -> None:
    """Problem reports of the works with their rectification steps (open and closed ones); ``d`` gives
    the moved story dates."""
    S = ProblemStatus
    squad, sup, res = users["squad"], users["supervisor"], users["resident"]

    def problem(title, desc, b, e, item, reporter, firm, created, deadline, steps):
        p = ProblemReport(project=project, title=title, description=desc,
                          building=reg.buildings[b - 1] if b else None,
                          entrance=reg.entrances[(b, e)] if b and e else None,
                          project_item_id=item.id if item else None, reporter=reporter, contractor=firm,
                          deadline=deadline, created_at=created, status=steps[-1][0] if steps else S.REPORTED)
        p.steps = [Rectification(to_status=st, note=note, user=u, at=when) for st, note, u, when in steps]
        if p.status is S.VERIFIED:
            p.closed_at = steps[-1][3]
        db.session.add(p)

    problem("5号楼2单元燃气表箱未固定", "楼道内新装燃气表箱仅用一颗螺丝固定，有晃动。", 5, 2, items["gas"], sup,
            firms["piper"], at(d(2020, 8, 12), 10), d(2020, 8, 20), [
                (S.ASSIGNED, f"已交办施工单位，限{d(2020, 8, 20).month}月{d(2020, 8, 20).day}日前整改。", squad, at(d(2020, 8, 12), 15)),
                (S.RECTIFIED, "施工单位已按规范重新固定表箱。", squad, at(d(2020, 8, 17), 11)),
                (S.VERIFIED, "监督员现场核验，已整改到位。", sup, at(d(2020, 8, 18), 9, 30))])
    problem("12号楼门前检查井周边积水", "雨污分流检查井比路面高，雨后门前积水，老人出行不便。", 12, 1, items["sewer"], res,
            firms["piper"], at(d(2020, 10, 8), 19), d(2020, 10, 15), [
                (S.ASSIGNED, "已交办施工单位调整井盖标高。", squad, at(d(2020, 10, 9), 9)),
                (S.RECTIFIED, "井盖标高已调整，周边重新找坡。", squad, at(d(2020, 10, 14), 16))])
    problem("18号楼西侧外墙保温板粘贴不牢", "西山墙三层以上部分保温板空鼓，按压有松动。", 18, None, items["facade"], sup,
            firms["builder"], at(d(2020, 10, 16), 10), d(2020, 10, 25), [
                (S.ASSIGNED, "已交办施工单位，监理单位旁站督促返工。", squad, at(d(2020, 10, 16), 14))])
    problem("夜间施工噪音扰民", "22点以后仍有切割作业，影响休息。", 9, None, None, res, None,
            at(d(2020, 10, 20), 22, 40), None, [])
    problem("施工材料占用消防通道", "16号楼北侧消防通道堆放脚手架钢管。", 16, None, items["facade"], sup, firms["builder"],
            at(d(2020, 9, 22), 9), d(2020, 9, 24), [
                (S.ASSIGNED, "已交办施工单位当日清理。", squad, at(d(2020, 9, 22), 10)),
                (S.RECTIFIED, "材料已清运。", squad, at(d(2020, 9, 23), 17)),
                (S.REOPENED, "复查发现通道口仍有材料堆放，重新打开。", sup, at(d(2020, 9, 25), 9))])
