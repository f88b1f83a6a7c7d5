"""Demo data: the example compound 嵩岳小区 (domain.md) at the construction stage, and a few others.

``load_demo()`` is one idempotent, deterministic command (``flask demo load``): it does nothing and
returns False when 嵩岳小区 already exists; otherwise it seeds the catalogue and creates everything
below in one transaction. Random figures come from ``random.Random(SEED)``. The story is written as of
:data:`STORY_TODAY` (2020-10-21) and every story date is moved by the same number of days so that it
stands at the day the demo is loaded: the project was created about seven months before, the works are
under way (a few items behind plan), the last milestones lie ahead, and one problem is weeks overdue.
The open lift ballot (opens now, closes in 14 days) and the other compounds' currently open survey,
ballot and plan notice are dated from the load moment itself. Batches are named after the (moved) year
in which 嵩岳小区's project was created (e.g. "2026年第一批"). All names of people and firms are invented.

Design numbers of 嵩岳小区 (asserted by tests/test_demo.py):

- 33 buildings (1号楼..33号楼) of four layouts, :data:`SONGYUE_LAYOUT`, two dwellings per floor and
  entrance (一梯两户): A = 6 floors x 2 entrances = 24 dwellings, B = 7 x 2 = 28, C = 6 x 3 = 36,
  D = 7 x 3 = 42; 4 A + 6 B + 17 C + 6 D = 96 + 168 + 612 + 252 = **1,128 households** in
  8 + 12 + 51 + 18 = **89 entrances**.
- Exclusive floor areas from the register: each building has one pair of unit types from
  :data:`UNIT_PAIRS` (x01 / x02 of every floor, 55.86-106.38 m²) and the gable-end dwellings of its
  end entrances get :data:`END_EXTRA` (3.12 m²) more; total **92,411.91 m²** (:data:`SONGYUE_TOTAL_AREA`).
- 1,109 owners: 1,097 holding one dwelling, 8 holding two, 3 holding three, and one developer Owner
  (type DEVELOPER) for the 6 unsold dwellings.
- The lift entrance is 3号楼2单元 (7 floors, 14 dwellings); the demo resident lives in 3号楼2单元502
  and the resident supervisor in 12号楼1单元301.
"""

import io
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from renovation.accounts.models import ProjectAssignment, Role, User
from renovation.aftercare.models import Facility, Partner
from renovation.construction.models import (
    Acceptance,
    ProblemReport,
    ProblemStatus,
    ProgressUpdate,
    Rectification,
)
from renovation.core.db import utcnow
from renovation.core.timeutil import SHANGHAI, local_today
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
from renovation.party.models import Meeting, PartyBranch, PartyMember
from renovation.planning.models import (
    Contractor,
    ContractorKind,
    FundingKind,
    FundingSource,
    Milestone,
    Objection,
    Plan,
    PlanStatus,
)
from renovation.projects.catalogue import seed_catalogue
from renovation.projects.models import (
    Batch,
    CatalogueItem,
    ProgressStatus,
    Project,
    ProjectItem,
    ProjectItemStatus,
    StageTransition,
)
from renovation.projects.rules import Stage
from renovation.voting.models import (
    Ballot,
    BallotItem,
    BallotScope,
    BallotStatus,
    Choice,
    MatterClass,
    Vote,
    VoteChoice,
)
from renovation.voting.rules import RECEIPT_ALPHABET, RECEIPT_LENGTH, iso_utc, vote_record_hash
from renovation.wishes.models import Channel, WishResponse, WishSurvey, wish_response_item

#: Seed of the demo's random figures (so every load gives the same data).
SEED = 20200306
#: The day on which the story stands as written (gas done, facade 65 %, road 35 %...). Every story date
#: is written as of this day and moved by (load day - STORY_TODAY) days: see :func:`_story_dates`.
STORY_TODAY = date(2020, 10, 21)
#: The one password of every demo account (printed by ``flask demo load``).
DEMO_PASSWORD = "demo1234"
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

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
            "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹"
            "黎易常武乔贺赖龚文")
GIVEN = ("秀英 桂兰 玉兰 凤英 建华 建国 国强 志强 红梅 丽娟 卫东 振华 海燕 春生 德明 永庆 淑珍 桂芝 文杰 明辉 "
         "晓燕 俊峰 玉珍 志刚 新民 爱华 金凤 宝山 丽华 学军 保国 秀兰 国庆 建军 红霞 素芳 文华 小平 立新 春梅 "
         "长松 福生 庆华 瑞芳 桂英 淑英 洪涛 建设 卫国 爱民 丽 伟 芳 敏 静 磊 军 勇 杰 娟 涛 明 超 霞 平 刚 "
         "桂香 秋菊 冬梅 海军 红军 宏伟 建平 玉梅 素珍 凤兰 书香 志华 国栋 永红 巧云 雪莲 向东 跃进 和平").split()


# --- who logs in -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoLogin:
    """One demo account as printed: role label (Chinese), username and what the account sees."""

    role_label: str
    username: str
    sees: str


