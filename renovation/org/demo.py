"""Demo register (花名册): the jurisdiction of 中原区 (four subdistricts, thirteen communities) and each demo
compound's buildings, entrances, households and owners, with invented Chinese names and mobile numbers.

Called by renovation.demo.load_demo, which threads one ``random.Random`` through every area in a fixed
order (so the register drawn here is the same on every load); flushes only. 嵩岳小区's design numbers
(1,128 households, 92,411.91 m², 1,109 owners) are explained in the docstring of renovation/demo.py.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from renovation.extensions import db
from renovation.org.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Household,
    Owner,
    OwnerType,
    Subdistrict,
)

SONGYUE = "嵩岳小区"

#: Building layouts: letter -> (floors, entrances); two dwellings per floor and entrance.
LAYOUT_TYPES = {"A": (6, 2), "B": (7, 2), "C": (6, 3), "D": (7, 3)}
#: 嵩岳小区's 33 buildings in order (1号楼 first): 4 A, 6 B, 17 C, 6 D -> 1,128 households.
SONGYUE_LAYOUT = "ACDCBCBCCCCCDDCBCDACBCBBCACCCCDDA"
SONGYUE_HOUSEHOLDS = 1128
SONGYUE_TOTAL_AREA = Decimal("92411.91")
#: Register areas (m²) of the two unit types of a building: (x01, x02) of every floor.
UNIT_PAIRS = [
    (Decimal("55.86"), Decimal("67.42")),   # 一室一厅 / 两室一厅
    (Decimal("62.35"), Decimal("74.18")),
    (Decimal("68.74"), Decimal("81.56")),   # 两室一厅 / 三室一厅
    (Decimal("75.20"), Decimal("88.93")),
    (Decimal("83.47"), Decimal("96.65")),
    (Decimal("90.12"), Decimal("106.38")),  # 三室两厅
]
#: Extra area (m²) of a gable-end dwelling (x01 of the first entrance, x02 of the last).
END_EXTRA = Decimal("3.12")
#: (building number, entrance number) of the per-stairwell lift ballot, and the demo accounts' dwellings.
LIFT_ENTRANCE = (3, 2)
RESIDENT_DWELLING = (3, 2, "502")
SUPERVISOR_DWELLING = (12, 1, "301")

#: Subdistricts of 中原区 and their communities, in creation order.
COMMUNITY_NAMES = {
    "桐柏路街道": ["西十里铺北社区", "西十里铺南社区", "桐柏路社区", "汝河路社区"],
    "中原西路街道": ["中原西路社区", "西站路社区", "伊河路社区"],
    "建设路街道": ["百花社区", "绿东村社区", "建设路社区"],
    "秦岭路街道": ["秦岭路社区", "锦艺社区", "五龙新城社区"],
}

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
            "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹"
            "黎易常武乔贺赖龚文")
GIVEN = ("秀英 桂兰 玉兰 凤英 建华 建国 国强 志强 红梅 丽娟 卫东 振华 海燕 春生 德明 永庆 淑珍 桂芝 文杰 明辉 "
         "晓燕 俊峰 玉珍 志刚 新民 爱华 金凤 宝山 丽华 学军 保国 秀兰 国庆 建军 红霞 素芳 文华 小平 立新 春梅 "
         "长松 福生 庆华 瑞芳 桂英 淑英 洪涛 建设 卫国 爱民 丽 伟 芳 敏 静 磊 军 勇 杰 娟 涛 明 超 霞 平 刚 "
         "桂香 秋菊 冬梅 海军 红军 宏伟 建平 玉梅 素珍 凤兰 书香 志华 国栋 永红 巧云 雪莲 向东 跃进 和平").split()


class Names:
    """Invented Chinese names and mobile numbers, drawn from the demo's shared ``rng`` (deterministic)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        """A surname and a given name, e.g. '王秀英'."""
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self) -> str:
        """An 11-digit mobile number starting 13/15/17/18/19."""
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10 ** 9):09d}"


@dataclass
class Register:
    """A compound just built: its buildings, entrances by (building no., entrance no.), households
    in register order and each household's owner."""

    compound: Compound
    buildings: list[Building] = field(default_factory=list)
    entrances: dict[tuple[int, int], Entrance] = field(default_factory=dict)
    households: list[Household] = field(default_factory=list)
    owner_of: dict[int, Owner] = field(default_factory=dict)  # id(household) -> owner
    position: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # id(household) -> (b, e, room)

    def dwelling(self, building: int, entrance: int, room: str) -> Household:
        """The household at (building no., entrance no., room); KeyError when there is none."""
        for h in self.households:
            if self.position[id(h)] == (building, entrance, room):
                return h
        raise KeyError((building, entrance, room))

    def total_area(self) -> Decimal:
        """Sum of the households' exclusive areas, m²."""
        return sum((h.area for h in self.households), Decimal("0"))


