"""Demo ballots (内容协商): votes chained by record hash, with receipts, generated from the shared
``random.Random``: 嵩岳小区's closed content ballot and its open lift ballot of 3号楼2单元, and ``make_ballot()``
for the other compounds' ballots; then, once every area has added its records, the frozen electorate of
the closed ballots.

The closed ballots are built directly (not through close_ballot), so their electorate (BallotElector) is
written by :func:`load`, from the households active at load. Called by renovation.demo.load_demo;
flushes only.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, insert, select

from renovation.accounts.models import User
from renovation.core.db import utcnow
from renovation.extensions import db
from renovation.org.demo import LIFT_ENTRANCE, Register
from renovation.org.models import Entrance, Household, OwnerType
from renovation.projects.demo import at, between
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.voting.models import (
    Ballot,
    BallotElector,
    BallotItem,
    BallotScope,
    BallotStatus,
    Choice,
    MatterClass,
    Vote,
    VoteChoice,
)
from renovation.voting.rules import RECEIPT_ALPHABET, RECEIPT_LENGTH, iso_utc, vote_record_hash
from renovation.voting.services import freeze_electorate
from renovation.wishes.models import Channel

#: 嵩岳小区's content ballot: item key (renovation/planning/demo.py) -> probability of 'agree'.
SONGYUE_AGREE = {"gas": 0.95, "facade": 0.9, "road": 0.93, "cables": 0.87, "sewer": 0.89, "cctv": 0.85,
                 "light": 0.92, "parking": 0.36}


@dataclass
class BallotResult:
    """A ballot just made: its row, votes (versions included), households that voted, and whether each
    ballot item (by id) passed under the tally."""

    ballot: Ballot
    votes: int
    households_voted: int
    passed: dict[int, bool]  # ballot item id -> passed


class Receipts:
    """Unique receipt codes in the voting module's alphabet (digits and capitals without look-alikes)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        """A receipt code of RECEIPT_LENGTH characters not handed out before."""
        while True:
            code = "".join(self.rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            if code not in self.used:
                self.used.add(code)
                return code


def _tally(reg: Register, eligible: list[Household], current: dict[int, dict[int, str]], item_id: int,
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


def make_ballot(project: Project, reg: Register, rng: random.Random, receipts: Receipts, *, title: str,
                items: list[tuple[ProjectItem, float]], opens: datetime, closes: datetime, status: BallotStatus,
                participate_p: float, staff: list[User], changes: int = 0, description: str | None = None,
                matter: MatterClass = MatterClass.ORDINARY, entrance: Entrance | None = None,
                voted_until: datetime | None = None, skip: tuple[Household, ...] = ()) -> BallotResult:
    """A ballot on ``items`` (project item, probability of 'agree') with votes chained by record hash.

    Each owner takes part with probability ``participate_p``; every dwelling of an owner who takes part
    votes alike. ``changes`` voters first cast another vote that they later change (the old version
    stays, not current). A closed ballot sets each project item's status from the tally. Votes are
    inserted in cast order, so id order is the chain order.
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
            records.append([between(rng, opens, end), h, choices, channel, proxy])
    # some voters changed their vote while the ballot was open: an earlier, different version first
    earlier = []
    for rec in rng.sample(records, min(changes, len(records))):
        first = {k: rng.choice([Choice.AGAINST, Choice.ABSTAIN]).value for k in rec[2]}
        rec[0] = max(rec[0], opens + timedelta(hours=30))
        earlier.append([between(rng, opens, rec[0] - timedelta(hours=6)), rec[1], first, Channel.ONLINE, None,
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
    return BallotResult(ballot, len(votes), len(records), passed)


def songyue_ballots(project: Project, reg: Register, rng: random.Random, receipts: Receipts,
                    d: Callable[[int, int, int], date], items: dict[str, ProjectItem],
                    staff: list[User]) -> BallotResult:
    """嵩岳小区's two ballots; returns the content ballot's result.

    The closed content ballot (ORDINARY, whole compound, 2020-04-20 to 05-06 on story dates, 12 changed
    votes) on the eight candidate items of :data:`SONGYUE_AGREE`; the open lift ballot of 3号楼2单元
    (REBUILD: 3/4 approval), opening now for 14 days, in which nobody (the demo resident included) has
    voted yet. ``items`` are the project items by key (renovation/planning/demo.py).
    """
    content = make_ballot(project, reg, rng, receipts, title="嵩岳小区改造内容表决",
                          description="对意愿征集汇总形成的8项候选改造内容逐项表决（民法典第二百七十八条：双三分之二参与，"
                                      "参与表决者双过半同意）。",
                          items=[(items[key], p) for key, p in SONGYUE_AGREE.items()],
                          opens=at(d(2020, 4, 20), 8), closes=at(d(2020, 5, 6), 20), status=BallotStatus.CLOSED,
                          participate_p=0.88, staff=staff, changes=12)
    now = utcnow().replace(microsecond=0)
    make_ballot(project, reg, rng, receipts, title="3号楼2单元加装电梯表决",
                description="仅由3号楼2单元业主表决（地方做法）；属改建建筑物及其附属设施，"
                            "需参与表决的专有面积和人数均达四分之三以上同意。",
                items=[(items["lift"], 0.0)], opens=now, closes=now + timedelta(days=14),
                status=BallotStatus.OPEN, participate_p=0.0, staff=staff, matter=MatterClass.REBUILD,
                entrance=reg.entrances[LIFT_ENTRANCE])
    return content


def load(ctx) -> None:
    """Freeze the electorate of every CLOSED ballot lacking one (all projects of the demo). Flush only."""
    del ctx  # every closed ballot, not only 嵩岳小区's
    lacking = db.session.scalars(select(Ballot).where(
        Ballot.status == BallotStatus.CLOSED,
        ~exists().where(BallotElector.ballot_id == Ballot.id)).order_by(Ballot.id)).all()
    for ballot in lacking:
        freeze_electorate(ballot)