DEMO_LOGINS = [
    DemoLogin("系统管理员", "admin", "全部小区、用户、角色与设置"),
    DemoLogin("区领导", "district", "中原区全部小区的看板与PDF报告"),
    DemoLogin("街道领导（临时党支部书记）", "leader", "桐柏路街道：嵩岳小区、电缆厂家属院"),
    DemoLogin("街道领导", "jianshe", "建设路街道：百花小区、绿东村小区"),
    DemoLogin("专班成员（组长）", "squad", "嵩岳小区、电缆厂家属院：花名册、意愿征集、表决、方案、进度、问题"),
    DemoLogin("专班成员", "squad2", "嵩岳小区：同上"),
    DemoLogin("专班成员", "squad3", "棉纺西路12号院、西站路6号院、百花小区、秦岭路3号院、绿东村小区"),
    DemoLogin("居民", "resident", "嵩岳小区3号楼2单元502：可参加正在进行的加装电梯表决"),
    DemoLogin("居民监督员", "supervisor", "嵩岳小区12号楼1单元301：上报问题、核验整改"),
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def print_logins(echo) -> None:
    """Print the demo accounts as a table (role, username, password, what they see) through ``echo``."""
    rows = [("角色", "用户名", "密码", "可以看到")] + [
        (lg.role_label, lg.username, DEMO_PASSWORD, lg.sees) for lg in DEMO_LOGINS]
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(3)]
    for i, row in enumerate(rows):
        echo("".join(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + row[3])
        if i == 0:
            echo("-" * (sum(widths) + 40))


# --- small helpers --------------------------------------------------------------------------------

def _at(day: date, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    """A Shanghai wall-clock time on ``day``, as an aware UTC datetime (whole seconds)."""
    return datetime.combine(day, time(hour, minute, second), SHANGHAI).astimezone(UTC)


def _story_dates(today: date) -> Callable[[int, int, int], date]:
    """``d(year, month, day)``: a story date written as of :data:`STORY_TODAY`, moved by the same number
    of days as ``today`` is after STORY_TODAY, so that the story stands at ``today`` (the load day).

    E.g. loaded on 2026-11-29 (2,230 days after 2020-10-21), ``d(2020, 3, 6)`` is 2026-04-14.
    """
    shift = today - STORY_TODAY

    def d(year: int, month: int, day: int) -> date:
        return date(year, month, day) + shift
    return d


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random whole-second time in [start, end), moved into 08:00-21:00 Shanghai time."""
    # always two draws, whatever the span: the figures drawn after stay the same when ``end`` is "now"
    frac, hour_pick = rng.random(), rng.random()
    moment = (start + timedelta(seconds=int(frac * (end - start).total_seconds()))).astimezone(SHANGHAI)
    if not 8 <= moment.hour < 21:
        moment = moment.replace(hour=8 + int(hour_pick * 13))
    moment = max(min(moment, end - timedelta(seconds=1)), start)
    return moment.astimezone(UTC).replace(microsecond=0)


def _works_period(start: date, end: date) -> str:
    """'工期2026年7月至2027年2月' (or '工期2026年6月至12月' within one year)."""
    tail = f"{end.month}月" if end.year == start.year else f"{end.year}年{end.month}月"
    return f"工期{start.year}年{start.month}月至{tail}"


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


class _Names:
    """Invented Chinese names and mobile numbers (deterministic)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def phone(self) -> str:
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10 ** 9):09d}"


@dataclass
class _Register:
    """A compound just built: its buildings, entrances by (building no., entrance no.), households
    in register order and each household's owner."""

    compound: Compound
    buildings: list[Building] = field(default_factory=list)
    entrances: dict[tuple[int, int], Entrance] = field(default_factory=dict)
    households: list[Household] = field(default_factory=list)
    owner_of: dict[int, Owner] = field(default_factory=dict)  # id(household) -> owner
    position: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # id(household) -> (b, e, room)

    def dwelling(self, building: int, entrance: int, room: str) -> Household:
        for h in self.households:
            if self.position[id(h)] == (building, entrance, room):
                return h
        raise KeyError((building, entrance, room))

    def total_area(self) -> Decimal:
        return sum((h.area for h in self.households), Decimal("0"))


def _build_compound(community: Community, name: str, address: str, built_year: int, layout: str,
                    rng: random.Random, names: _Names, *, description: str | None = None, pairs: int = 0,
                    triples: int = 0, developer_units: int = 0, reserved: tuple = (),
                    fixed_owners: dict | None = None) -> _Register:
    """Buildings, entrances, households and owners of one compound (see the module docstring).

    ``pairs``/``triples``: owners holding 2/3 dwellings; ``developer_units``: unsold dwellings sharing
    one DEVELOPER Owner; none of these is drawn from the ``reserved`` entrances (building, entrance).
    ``fixed_owners`` maps (building, entrance, room) -> owner name for the demo accounts' dwellings.
    """
    compound = Compound(community=community, name=name, address=address, built_year=built_year,
                        description=description)
    db.session.add(compound)
    db.session.flush()
    reg = _Register(compound)
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


# --- stages' records (generic) ----------------------------------------------------------------------

def _transitions(project: Project, moves: list[tuple[Stage | None, Stage, datetime, str]], user: User) -> None:
    db.session.add_all(StageTransition(project=project, from_stage=a, to_stage=b, at=at, reason=reason,
                                       user_id=user.id) for a, b, at, reason in moves)


def _wish_survey(project: Project, reg: _Register, rng: random.Random, *, opened: datetime,
                 closed: datetime | None, respond_p: float, consent_p: float, wanted: dict[CatalogueItem, float],
                 staff: list[User], comments: list[str]) -> tuple[int, int]:
    """A wish survey with responses; returns (responses, consenting)."""
    survey = WishSurvey(project=project, title=f"{reg.compound.name}改造意愿征集", is_open=closed is None,
                        opened_at=opened, closed_at=closed)
    db.session.add(survey)
    end = closed or utcnow()
    responses, wanted_items = [], []
    for h in reg.households:
        if rng.random() >= respond_p:
            continue
        consent = rng.random() < consent_p
        channel = rng.choices([Channel.ONLINE, Channel.PAPER, Channel.PROXY], [45, 50, 5])[0]
        items = [c for c, p in wanted.items() if consent and rng.random() < p]
        comment = rng.choice(comments) if rng.random() < 0.08 else None
        responses.append(WishResponse(
            survey=survey, household=h, consent=consent, comment=comment, channel=channel,
            entered_by_id=None if channel is Channel.ONLINE else rng.choice(staff).id,
            answered_at=_between(rng, opened, end)))
        wanted_items.append(items)
    db.session.add_all(responses)
    db.session.flush()
    # the association rows in one executemany (thousands of rows: the ORM's per-object path is slower)
    rows = [{"response_id": r.id, "catalogue_item_id": c.id}
            for r, items in zip(responses, wanted_items, strict=True) for c in items]
    if rows:
        db.session.execute(wish_response_item.insert(), rows)
    return len(responses), sum(r.consent for r in responses)


@dataclass
class _BallotResult:
    ballot: Ballot
    votes: int
    households_voted: int
    passed: dict[int, bool]  # ballot item id -> passed


