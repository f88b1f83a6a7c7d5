"""Demo records of construction oversight for 嵩岳小区 (called by renovation.demo.load_demo):
the inspection checklists, daily site logs of the last two weeks (two with photos), two inspections
(燃气管道 all passed; 外墙保温 with one failed line, which opened its problem report) and the residents'
notifications of the steps already taken on their problems."""

import io
import random
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from renovation.construction import services
from renovation.construction.checklists import seed_checklists
from renovation.construction.models import ChecklistTemplate, ProblemReport, SiteLog, SiteLogPhoto
from renovation.core.timeutil import SHANGHAI
from renovation.core.uploads import save_image
from renovation.extensions import db

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


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


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
                          safety_notes=rng.choice(SAFETY), author_id=squad.id, created_at=_at(day, 18, 30))
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
        problem.created_at = _at(d(2020, 10, 19), 10, 20)
        for step in problem.steps:
            step.at = problem.created_at

    # the reporters' notifications of the steps already taken (read when older than five days)
    for problem in db.session.scalars(select(ProblemReport).where(ProblemReport.project_id == project.id)):
        for step in problem.steps:
            if step.user is None:
                continue
            note = services._tell_reporter(problem, step.user, step.to_status)
            if note is not None:
                note.created_at = step.at
                if step.at < _at(story_today - timedelta(days=5), 0):
                    note.read_at = step.at
    db.session.flush()
