"""Seed of the inspection checklists (data, not code: admins may edit the rows afterwards).

Lines paraphrase common site practice: concealed works are checked before they are covered
(《建筑工程施工质量验收统一标准》GB 50300: 隐蔽工程在隐蔽前应由施工单位通知监理单位进行验收),
gas pipes against GB 55009 / CJJ 94, external wall insulation against GB 50411.
"""

from sqlalchemy import select

from renovation.construction.models import ChecklistLine, ChecklistTemplate
from renovation.extensions import db

SEED: list[tuple[str, str, str, list[str]]] = [
    ("CONCEALED", "隐蔽工程验收", "管线、防水、钢筋等在覆盖前由监理和建设单位现场检查", [
        "隐蔽部位与设计图纸一致",
        "管线规格、材质与进场验收记录相符",
        "管线接口牢固，试压或通水试验合格",
        "防水层完整，无破损、空鼓",
        "影像资料已拍摄留存",
    ]),
    ("GAS", "燃气管道", "天然气入户：立管、支管、阀门和试压", [
        "管材、管件有合格证，规格符合设计",
        "管道走向与间距符合规范，与电线保持安全距离",
        "管道固定牢固，穿墙处加套管",
        "强度试验和严密性试验合格",
        "阀门开关灵活，无泄漏",
        "户内燃气报警器已安装",
    ]),
    ("INSULATION", "外墙保温", "外墙保温与饰面：基层、粘结、锚固、防火隔离带", [
        "基层清理干净、平整",
        "保温板材质、厚度符合设计，有检测报告",
        "粘结面积和锚栓数量符合要求",
        "防火隔离带按设计设置",
        "网格布搭接符合要求，抹面无开裂",
    ]),
]


def seed_checklists() -> int:
    """Add the seed checklists whose code is missing (idempotent; edited ones are kept); flushes.

    Returns the number of checklists added.
    """
    have = set(db.session.scalars(select(ChecklistTemplate.code)))
    added = 0
    for code, name, description, lines in SEED:
        if code in have:
            continue
        template = ChecklistTemplate(code=code, name=name, description=description)
        template.lines = [ChecklistLine(text=t, sort_order=i) for i, t in enumerate(lines, start=1)]
        db.session.add(template)
        added += 1
    db.session.flush()
    return added
