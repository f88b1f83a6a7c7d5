"""The seed of the renovation catalogue (CatalogueItem rows): data, not an enum in code.

Two lists are seeded:

- the national menu of 《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》(国办发〔2020〕23号):
  基础类 basic (14 items), 完善类 improvement (13 items), 提升类 upgrade (10 items), codes ``B-*``,
  ``I-*``, ``U-*``, ``local_list`` empty;
- Zhengzhou's 一拆五改三增加 list (9 items, codes ``ZZ-*``, ``local_list`` = :data:`ZHENGZHOU_LIST`):
  一拆 demolish illegal structures; 五改 cables underground, facade and energy saving, rain and sewage
  separated, roads asphalted, green space; 三增加 Party-and-public service room, property-management
  room, security facilities.

Admins may edit or deactivate rows afterwards; seeding again never overwrites them (idempotent by code).
"""

from sqlalchemy import select

from renovation.extensions import db
from renovation.projects.models import CatalogueItem, ItemCategory

#: ``local_list`` value of the rows of Zhengzhou's list.
ZHENGZHOU_LIST = "郑州一拆五改三增加"

_B, _I, _U = ItemCategory.BASIC, ItemCategory.IMPROVEMENT, ItemCategory.UPGRADE

#: The national menu (国办发〔2020〕23号): (code, name, category, description).
NATIONAL_MENU: list[tuple[str, str, ItemCategory, str]] = [
    ("B-WATER", "供水设施改造", _B, "供水管网、二次供水设施及户表改造"),
    ("B-DRAIN", "排水设施改造", _B, "排水管网疏通、更换，化粪池改造"),
    ("B-POWER", "供电设施改造", _B, "供配电设施、线路及电表箱改造"),
    ("B-LOWVOLT", "弱电设施改造", _B, "通信、有线电视等弱电线路及设施改造"),
    ("B-ROAD", "小区内部道路改造", _B, "破损道路修复、路面重铺，消除坑洼积水"),
    ("B-GAS", "燃气设施改造（天然气入户）", _B, "燃气管网敷设、天然气入户及老旧燃气设施更新"),
    ("B-HEAT", "供热设施改造", _B, "供热管网及户内供热设施改造"),
    ("B-FIRE", "消防设施改造", _B, "消防通道打通，消火栓、灭火器等消防设施配置"),
    ("B-SECURITY", "安防设施改造", _B, "门禁、视频监控、周界防护等安防设施"),
    ("B-FIBRE", "光纤入户", _B, "通信光纤到户改造"),
    ("B-LINES", "架空线规整（入地）", _B, "架空线缆规整或入地敷设"),
    ("B-ROOF", "屋面改造", _B, "屋面防水、保温及平改坡"),
    ("B-WALL", "外墙改造", _B, "外墙面修缮、清洗粉刷"),
    ("B-STAIR", "楼梯间改造", _B, "楼梯扶手、楼道照明、墙面及门窗修缮"),
    ("I-DEMOLISH", "拆除违法建设", _I, "拆除小区内违法建筑及私搭乱建"),
    ("I-GREEN", "绿化改造", _I, "绿地整治、补植及景观提升"),
    ("I-LIGHT", "照明设施改造", _I, "小区道路及公共区域夜间照明"),
    ("I-ELDERLY", "适老化及无障碍改造", _I, "无障碍坡道、扶手、适老化设施"),
    ("I-PARKING", "停车设施", _I, "停车位施划、停车场（库）建设"),
    ("I-EV", "电动汽车充电设施", _I, "电动汽车充电桩"),
    ("I-EBIKE", "电动自行车充电设施", _I, "电动自行车集中停放及充电设施"),
    ("I-PARCEL", "智能快件箱", _I, "智能快件箱、智能信包箱"),
    ("I-CULTURE", "文化休闲设施", _I, "文化活动室、休闲座椅、凉亭"),
    ("I-FITNESS", "体育健身设施", _I, "健身器材、健身步道、球场"),
    ("I-PROPERTY", "物业用房", _I, "物业管理用房建设或改造"),
    ("I-ENERGY", "建筑节能改造", _I, "外墙保温、节能门窗等节能改造"),
    ("I-LIFT", "加装电梯", _I, "既有住宅加装电梯（具备条件的）"),
    ("U-SERVICE", "社区综合服务设施", _U, "社区综合服务站、党群服务中心"),
    ("U-HEALTH", "卫生服务站", _U, "社区卫生服务站建设或升级"),
    ("U-KINDER", "幼儿园", _U, "普惠性幼儿园"),
    ("U-SMART", "智慧安防", _U, "智能感知、智慧门禁等智慧社区设施"),
    ("U-ELDERLY", "养老服务设施", _U, "社区养老服务中心、日间照料中心"),
    ("U-CHILDCARE", "托育设施", _U, "婴幼儿托育服务设施"),
    ("U-CANTEEN", "助餐设施", _U, "社区食堂、老年助餐点"),
    ("U-HOUSEKEEP", "家政保洁服务", _U, "家政服务网点"),
    ("U-STORE", "便民市场及便利店", _U, "便民市场、便利店"),
    ("U-POST", "邮政快递末端综合服务站", _U, "快递末端综合服务站"),
]

#: Zhengzhou's 一拆五改三增加 (local practice): (code, name, category, description).
ZHENGZHOU_ITEMS: list[tuple[str, str, ItemCategory, str]] = [
    ("ZZ-DEMOLISH", "拆除违建", _I, "一拆：拆除违法建设"),
    ("ZZ-CABLES", "架空线缆入地", _B, "五改：强弱电架空线缆入地"),
    ("ZZ-FACADE", "外立面及节能改造", _B, "五改：楼体外立面整治及节能改造"),
    ("ZZ-RAINSEWER", "雨污分流", _B, "五改：雨水、污水管网分流改造"),
    ("ZZ-ASPHALT", "道路沥青化改造", _B, "五改：水泥路面改为沥青路面"),
    ("ZZ-GREEN", "绿地改造", _I, "五改：绿地整治提升"),
    ("ZZ-PARTY", "党群服务室", _U, "三增加：增设党群服务室"),
    ("ZZ-PROPERTY", "物业管理用房", _I, "三增加：增设物业管理用房"),
    ("ZZ-SECURITY", "安防设施", _B, "三增加：增设安防设施（视频监控、门禁）"),
]


def seed_catalogue() -> int:
    """Add the catalogue rows whose code is missing; returns how many rows were added (0 when seeded).

    Idempotent by ``code``: existing rows (possibly edited by an admin) are left as they are.
    Flushes, never commits.
    """
    existing = set(db.session.scalars(select(CatalogueItem.code)))
    rows = []
    for order, (code, name, category, description) in enumerate(NATIONAL_MENU + ZHENGZHOU_ITEMS, start=1):
        if code in existing:
            continue
        local_list = ZHENGZHOU_LIST if code.startswith("ZZ-") else None
        rows.append(CatalogueItem(code=code, name=name, category=category, description=description,
                                  local_list=local_list, active=True, sort_order=order * 10))
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)