def get_or_create(model, defaults: dict | None = None, **by):
    """The row of ``model`` matching ``by``, or a new one (with ``defaults`` too) added and flushed."""
    row = db.session.scalar(select(model).filter_by(**by))
    if row is None:
        row = model(**by, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def jurisdiction() -> tuple[District, dict[str, Subdistrict], dict[str, Community]]:
    """中原区, its subdistricts by name and their communities by name (existing rows are reused)."""
    zy = get_or_create(District, name="中原区", defaults={"city": "郑州市"})
    subs = {n: get_or_create(Subdistrict, district_id=zy.id, name=n) for n in COMMUNITY_NAMES}
    comm = {n: get_or_create(Community, subdistrict_id=subs[s].id, name=n)
            for s, ns in COMMUNITY_NAMES.items() for n in ns}
    return zy, subs, comm


def build_compound(community: Community, name: str, address: str, built_year: int, layout: str,
                   rng: random.Random, names: Names, *, description: str | None = None, pairs: int = 0,
                   triples: int = 0, developer_units: int = 0, reserved: tuple = (),
                   fixed_owners: dict | None = None) -> Register:
    """Buildings, entrances, households and owners of one compound (see the module docstring).

    ``layout`` is one letter of :data:`LAYOUT_TYPES` per building. ``pairs``/``triples``: owners holding
    2/3 dwellings; ``developer_units``: unsold dwellings sharing one DEVELOPER Owner; none of these is
    drawn from the ``reserved`` entrances (building, entrance). ``fixed_owners`` maps (building, entrance,
    room) -> owner name for the demo accounts' dwellings.
    """
    compound = Compound(community=community, name=name, address=address, built_year=built_year,
                        description=description)
    db.session.add(compound)
    db.session.flush()
    reg = Register(compound)
    specs = []  # (building no., entrance no., floor, room, area, entrance obj, building obj)
    for b_no, letter in enumerate(layout, start=1):
        floors, n_entr = LAYOUT_TYPES[letter]
        pair = UNIT_PAIRS[rng.randrange(len(UNIT_PAIRS))]
        building = Building(compound=compound, number=f"{b_no}号楼", floors=floors, sort_order=b_no)
        reg.buildings.append(building)
        for e_no in range(1, n_entr + 1):
            entrance = Entrance(building=building, number=f"{e_no}单元", sort_order=e_no)
            reg.entrances[(b_no, e_no)] = entrance
            for floor in range(1, floors + 1):
                for pos in (1, 2):
                    area = pair[pos - 1]
                    if (e_no == 1 and pos == 1) or (e_no == n_entr and pos == 2):
                        area += END_EXTRA
                    specs.append((b_no, e_no, floor, f"{floor}0{pos}", area, entrance, building))
    fixed = dict(fixed_owners or {})
    # owner slot of each dwelling: its own index, or the index of the multi-dwelling owner's first one
    slot = list(range(len(specs)))
    free = [i for i, s in enumerate(specs) if (s[0], s[1]) not in reserved and (s[0], s[1], s[3]) not in fixed]
    picked = rng.sample(free, 2 * pairs + 3 * triples + developer_units)
    cursor = 0
    for size, count in ((2, pairs), (3, triples)):
        for _ in range(count):
            group = picked[cursor:cursor + size]
            cursor += size
            for i in group[1:]:
                slot[i] = group[0]
    developer = None
    if developer_units:
        developer = Owner(compound_id=compound.id, name=f"郑州{name[:2]}置业有限公司（未售房屋）",
                          owner_type=OwnerType.DEVELOPER, phone="0371-6" + f"{rng.randrange(10 ** 6):06d}")
        for i in picked[cursor:cursor + developer_units]:
            slot[i] = -1
    owners: dict[int, Owner] = {}
    for i, (b_no, e_no, floor, room, area, entrance, building) in enumerate(specs):
        if slot[i] == -1:
            owner = developer
        elif slot[i] in owners:
            owner = owners[slot[i]]
        else:
            owner_name = fixed.get((b_no, e_no, room)) or names.person()
            owner = owners[slot[i]] = Owner(compound_id=compound.id, name=owner_name, phone=names.phone())
        household = Household(compound_id=compound.id, building=building, entrance=entrance, floor=floor,
                              room=room, area=area, owner=owner,
                              voter_name=owner.name if owner is not developer else "开发商代表")
        reg.households.append(household)
        reg.owner_of[id(household)] = owner
        reg.position[id(household)] = (b_no, e_no, room)
    db.session.add_all(reg.buildings)
    db.session.add_all(reg.households)
    db.session.flush()
    return reg


def build_songyue(community: Community, batch_name: str, rng: random.Random, names: Names) -> Register:
    """嵩岳小区's register: :data:`SONGYUE_LAYOUT`, 8 owners of two dwellings, 3 of three, 6 unsold
    dwellings, none of them in the lift entrance or the supervisor's; the demo resident 周玉兰 and the
    supervisor 马建民 own their dwellings. ``batch_name`` is the batch named in the description."""
    return build_compound(
        community, SONGYUE, "农业路198号", 1998, SONGYUE_LAYOUT, rng, names,
        description="建于上世纪90年代末，是郑州市首批安置小区之一，33栋住宅楼，1100余户；"
                    f"20多年无物业、无人管护。已纳入郑州市{batch_name}老旧小区改造计划。",
        pairs=8, triples=3, developer_units=6, reserved=(LIFT_ENTRANCE, SUPERVISOR_DWELLING[:2]),
        fixed_owners={RESIDENT_DWELLING: "周玉兰", SUPERVISOR_DWELLING: "马建民"})