class _Receipts:
    """Unique receipt codes in the voting module's alphabet (digits and capitals without look-alikes)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        while True:
            code = "".join(self.rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if code not in self.used:
                self.used.add(code)
                return code


def _tally(reg: _Register, eligible: list[Household], current: dict[int, dict[int, str]], item_id: int,
           ballot: Ballot) -> bool:
    """Whether ``item_id`` passes under the ballot's stored rule (民法典 art. 278 by default).

    Quorum: participating area and owners >= quorum of all eligible; approval: agreeing area and owners
    over the participating ones > (strict) or >= the approval share. An owner agrees only if all of
    their voting dwellings agree. ``current`` maps id(household) -> {ballot item id: choice}.
    """
    total_area = sum((h.area for h in eligible), Decimal("0"))
    all_owners = {id(reg.owner_of[id(h)]) for h in eligible}
    part_area = agree_area = Decimal("0")
    part_owners: set[int] = set()
    owner_choices: dict[int, set[str]] = {}
    for h in eligible:
        choices = current.get(id(h))
        if choices is None:
            continue
        owner = id(reg.owner_of[id(h)])
        part_area += h.area
        part_owners.add(owner)
        owner_choices.setdefault(owner, set()).add(choices[item_id])
        if choices[item_id] == Choice.AGREE.value:
            agree_area += h.area
    agree_owners = sum(1 for s in owner_choices.values() if s == {Choice.AGREE.value})
    q = (ballot.quorum_num, ballot.quorum_den)
    a = (ballot.approval_num, ballot.approval_den)
    quorum = (part_area * q[1] >= total_area * q[0]) and (len(part_owners) * q[1] >= len(all_owners) * q[0])
    if not quorum or not part_owners:
        return False
    if ballot.approval_strict:
        return agree_area * a[1] > part_area * a[0] and agree_owners * a[1] > len(part_owners) * a[0]
    return agree_area * a[1] >= part_area * a[0] and agree_owners * a[1] >= len(part_owners) * a[0]


def _ballot(project: Project, reg: _Register, rng: random.Random, receipts: _Receipts, *, title: str,
            items: list[tuple[ProjectItem, float]], opens: datetime, closes: datetime, status: BallotStatus,
            participate_p: float, staff: list[User], changes: int = 0, description: str | None = None,
            matter: MatterClass = MatterClass.ORDINARY, entrance: Entrance | None = None,
            voted_until: datetime | None = None, skip: tuple[Household, ...] = ()) -> _BallotResult:
    """A ballot on ``items`` (project item, probability of 'agree') with votes chained by record hash.

    Every dwelling of an owner who takes part votes alike. ``changes`` voters first cast another vote
    that they later change (the old version stays, not current). A closed ballot sets each project
    item's status from the tally. Votes are inserted in cast order, so id order is the chain order.
    """
    special = matter is not MatterClass.ORDINARY
    ballot = Ballot(project=project, title=title, description=description, matter_class=matter,
                    scope=BallotScope.ENTRANCE if entrance is not None else BallotScope.COMPOUND,
                    scope_entrance=entrance, status=status, opens_at=opens, closes_at=closes,
                    quorum_num=2, quorum_den=3, approval_num=3 if special else 1, approval_den=4 if special else 2,
                    approval_strict=not special, created_at=opens - timedelta(days=2),
                    rule_source="民法典第二百七十八条" + ("（本单元业主表决，地方做法）" if entrance is not None else ""))
    ballot.items = [BallotItem(project_item=pi, title=pi.name, sort_order=i) for i, (pi, _) in enumerate(items)]
    db.session.add(ballot)
    db.session.flush()
    eligible = [h for h in reg.households if entrance is None or h.entrance is entrance]
    by_owner: dict[int, list[Household]] = {}
    for h in eligible:
        by_owner.setdefault(id(reg.owner_of[id(h)]), []).append(h)
    end = voted_until or closes
    records = []  # (cast_at, household, choices, channel, proxy name)
    for dwellings in by_owner.values():
        if any(h in skip for h in dwellings) or rng.random() >= participate_p:
            continue
        choices = {}
        for bi, (_, p) in zip(ballot.items, items, strict=True):
            choices[bi.id] = (Choice.AGREE if rng.random() < p else
                              rng.choices([Choice.AGAINST, Choice.ABSTAIN], [7, 3])[0]).value
        developer = reg.owner_of[id(dwellings[0])].owner_type is OwnerType.DEVELOPER
        for h in dwellings:
            channel = Channel.PROXY if developer else rng.choices(
                [Channel.ONLINE, Channel.PAPER, Channel.PROXY], [40, 55, 5])[0]
            proxy = ("开发商授权代表" if developer else "家属代为投票") if channel is Channel.PROXY else None
            records.append([_between(rng, opens, end), h, choices, channel, proxy])
    # some voters changed their vote while the ballot was open: an earlier, different version first
    earlier = []
    for rec in rng.sample(records, min(changes, len(records))):
        first = {k: rng.choice([Choice.AGAINST, Choice.ABSTAIN]).value for k in rec[2]}
        rec[0] = max(rec[0], opens + timedelta(hours=30))
        earlier.append([_between(rng, opens, rec[0] - timedelta(hours=6)), rec[1], first, Channel.ONLINE, None,
                        rec[0]])
    timeline = sorted([r + [None] for r in records] + earlier, key=lambda r: (r[0], r[1].id))
    prev = None
    votes, vote_choices = [], []
    for cast_at, household, choices, channel, proxy, superseded_at in timeline:
        code = receipts.new()
        record_hash = vote_record_hash(prev, ballot_id=ballot.id, household_id=household.id,
                                       channel=channel.value, cast_at_iso=iso_utc(cast_at), receipt_code=code,
                                       choices=choices)
        votes.append(Vote(
            ballot=ballot, household_id=household.id, channel=channel, cast_at=cast_at,
            entered_by_id=None if channel is Channel.ONLINE else rng.choice(staff).id,
            is_current=superseded_at is None, superseded_at=superseded_at, receipt_code=code, proxy_name=proxy,
            prev_hash=prev, record_hash=record_hash))
        vote_choices.append(choices)
        prev = record_hash
    db.session.add_all(votes)
    db.session.flush()
    rows = [{"vote_id": v.id, "ballot_item_id": k, "choice": Choice(c)}
            for v, choices in zip(votes, vote_choices, strict=True) for k, c in choices.items()]
    if rows:
        db.session.execute(insert(VoteChoice), rows)
    current = {id(r[1]): r[2] for r in records}
    passed = {bi.id: _tally(reg, eligible, current, bi.id, ballot) for bi in ballot.items}
    if status is BallotStatus.CLOSED:
        for bi, (pi, _) in zip(ballot.items, items, strict=True):
            pi.status = ProjectItemStatus.ADOPTED if passed[bi.id] else ProjectItemStatus.REJECTED
    return _BallotResult(ballot, len(votes), len(records), passed)


def _item(project: Project, cat: CatalogueItem | None, name: str, order: int, *, qty=None, unit=None, price=None,
          contractor: Contractor | None = None, start: date | None = None, end: date | None = None,
          percent: int = 0, pstatus: ProgressStatus = ProgressStatus.NOT_STARTED,
          funding: list[tuple[FundingKind, str | None]] = (), description: str | None = None) -> ProjectItem:
    """A project item; budget = quantity x unit price (yuan); a None funding amount takes the remainder."""
    budget = _money(Decimal(qty) * Decimal(price)) if qty is not None and price is not None else None
    item = ProjectItem(project=project, catalogue_item=cat, name=name, description=description, sort_order=order,
                       quantity=Decimal(qty) if qty is not None else None, unit=unit,
                       unit_price=_money(price) if price is not None else None, budget=budget,
                       contractor=contractor, planned_start=start, planned_end=end, progress_percent=percent,
                       progress_status=pstatus)
    given = sum((_money(a) for _, a in funding if a is not None), Decimal("0"))
    item.funding_sources = [FundingSource(kind=k, amount=_money(a) if a is not None else budget - given)
                            for k, a in funding]
    db.session.add(item)
    return item


def _site_photo(variant: int) -> bytes:
    """A small synthetic 'site photo' (JPEG, 640x420): sky, a six-storey block with windows, works."""
    from PIL import Image, ImageDraw

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


# --- the demo ----------------------------------------------------------------------------------------

def _get_or_create(model, defaults: dict | None = None, **by):
    row = db.session.scalar(select(model).filter_by(**by))
    if row is None:
        row = model(**by, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def load_demo() -> bool:
    """Create the demo data and commit; returns False (and does nothing) when 嵩岳小区 already exists.

    Takes a couple of seconds on SQLite or PostgreSQL (rows are added in bulk, flushed a few times).
    Writes photos under UPLOAD_FOLDER. Existing district/subdistrict/community/batch rows and users
    with the demo usernames are reused.
    """
    if db.session.scalar(select(Compound.id).where(Compound.name == SONGYUE)) is not None:
        return False
    rng = random.Random(SEED)
    names = _Names(rng)
    receipts = _Receipts(rng)
    seed_catalogue()
    cat = {c.code: c for c in db.session.scalars(select(CatalogueItem))}

    # jurisdiction ---------------------------------------------------------------------------------
    zy = _get_or_create(District, name="中原区", defaults={"city": "郑州市"})
    subs = {n: _get_or_create(Subdistrict, district_id=zy.id, name=n)
            for n in ("桐柏路街道", "中原西路街道", "建设路街道", "秦岭路街道")}
    community_names = {
        "桐柏路街道": ["西十里铺北社区", "西十里铺南社区", "桐柏路社区", "汝河路社区"],
        "中原西路街道": ["中原西路社区", "西站路社区", "伊河路社区"],
        "建设路街道": ["百花社区", "绿东村社区", "建设路社区"],
        "秦岭路街道": ["秦岭路社区", "锦艺社区", "五龙新城社区"],
    }
    comm = {n: _get_or_create(Community, subdistrict_id=subs[s].id, name=n)
            for s, ns in community_names.items() for n in ns}
    d = _story_dates(local_today())
    year = d(2020, 3, 6).year  # the year in which 嵩岳小区's project is created
    batch1 = _get_or_create(Batch, name=f"{year}年第一批", defaults={"year": year})
    batch2 = _get_or_create(Batch, name=f"{year}年第二批", defaults={"year": year})

    # 嵩岳小区 ---------------------------------------------------------------------------------------
    reg = _build_compound(
        comm["西十里铺北社区"], SONGYUE, "农业路198号", 1998, SONGYUE_LAYOUT, rng, names,
        description="建于上世纪90年代末，是郑州市首批安置小区之一，33栋住宅楼，1100余户；"
                    f"20多年无物业、无人管护。已纳入郑州市{batch1.name}老旧小区改造计划。",
        pairs=8, triples=3, developer_units=6, reserved=(LIFT_ENTRANCE, SUPERVISOR_DWELLING[:2]),
        fixed_owners={RESIDENT_DWELLING: "周玉兰", SUPERVISOR_DWELLING: "马建民"})

    users = _users(subs, zy, reg)
    squad, squad2 = users["squad"], users["squad2"]
    staff = [squad, squad2]

    project = Project(compound=reg.compound, batch=batch1, name=f"{SONGYUE}老旧小区改造", stage=Stage.CONSTRUCTION,
                      started_on=d(2020, 6, 15), target_end_on=d(2020, 12, 31),
                      created_at=_at(d(2020, 3, 6)))
    db.session.add(project)
    db.session.flush()
    db.session.add_all([
        ProjectAssignment(project_id=project.id, user_id=squad.id, duty="专班组长（桐柏路街道城建办）"),
        ProjectAssignment(project_id=project.id, user_id=squad2.id, duty="专班成员（西十里铺北社区）"),
    ])

    # wish solicitation: ~95 % answered, ~90 % of households consenting
    wanted = {cat["B-GAS"]: 0.86, cat["ZZ-FACADE"]: 0.68, cat["B-ROAD"]: 0.74, cat["ZZ-CABLES"]: 0.52,
              cat["ZZ-RAINSEWER"]: 0.57, cat["ZZ-SECURITY"]: 0.49, cat["I-LIGHT"]: 0.61, cat["I-PARKING"]: 0.44,
              cat["I-LIFT"]: 0.27, cat["I-ELDERLY"]: 0.33, cat["I-FITNESS"]: 0.29, cat["ZZ-GREEN"]: 0.41,
              cat["U-ELDERLY"]: 0.24, cat["ZZ-PROPERTY"]: 0.31}
    answered, consenting = _wish_survey(
        project, reg, rng, opened=_at(d(2020, 3, 9), 8), closed=_at(d(2020, 4, 3), 18),
        respond_p=0.95, consent_p=0.96, wanted=wanted, staff=staff,
        comments=["希望尽快通天然气，冬天做饭取暖太不方便。", "楼道灯坏了很多年，晚上上下楼很危险。",
                  "小区路面坑洼，下雨天积水严重。", "电线乱拉，存在安全隐患。", "希望能加装电梯，老人上楼困难。",
                  "停车太乱，希望规划停车位。", "希望引进物业，有人管理。", "改造期间请注意施工安全和噪音。"])

    # contractors and items
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
    gas = _item(project, cat["B-GAS"], "天然气入户", 1, qty=1128, unit="户", price="2000", contractor=piper,
                start=d(2020, 6, 20), end=d(2020, 8, 31), percent=100, pstatus=ProgressStatus.ACCEPTED,
                funding=[(F.UTILITY_OPERATOR, "1350000"), (F.LOCAL_GOVERNMENT, "680400"), (F.RESIDENTS, None)],
                description="敷设庭院燃气管网，33栋楼1128户天然气入户并通气点火；居民每户出资200元。")
    facade = _item(project, cat["ZZ-FACADE"], "楼体综合改造（外立面及节能）", 2, qty=41000, unit="m²", price="52",
                   contractor=builder, start=d(2020, 7, 1), end=d(2020, 11, 15), percent=65,
                   pstatus=ProgressStatus.IN_PROGRESS, funding=[(F.CENTRAL_SUBSIDY, "1300000"),
                                                                (F.LOCAL_GOVERNMENT, None)],
                   description="外墙保温、真石漆饰面，屋面防水，楼道粉刷及扶手更换。")
    road = _item(project, cat["ZZ-ASPHALT"], "内部道路改造（沥青化）", 3, qty=12600, unit="m²", price="88",
                 contractor=builder, start=d(2020, 9, 1), end=d(2020, 11, 30), percent=35,
                 pstatus=ProgressStatus.IN_PROGRESS, funding=[(F.CENTRAL_SUBSIDY, "700000"),
                                                              (F.LOCAL_GOVERNMENT, None)],
                 description="破损水泥路面铣刨，铺设沥青混凝土路面，重新施划停车位。")
    cables = _item(project, cat["ZZ-CABLES"], "管线入地（架空线缆入地）", 4, qty=4800, unit="米", price="145",
                   contractor=piper, start=d(2020, 6, 25), end=d(2020, 9, 15), percent=100,
                   pstatus=ProgressStatus.COMPLETED,
                   funding=[(F.UTILITY_OPERATOR, "360000"), (F.CENTRAL_SUBSIDY, "200000"),
                            (F.LOCAL_GOVERNMENT, None)],
                   description="强电、通信、有线电视架空线缆统一入地敷设，拆除废弃线杆。")
    sewer = _item(project, cat["ZZ-RAINSEWER"], "雨污分流", 5, qty=2600, unit="米", price="260", contractor=piper,
                  start=d(2020, 7, 10), end=d(2020, 10, 20), percent=80, pstatus=ProgressStatus.IN_PROGRESS,
                  funding=[(F.CENTRAL_SUBSIDY, "400000"), (F.LOCAL_GOVERNMENT, None)],
                  description="新建雨水管网，改造污水管网及化粪池，实现雨污分流。")
    cctv = _item(project, cat["ZZ-SECURITY"], "视频监控", 6, qty=96, unit="个", price="1650", contractor=builder,
                 start=d(2020, 10, 10), end=d(2020, 11, 30), percent=20, pstatus=ProgressStatus.PAUSED,
                 funding=[(F.LOCAL_GOVERNMENT, None)],
                 description="出入口、主干道及楼栋单元口高清监控，接入社区监控中心。")
    light = _item(project, cat["I-LIGHT"], "夜间照明", 7, qty=180, unit="盏", price="1280", contractor=builder,
                  start=d(2020, 10, 20), end=d(2020, 12, 10), percent=0, pstatus=ProgressStatus.NOT_STARTED,
                  funding=[(F.CENTRAL_SUBSIDY, "150000"), (F.LOCAL_GOVERNMENT, None)],
                  description="主次干道LED路灯及楼栋单元门口照明。")
    parking = _item(project, cat["I-PARKING"], "增设机械立体停车库", 8, qty=1, unit="座",
                    description="拟在小区北侧空地建设两层机械立体停车库（约120个车位），预估投资约260万元，"
                                "需使用车位的居民分摊部分费用。")
    lift_item = _item(project, cat["I-LIFT"], "3号楼2单元加装电梯", 9, qty=1, unit="部",
                      description="3号楼2单元（7层14户）申请加装电梯，预估费用约58万元，拟申请加装电梯财政补贴，"
                                  "其余由本单元业主按楼层分摊，可提取住房公积金。")
    delivered = [gas, facade, road, cables, sewer, cctv, light]
    db.session.flush()

    # consultation: the closed ballot (ORDINARY, whole compound)
    agree = {gas.id: 0.95, facade.id: 0.9, road.id: 0.93, cables.id: 0.87, sewer.id: 0.89, cctv.id: 0.85,
             light.id: 0.92, parking.id: 0.36}
    content = _ballot(project, reg, rng, receipts, title="嵩岳小区改造内容表决",
                      description="对意愿征集汇总形成的8项候选改造内容逐项表决（民法典第二百七十八条：双三分之二参与，"
                                  "参与表决者双过半同意）。",
                      items=[(pi, agree[pi.id]) for pi in delivered + [parking]],
                      opens=_at(d(2020, 4, 20), 8), closes=_at(d(2020, 5, 6), 20), status=BallotStatus.CLOSED,
                      participate_p=0.88, staff=staff, changes=12)
    adopted = sum(content.passed.values())

    # the open lift ballot of 3号楼2单元 (REBUILD: 3/4 approval), the demo resident has not voted
    now = utcnow().replace(microsecond=0)
    lift_entrance = reg.entrances[LIFT_ENTRANCE]
    _ballot(project, reg, rng, receipts, title="3号楼2单元加装电梯表决",
            description="仅由3号楼2单元业主表决（地方做法）；属改建建筑物及其附属设施，"
                        "需参与表决的专有面积和人数均达四分之三以上同意。",
            items=[(lift_item, 0.0)], opens=now, closes=now + timedelta(days=14), status=BallotStatus.OPEN,
            participate_p=0.0, staff=staff, matter=MatterClass.REBUILD, entrance=lift_entrance)

    # planning: plan, public notice, one answered objection
    plan = Plan(project=project, title="嵩岳小区老旧小区改造实施方案", status=PlanStatus.APPROVED,
                summary="改造内容7项：天然气入户、楼体综合改造、内部道路沥青化、管线入地、雨污分流、视频监控、"
                        f"夜间照明；总投资约725.76万元；{_works_period(project.started_on, project.target_end_on)}。",
                notice_starts_on=d(2020, 6, 1), notice_days=7, approved_at=_at(d(2020, 6, 9), 10),
                approved_by_id=squad.id)
    db.session.add(plan)
    objector = reg.dwelling(1, 1, "102")
    plan.objections = [Objection(
        household_id=objector.id, author_name=reg.owner_of[id(objector)].name,
        content="方案中1号楼北侧新划的停车位离我家窗户太近，担心噪音和尾气，请调整。",
        submitted_at=_at(d(2020, 6, 3), 19, 20),
        answer="设计单位已现场复核，停车位整体北移3米，并增设绿篱隔离带，修改后图纸已在公示栏张贴。",
        answered_at=_at(d(2020, 6, 5), 16), answered_by_id=squad.id)]

    _transitions(project, [
        (None, Stage.WISH_SOLICITATION, _at(d(2020, 3, 6)), f"纳入郑州市{batch1.name}老旧小区改造计划"),
        (Stage.WISH_SOLICITATION, Stage.CONSULTATION, _at(d(2020, 4, 7), 10),
         f"意愿征集结束：{answered}户作答，{consenting}户同意改造，"
         f"同意率{consenting / len(reg.households) * 100:.1f}%，超过三分之二"),
        (Stage.CONSULTATION, Stage.PLANNING, _at(d(2020, 5, 11), 10),
         f"改造内容表决结束：{adopted}项通过，{len(content.passed) - adopted}项未通过"),
        (Stage.PLANNING, Stage.CONSTRUCTION, _at(d(2020, 6, 12), 10),
         "方案公示7天期满，1条异议已答复，方案已批准，施工单位进场"),
    ], squad)

    # construction: milestones, progress with photos, problems
    db.session.add_all([
        Milestone(project_id=project.id, title="进场开工", due_on=d(2020, 6, 15), done_on=d(2020, 6, 15)),
        Milestone(project_id=project.id, title="天然气入户通气", due_on=d(2020, 8, 31), done_on=d(2020, 8, 28)),
        Milestone(project_id=project.id, title="架空线缆入地完成", due_on=d(2020, 9, 15), done_on=d(2020, 9, 12)),
        Milestone(project_id=project.id, title="雨污分流管网完工", due_on=d(2020, 10, 20)),
        Milestone(project_id=project.id, title="楼体外立面改造完成", due_on=d(2020, 11, 15)),
        Milestone(project_id=project.id, title="道路沥青铺设完成", due_on=d(2020, 11, 30)),
        Milestone(project_id=project.id, title="竣工验收", due_on=d(2020, 12, 20)),
    ])
    _progress(project, rng, staff, {
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
    _problems(project, reg, d, users, {"builder": builder, "piper": piper}, {"gas": gas, "facade": facade,
                                                                          "sewer": sewer})

    # aftercare partners and facilities, Party branch
    _facilities(reg.compound)
    _party(project, rng, names, d)

    # the other compounds -------------------------------------------------------------------------
    _others(comm, batch1, batch2, cat, rng, names, receipts, users, d)
    _extensions(DemoContext(project=project, compound=reg.compound, users=users, d=d))
    db.session.commit()
    return True


@dataclass
class DemoContext:
    """What an area's demo module gets: 嵩岳小区's project and compound, the demo users by username, and
    ``d(y, m, day)`` which moves a story date (written in 2020) to the load day's timeline."""

    project: Project
    compound: Compound
    users: dict
    d: Callable[[int, int, int], date]


#: Areas that add their own demo records, each a module with ``load(ctx: DemoContext) -> None`` (flush only).
#: A module that does not exist yet is skipped.
DEMO_EXTENSIONS = ["renovation.org.demo", "renovation.construction.demo", "renovation.aftercare.demo",
                   "renovation.party.demo", "renovation.planning.demo", "renovation.voting.demo"]


def _extensions(ctx: "DemoContext") -> None:
    import importlib

    for name in DEMO_EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        module.load(ctx)


def _users(subs: dict, zy: District, reg: _Register) -> dict[str, User]:
    """The demo accounts (one password hash computed once: scrypt is slow by design)."""
    pw = generate_password_hash(DEMO_PASSWORD)
    resident_home = reg.dwelling(*RESIDENT_DWELLING)
    supervisor_home = reg.dwelling(*SUPERVISOR_DWELLING)
    specs = {
        "admin": dict(display_name="系统管理员", role=Role.ADMIN),
        "district": dict(display_name="郭振华（中原区）", role=Role.LEADER, district_id=zy.id),
        "leader": dict(display_name="赵立群（桐柏路街道党工委副书记）", role=Role.LEADER,
                       subdistrict_id=subs["桐柏路街道"].id),
        "jianshe": dict(display_name="钱淑敏（建设路街道）", role=Role.LEADER, subdistrict_id=subs["建设路街道"].id),
        "squad": dict(display_name="孙志远", role=Role.SQUAD),
        "squad2": dict(display_name="何晓燕", role=Role.SQUAD),
        "squad3": dict(display_name="宋卫东", role=Role.SQUAD),
        "resident": dict(display_name=reg.owner_of[id(resident_home)].name, role=Role.RESIDENT,
                         household_id=resident_home.id),
        "supervisor": dict(display_name=reg.owner_of[id(supervisor_home)].name, role=Role.SUPERVISOR,
                           household_id=supervisor_home.id),
    }
    users = {}
    for username, kw in specs.items():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, password_hash=pw, **kw)
            db.session.add(user)
        users[username] = user
    db.session.flush()
    return users


def _progress(project: Project, rng: random.Random, staff: list[User], series: dict) -> None:
    """Progress updates per item; the last update of each item carries a generated site photo."""
    from renovation.core.uploads import save_image

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
                                       created_at=_at(day, 17, rng.randrange(60))))
    db.session.add_all(rows)


def _problems(project: Project, reg: _Register, d: Callable[[int, int, int], date], users: dict, firms: dict,
              items: dict) -> None:
    """Problem reports of the works with their rectification steps (open and closed ones); ``d`` gives
    the moved story dates (:func:`_story_dates`)."""
    S = ProblemStatus
    squad, sup, res = users["squad"], users["supervisor"], users["resident"]

    def problem(title, desc, b, e, item, reporter, firm, created, deadline, steps):
        p = ProblemReport(project=project, title=title, description=desc,
                          building=reg.buildings[b - 1] if b else None,
                          entrance=reg.entrances[(b, e)] if b and e else None,
                          project_item_id=item.id if item else None, reporter=reporter, contractor=firm,
                          deadline=deadline, created_at=created, status=steps[-1][0] if steps else S.REPORTED)
        p.steps = [Rectification(to_status=st, note=note, user=u, at=at) for st, note, u, at in steps]
        if p.status is S.VERIFIED:
            p.closed_at = steps[-1][3]
        db.session.add(p)

    problem("5号楼2单元燃气表箱未固定", "楼道内新装燃气表箱仅用一颗螺丝固定，有晃动。", 5, 2, items["gas"], sup,
            firms["piper"], _at(d(2020, 8, 12), 10), d(2020, 8, 20), [
                (S.ASSIGNED, f"已交办施工单位，限{d(2020, 8, 20).month}月{d(2020, 8, 20).day}日前整改。", squad, _at(d(2020, 8, 12), 15)),
                (S.RECTIFIED, "施工单位已按规范重新固定表箱。", squad, _at(d(2020, 8, 17), 11)),
                (S.VERIFIED, "监督员现场核验，已整改到位。", sup, _at(d(2020, 8, 18), 9, 30))])
    problem("12号楼门前检查井周边积水", "雨污分流检查井比路面高，雨后门前积水，老人出行不便。", 12, 1, items["sewer"], res,
            firms["piper"], _at(d(2020, 10, 8), 19), d(2020, 10, 15), [
                (S.ASSIGNED, "已交办施工单位调整井盖标高。", squad, _at(d(2020, 10, 9), 9)),
                (S.RECTIFIED, "井盖标高已调整，周边重新找坡。", squad, _at(d(2020, 10, 14), 16))])
    problem("18号楼西侧外墙保温板粘贴不牢", "西山墙三层以上部分保温板空鼓，按压有松动。", 18, None, items["facade"], sup,
            firms["builder"], _at(d(2020, 10, 16), 10), d(2020, 10, 25), [
                (S.ASSIGNED, "已交办施工单位，监理单位旁站督促返工。", squad, _at(d(2020, 10, 16), 14))])
    problem("夜间施工噪音扰民", "22点以后仍有切割作业，影响休息。", 9, None, None, res, None,
            _at(d(2020, 10, 20), 22, 40), None, [])
    problem("施工材料占用消防通道", "16号楼北侧消防通道堆放脚手架钢管。", 16, None, items["facade"], sup, firms["builder"],
            _at(d(2020, 9, 22), 9), d(2020, 9, 24), [
                (S.ASSIGNED, "已交办施工单位当日清理。", squad, _at(d(2020, 9, 22), 10)),
                (S.RECTIFIED, "材料已清运。", squad, _at(d(2020, 9, 23), 17)),
                (S.REOPENED, "复查发现通道口仍有材料堆放，重新打开。", sup, _at(d(2020, 9, 25), 9))])


def _facilities(compound: Compound) -> None:
    """Partners and the facilities they brought (domain.md, the example compound)."""
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


def _party(project: Project, rng: random.Random, names: _Names, d: Callable[[int, int, int], date]) -> None:
    """The temporary Party branch, its members and weekly meetings (周例会), on moved story dates ``d``."""
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


def _others(comm: dict, batch1: Batch, batch2: Batch, cat: dict, rng: random.Random, names: _Names,
            receipts: _Receipts, users: dict, d: Callable[[int, int, int], date]) -> None:
    """Six smaller compounds at other stages, so that lists and dashboards are not empty; ``d`` gives the
    moved story dates (:func:`_story_dates`)."""
    squad, squad3 = users["squad"], users["squad3"]
    today = local_today()
    now = utcnow().replace(microsecond=0)
    comments = ["希望尽快改造。", "楼顶漏水严重。", "希望增加停车位。", "下水道经常堵。"]
    wanted = {cat["ZZ-FACADE"]: 0.6, cat["ZZ-RAINSEWER"]: 0.5, cat["ZZ-ASPHALT"]: 0.55, cat["ZZ-CABLES"]: 0.4,
              cat["ZZ-SECURITY"]: 0.45, cat["I-PARKING"]: 0.5, cat["ZZ-GREEN"]: 0.35}

    def project_for(reg, batch, stage, squad_user, created):
        p = Project(compound=reg.compound, batch=batch, name=f"{reg.compound.name}老旧小区改造", stage=stage,
                    created_at=created)
        db.session.add(p)
        db.session.flush()
        db.session.add(ProjectAssignment(project_id=p.id, user_id=squad_user.id, duty="专班成员"))
        return p

    def items_for(p, specs):
        return [_item(p, cat[code], name, i, qty=q, unit=u, price=pr, funding=[(FundingKind.CENTRAL_SUBSIDY, None)])
                for i, (code, name, q, u, pr) in enumerate(specs, start=1)]

    # wish solicitation, survey open since 10 days
    r = _build_compound(comm["西十里铺南社区"], "电缆厂家属院", "桐柏路88号", 1988, "CCAA", rng, names)
    p = project_for(r, batch2, Stage.WISH_SOLICITATION, squad, _at(today - timedelta(days=20)))
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(today - timedelta(days=20)), f"纳入{batch2.name}改造计划")],
                 squad)
    _wish_survey(p, r, rng, opened=now - timedelta(days=10), closed=None, respond_p=0.55, consent_p=0.9,
                 wanted=wanted, staff=[squad], comments=comments)

    # wish solicitation, just entered
    r = _build_compound(comm["绿东村社区"], "绿东村小区", "建设西路31号", 1992, "AAB", rng, names)
    p = project_for(r, batch2, Stage.WISH_SOLICITATION, squad3, _at(today - timedelta(days=5)))
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(today - timedelta(days=5)), f"纳入{batch2.name}改造计划")],
                 squad3)

    # consultation, candidates listed, no ballot yet
    r = _build_compound(comm["中原西路社区"], "棉纺西路12号院", "棉纺西路12号", 1990, "CCCA", rng, names)
    p = project_for(r, batch2, Stage.CONSULTATION, squad3, _at(d(2020, 7, 1)))
    _wish_survey(p, r, rng, opened=_at(d(2020, 7, 6)), closed=_at(d(2020, 7, 31), 18), respond_p=0.92,
                 consent_p=0.88, wanted=wanted, staff=[squad3], comments=comments)
    items_for(p, [("ZZ-FACADE", "楼体外立面改造", 6800, "m²", "55"), ("ZZ-RAINSEWER", "雨污分流", 520, "米", "270"),
                  ("ZZ-ASPHALT", "道路沥青化改造", 2600, "m²", "90"), ("I-PARKING", "停车位施划", 80, "个", "600")])
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(d(2020, 7, 1)), f"纳入{batch2.name}改造计划"),
                     (Stage.WISH_SOLICITATION, Stage.CONSULTATION, _at(d(2020, 8, 3)), "意愿征集同意率超过三分之二")],
                 squad3)

    # consultation, ballot open since 3 days
    r = _build_compound(comm["西站路社区"], "西站路6号院", "西站路6号", 1993, "CBCA", rng, names)
    p = project_for(r, batch2, Stage.CONSULTATION, squad3, _at(d(2020, 7, 1)))
    _wish_survey(p, r, rng, opened=_at(d(2020, 7, 6)), closed=_at(d(2020, 7, 31), 18), respond_p=0.9,
                 consent_p=0.86, wanted=wanted, staff=[squad3], comments=comments)
    its = items_for(p, [("ZZ-FACADE", "楼体外立面改造", 7600, "m²", "55"), ("ZZ-CABLES", "架空线缆入地", 900, "米", "150"),
                        ("ZZ-SECURITY", "安防设施", 24, "个", "1650")])
    db.session.flush()
    _ballot(p, r, rng, receipts, title="西站路6号院改造内容表决", items=[(i, 0.85) for i in its],
            opens=now - timedelta(days=3), closes=now + timedelta(days=11), status=BallotStatus.OPEN,
            participate_p=0.45, staff=[squad3], voted_until=now - timedelta(minutes=5))
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(d(2020, 7, 1)), f"纳入{batch2.name}改造计划"),
                     (Stage.WISH_SOLICITATION, Stage.CONSULTATION, _at(d(2020, 8, 3)), "意愿征集同意率超过三分之二")],
                 squad3)

    # planning: items adopted, plan under public notice with one objection not yet answered
    r = _build_compound(comm["百花社区"], "百花小区", "百花路17号", 1995, "CCCCCC", rng, names)
    p = project_for(r, batch2, Stage.PLANNING, squad3, _at(d(2020, 6, 20)))
    _wish_survey(p, r, rng, opened=_at(d(2020, 6, 22)), closed=_at(d(2020, 7, 15), 18), respond_p=0.93,
                 consent_p=0.9, wanted=wanted, staff=[squad3], comments=comments)
    its = items_for(p, [("ZZ-FACADE", "楼体外立面改造", 11800, "m²", "54"), ("ZZ-RAINSEWER", "雨污分流", 760, "米", "265"),
                        ("ZZ-ASPHALT", "道路沥青化改造", 3900, "m²", "88"), ("ZZ-GREEN", "绿地改造", 1500, "m²", "120")])
    db.session.flush()
    _ballot(p, r, rng, receipts, title="百花小区改造内容表决", items=[(i, 0.9) for i in its],
            opens=_at(d(2020, 7, 25)), closes=_at(d(2020, 8, 8), 20), status=BallotStatus.CLOSED,
            participate_p=0.85, staff=[squad3])
    plan = Plan(project=p, title="百花小区老旧小区改造实施方案", status=PlanStatus.NOTICE,
                notice_starts_on=today - timedelta(days=3), notice_days=7,
                summary="改造内容4项：外立面、雨污分流、道路沥青化、绿地改造。")
    plan.objections = [Objection(household_id=r.households[5].id, author_name=r.owner_of[id(r.households[5])].name,
                                 content="绿地改造后希望保留原有的几棵老槐树。", submitted_at=now - timedelta(days=1))]
    db.session.add(plan)
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(d(2020, 6, 20)), f"纳入{batch2.name}改造计划"),
                     (Stage.WISH_SOLICITATION, Stage.CONSULTATION, _at(d(2020, 7, 17)), "意愿征集同意率超过三分之二"),
                     (Stage.CONSULTATION, Stage.PLANNING, _at(d(2020, 8, 10)), "改造内容表决通过")], squad3)

    # aftercare: all done and accepted
    r = _build_compound(comm["秦岭路社区"], "秦岭路3号院", "秦岭路3号", 1991, "CCCCCCCC", rng, names)
    p = project_for(r, batch1, Stage.AFTERCARE, squad3, _at(d(2020, 3, 10)))
    p.started_on, p.target_end_on = d(2020, 6, 1), d(2020, 9, 30)
    _wish_survey(p, r, rng, opened=_at(d(2020, 3, 12)), closed=_at(d(2020, 4, 5), 18), respond_p=0.96,
                 consent_p=0.93, wanted=wanted, staff=[squad3], comments=comments)
    builder = Contractor(project_id=p.id, name="郑州秦峰建筑工程有限公司", kind=ContractorKind.CONSTRUCTION,
                         contact_name=names.person(), contact_phone=names.phone())
    db.session.add(builder)
    its = items_for(p, [("ZZ-FACADE", "楼体外立面改造", 15600, "m²", "52"), ("ZZ-CABLES", "架空线缆入地", 1600, "米", "145"),
                        ("ZZ-ASPHALT", "道路沥青化改造", 5200, "m²", "86"), ("ZZ-PARTY", "党群服务室", 1, "处", "180000")])
    for i in its:
        i.contractor = builder
        i.progress_percent, i.progress_status = 100, ProgressStatus.ACCEPTED
        i.planned_start, i.planned_end = d(2020, 6, 1), d(2020, 9, 30)
    db.session.flush()
    _ballot(p, r, rng, receipts, title="秦岭路3号院改造内容表决", items=[(i, 0.92) for i in its],
            opens=_at(d(2020, 4, 15)), closes=_at(d(2020, 4, 30), 20), status=BallotStatus.CLOSED,
            participate_p=0.87, staff=[squad3])
    db.session.add_all([
        Plan(project=p, title="秦岭路3号院老旧小区改造实施方案", status=PlanStatus.APPROVED,
             notice_starts_on=d(2020, 5, 10), notice_days=7, approved_at=_at(d(2020, 5, 20)),
             approved_by_id=squad3.id, summary="改造内容4项，总投资约236万元。"),
        Acceptance(project_id=p.id, accepted_on=d(2020, 10, 9), passed=True, recorded_by_id=squad3.id,
                   recorded_at=_at(d(2020, 10, 9), 16),
                   participants="建设单位：秦岭路街道办事处\n施工单位：郑州秦峰建筑工程有限公司\n"
                                "设计单位：郑州华筑建筑设计有限公司\n监理单位：郑州正衡工程监理有限公司\n"
                                "社区：秦岭路社区\n居民代表：3人",
                   note="各项改造内容符合设计要求，验收合格。"),
        Facility(compound_id=r.compound.id, name="秦岭路3号院党群服务室", kind="党群服务", area=Decimal("85.00"),
                 provision="议事、阅览、居民活动"),
    ])
    _transitions(p, [(None, Stage.WISH_SOLICITATION, _at(d(2020, 3, 10)), f"纳入郑州市{batch1.name}老旧小区改造计划"),
                     (Stage.WISH_SOLICITATION, Stage.CONSULTATION, _at(d(2020, 4, 8)), "意愿征集同意率超过三分之二"),
                     (Stage.CONSULTATION, Stage.PLANNING, _at(d(2020, 5, 4)), "改造内容表决通过"),
                     (Stage.PLANNING, Stage.CONSTRUCTION, _at(d(2020, 5, 25)), "方案已批准"),
                     (Stage.CONSTRUCTION, Stage.AFTERCARE, _at(d(2020, 10, 12)), "竣工验收合格，进入长效管理")], squad3)
