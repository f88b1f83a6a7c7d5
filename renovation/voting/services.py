"""Write-side operations on ballots and votes (内容协商), and the read model of their tallies.

Services take the acting user, flush (never commit), write an audit row per state change, and raise
PermissionDenied / DomainError with messages in the reader's language (Chinese sources). The tally itself
is pure: renovation.voting.rules.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.db import lock_row, utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import DEFAULT_LOCALE, current_language
from renovation.extensions import db
from renovation.org.models import Building, Entrance, Household, HouseholdStatus
from renovation.projects.access import can_act_for_household, can_edit_project, can_view_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.voting import rules
from renovation.voting.models import (
    Ballot,
    BallotElector,
    BallotItem,
    BallotObjection,
    BallotScope,
    BallotStatus,
    Choice,
    MatterClass,
    Vote,
    VoteChoice,
)
from renovation.wishes.models import Channel

RACE_MESSAGE = _l("该户的选票刚刚已被提交（可能重复点击了提交），请返回投票页查看回执，如需修改请重新提交。")


def ballot_rule(ballot: Ballot) -> rules.Rule:
    """The rule stored on ``ballot`` as a rules.Rule (quorum, approval, strictness, source)."""
    from fractions import Fraction

    return rules.Rule(quorum=Fraction(ballot.quorum_num, ballot.quorum_den),
                      approval=Fraction(ballot.approval_num, ballot.approval_den),
                      approval_strict=ballot.approval_strict, source=ballot.rule_source)


def project_ballots(project: Project) -> list[Ballot]:
    """The project's ballots, newest first, with items and scope loaded (four statements in all)."""
    return list(db.session.scalars(
        select(Ballot).options(selectinload(Ballot.items), selectinload(Ballot.scope_buildings),
                               selectinload(Ballot.scope_entrance).joinedload(Entrance.building))
        .where(Ballot.project_id == project.id).order_by(Ballot.id.desc())))


def create_ballot(user: User, project: Project, *, title: str, item_ids: list[int],
                  matter_class: MatterClass = MatterClass.ORDINARY, scope: BallotScope = BallotScope.COMPOUND,
                  building_ids: list[int] | None = None, entrance_id: int | None = None,
                  closes_at: datetime | None = None, description: str | None = None) -> Ballot:
    """Create a draft ballot on candidate ProjectItems of ``project``, its rule set from ``matter_class``
    (民法典 art. 278: ordinary > 1/2, special >= 3/4, quorum 2/3).

    ``scope``: whole compound, some buildings (``building_ids``) or one entrance (``entrance_id``, e.g. a
    lift decided by that stairwell only). ``closes_at``: aware datetime after which votes are refused.
    Raises PermissionDenied (not squad/admin of the project) or DomainError (no items, an item not a
    candidate of this project, buildings/entrance not in the compound, closing time in the past).
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以发起表决。"))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("请填写表决标题。"))
    wanted = list(dict.fromkeys(item_ids))
    if not wanted:
        raise DomainError(_("请至少选择一项候选改造内容。"))
    items = {i.id: i for i in db.session.scalars(select(ProjectItem).where(
        ProjectItem.id.in_(wanted), ProjectItem.project_id == project.id,
        ProjectItem.status == ProjectItemStatus.CANDIDATE))}
    if len(items) != len(wanted):
        raise DomainError(_("所选内容不是本项目的候选改造内容。"))
    if closes_at is not None and closes_at <= utcnow():
        raise DomainError(_("截止时间不能早于现在。"))
    rule = rules.default_rule(matter_class.value)
    ballot = Ballot(project_id=project.id, title=title, description=(description or "").strip() or None,
                    matter_class=matter_class, scope=scope, status=BallotStatus.DRAFT, closes_at=closes_at,
                    quorum_num=rule.quorum.numerator, quorum_den=rule.quorum.denominator,
                    approval_num=rule.approval.numerator, approval_den=rule.approval.denominator,
                    approval_strict=rule.approval_strict, rule_source=rule.source, hide_tally=True)
    if scope is BallotScope.BUILDINGS:
        buildings = list(db.session.scalars(select(Building).where(
            Building.id.in_(building_ids or []), Building.compound_id == project.compound_id)))
        if not buildings or len(buildings) != len(set(building_ids or [])):
            raise DomainError(_("请选择本小区的楼栋。"))
        ballot.scope_buildings = buildings
    elif scope is BallotScope.ENTRANCE:
        entrance = db.session.get(Entrance, entrance_id) if entrance_id else None
        if entrance is None or entrance.building.compound_id != project.compound_id:
            raise DomainError(_("请选择本小区的单元。"))
        ballot.scope_entrance_id = entrance.id
    ballot.items = [BallotItem(project_item_id=pid, title=items[pid].name, sort_order=n)
                    for n, pid in enumerate(wanted)]
    db.session.add(ballot)
    db.session.flush()
    audit.record(user, "ballot.create", ballot, after={
        "title": title, "matter_class": matter_class.value, "scope": scope.value, "items": wanted,
        "rule": f"{rule.quorum}/{rule.approval}{'>' if rule.approval_strict else '>='}"}, project_id=project.id)
    return ballot


def open_ballot(user: User, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Open a draft ballot for votes. Raises PermissionDenied or DomainError (not a draft, closing time passed)."""
    now = now or utcnow()
    if not can_edit_project(user, ballot.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以开始表决。"))
    if ballot.status is not BallotStatus.DRAFT:
        raise DomainError(_("只有草稿状态的表决可以开始。"))
    if ballot.closes_at is None:
        raise DomainError(_("请先设置截止时间，再开始表决。"))
    if ballot.closes_at <= now:
        raise DomainError(_("截止时间已过，不能开始表决。"))
    clash = _open_ballot_on_same_matter(ballot)
    if clash is not None:
        raise DomainError(_("“%(title)s”正在就相同内容表决，且涉及相同的房屋；请先结束该表决，避免同一事项重复表决。",
                            title=clash.title))
    ballot.status = BallotStatus.OPEN
    ballot.opens_at = now
    audit.record(user, "ballot.open", ballot, before={"status": "draft"}, after={"status": "open"})
    db.session.flush()
    return ballot


def _open_ballot_on_same_matter(ballot: Ballot) -> Ballot | None:
    """Another OPEN ballot of the project on one of ``ballot``'s items whose voters overlap, or None.

    Two entrances may vote on 加装电梯 at once (no household in both); the same households may not be asked
    the same question twice at once.
    """
    item_ids = {i.project_item_id for i in ballot.items if i.project_item_id}
    if not item_ids:
        return None
    others = db.session.scalars(
        select(Ballot).join(BallotItem, BallotItem.ballot_id == Ballot.id)
        .where(Ballot.project_id == ballot.project_id, Ballot.status == BallotStatus.OPEN, Ballot.id != ballot.id,
               BallotItem.project_item_id.in_(item_ids)).distinct()).all()
    if not others:
        return None
    mine = {h.id for h in eligible_households(ballot)}
    return next((o for o in others if mine & {h.id for h in eligible_households(o)}), None)


def eligible_households(ballot: Ballot) -> list[Household]:
    """The households entitled to vote on ``ballot``: active households of the compound, narrowed to the
    ballot's buildings or entrance, with building and entrance loaded (labels). One statement."""
    stmt = select(Household).options(joinedload(Household.building), joinedload(Household.entrance)).where(Household.compound_id == ballot.project.compound_id,
                                   Household.status == HouseholdStatus.ACTIVE).order_by(Household.id)
    if ballot.scope is BallotScope.BUILDINGS:
        stmt = stmt.where(Household.building_id.in_([b.id for b in ballot.scope_buildings]))
    elif ballot.scope is BallotScope.ENTRANCE:
        stmt = stmt.where(Household.entrance_id == ballot.scope_entrance_id)
    return list(db.session.scalars(stmt))


def is_eligible(ballot: Ballot, household: Household) -> bool:
    """True if ``household`` is entitled to vote on ``ballot`` (active, in the compound and the scope)."""
    if household.status is not HouseholdStatus.ACTIVE or household.compound_id != ballot.project.compound_id:
        return False
    if ballot.scope is BallotScope.BUILDINGS:
        return household.building_id in {b.id for b in ballot.scope_buildings}
    if ballot.scope is BallotScope.ENTRANCE:
        return household.entrance_id == ballot.scope_entrance_id
    return True


def scope_label(ballot: Ballot) -> str:
    """'全小区', '1号楼、2号楼' or '1号楼2单元': who may vote, in the reader's language (building and entrance
    numbers are data, shown as registered)."""
    if ballot.scope is BallotScope.BUILDINGS:
        separator = "、" if current_language() == DEFAULT_LOCALE else ", "
        return separator.join(b.number for b in ballot.scope_buildings)
    if ballot.scope is BallotScope.ENTRANCE and ballot.scope_entrance is not None:
        return f"{ballot.scope_entrance.building.number}{ballot.scope_entrance.number}"
    return _("全小区")


def current_vote(ballot: Ballot, household_id: int) -> Vote | None:
    """The household's current vote on ``ballot`` (choices loaded), or None."""
    return db.session.scalar(select(Vote).options(selectinload(Vote.choices)).where(
        Vote.ballot_id == ballot.id, Vote.household_id == household_id, Vote.is_current.is_(True)))


def is_open_for_votes(ballot: Ballot, now: datetime | None = None) -> bool:
    """True if the ballot is open and its closing time (if any) has not passed."""
    now = now or utcnow()
    return ballot.status is BallotStatus.OPEN and (ballot.closes_at is None or now < ballot.closes_at)


def _new_receipt_code() -> str:
    for _attempt in range(10):
        code = rules.new_receipt_code()
        if db.session.scalar(select(Vote.id).where(Vote.receipt_code == code)) is None:
            return code
    raise DomainError(_("生成回执码失败，请重试。"))  # pragma: no cover - 10 collisions in 8.5e11 codes


def check_vote_allowed(user: User, ballot: Ballot, household: Household, channel: Channel,
                       now: datetime | None = None) -> None:
    """Raise unless ``user`` may vote now for ``household`` on ``ballot`` by ``channel`` (writes nothing).

    PermissionDenied: online for another household than the user's own, paper or proxy entered by a
    non-squad user. DomainError: ballot not open or its closing time passed, household outside the scope.
    """
    now = now or utcnow()
    if channel is Channel.ONLINE:
        if not can_act_for_household(user, household):
            raise PermissionDenied(_("您只能为自己的房屋投票。"))
    elif channel is Channel.PAPER:
        if not can_edit_project(user, ballot.project):
            raise PermissionDenied(_("只有本项目的专班成员或管理员可以录入纸质选票。"))
    elif not can_edit_project(user, ballot.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以录入委托投票。"))
    if ballot.status is BallotStatus.DRAFT:
        raise DomainError(_("表决尚未开始，暂不能投票。"))
    if not is_open_for_votes(ballot, now):
        raise DomainError(_("表决已结束，不能再投票或修改。"))
    if not is_eligible(ballot, household):
        raise DomainError(_("%(household)s 不在本次表决的范围（%(scope)s）内，不能投票。", household=household.label,
                            scope=scope_label(ballot)))


def _lock_ballot(ballot: Ballot) -> None:
    """Serialise the votes of one ballot until commit (core.db.lock_row: FOR UPDATE on PostgreSQL, the write
    lock taken first on SQLite), then re-read the ballot so a close that got in first is seen."""
    lock_row(db.session, Ballot, ballot.id)
    db.session.refresh(ballot)


def cast_vote(user: User, ballot: Ballot, household: Household, choices: dict[int, Choice], *,
              channel: Channel = Channel.ONLINE, scan_upload_id: int | None = None,
              proxy_name: str | None = None, letter_upload_id: int | None = None,
              now: datetime | None = None) -> Vote:
    """Record ``household``'s vote on ``ballot``: one choice per ballot item (``choices`` maps
    BallotItem.id -> Choice). One household, one current vote: a new vote supersedes the current one
    (is_current False, superseded_at set); every version is kept. The vote gets a receipt code and a
    record_hash chained to the previous Vote of the ballot (rules.vote_record_hash).

    Online: only the resident bound to the household. Paper: a squad member of the project or an
    administrator, for any eligible household (``scan_upload_id`` optional). Proxy (委托投票): entered by
    the squad for the delegate ``proxy_name`` with the signed authorisation letter ``letter_upload_id``
    (both required). Raises PermissionDenied (nothing written), or DomainError when the ballot is not open
    or its closing time passed, the household is outside the scope, the choices do not match the items, a
    proxy vote lacks its delegate or letter, or a concurrent submission won the race (rolled back).
    The cast time is taken after the ballot lock (unless ``now`` is given), so that cast_at and the
    superseded_at of the previous version follow the order of the hash chain.
    """
    given_now = now
    check_vote_allowed(user, ballot, household, channel, given_now or utcnow())
    proxy_name = (proxy_name or "").strip() or None
    if channel is Channel.PROXY and proxy_name is None:
        raise DomainError(_("请填写受托人姓名。"))
    if channel is Channel.PROXY and letter_upload_id is None:
        raise DomainError(_("请上传业主签字的授权委托书。"))
    # Serialise votes of one ballot: keeps the hash chain linear and makes a double submit supersede
    # instead of colliding. Re-read the status under the lock.
    _lock_ballot(ballot)
    now = given_now or utcnow()
    check_vote_allowed(user, ballot, household, channel, now)
    item_ids = {i.id for i in ballot.items}
    if set(choices) != item_ids or not all(isinstance(c, Choice) for c in choices.values()):
        raise DomainError(_("请对每一项都选择“同意”“反对”或“弃权”。"))

    old = current_vote(ballot, household.id)
    prev = db.session.scalar(select(Vote).where(Vote.ballot_id == ballot.id).order_by(Vote.id.desc()).limit(1))
    try:
        if old is not None:
            old.is_current = False
            old.superseded_at = now
            db.session.flush()
        code = _new_receipt_code()
        prev_hash = prev.record_hash if prev is not None else None
        vote = Vote(ballot_id=ballot.id, household_id=household.id, channel=channel, entered_by_id=user.id,
                    cast_at=now, is_current=True, receipt_code=code, scan_upload_id=scan_upload_id,
                    proxy_name=proxy_name if channel is Channel.PROXY else None,
                    letter_upload_id=letter_upload_id if channel is Channel.PROXY else None, prev_hash=prev_hash)
        vote.choices = [VoteChoice(ballot_item_id=iid, choice=c) for iid, c in sorted(choices.items())]
        vote.record_hash = rules.vote_record_hash(
            prev_hash, ballot_id=ballot.id, household_id=household.id, channel=channel.value,
            cast_at_iso=rules.iso_utc(now), receipt_code=code,
            choices={iid: c.value for iid, c in choices.items()})
        db.session.add(vote)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(RACE_MESSAGE) from None
    audit.record(user, "vote.change" if old is not None else "vote.cast", vote,
                 before={"vote_id": old.id, "receipt": old.receipt_code} if old is not None else None,
                 after={"household_id": household.id, "channel": channel.value, "receipt": code,
                        "choices": {str(k): v.value for k, v in sorted(choices.items())}},
                 project_id=ballot.project_id)
    return vote


def freeze_electorate(ballot: Ballot) -> int:
    """Write ``ballot``'s electorate as BallotElector rows (household, owner id as headcount key, area m²
    as registered now) from the households now entitled to vote (eligible_households). Flushes; returns
    the number of rows. Called by close_ballot in its transaction (and by the demo for closed ballots
    built directly). Raises DomainError if the ballot already has its electorate."""
    if db.session.scalar(select(BallotElector.id).where(BallotElector.ballot_id == ballot.id).limit(1)):
        raise DomainError(_("该表决的表决权人名单已经固定。"))
    rows = [BallotElector(ballot_id=ballot.id, household_id=h.id, owner_id=h.owner_id, area=h.area)
            for h in eligible_households(ballot)]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def ballot_dwellings(ballot: Ballot) -> list[rules.Dwelling]:
    """The dwellings a tally of ``ballot`` counts (rules.Dwelling: household id, owner id, area m²).

    A CLOSED ballot counts its electorate frozen at close (BallotElector), whatever happened to the
    roster since (move-outs, imports, corrected areas or owners); an open or draft ballot (or a closed
    one without a frozen electorate, closed before it existed) the live roster (eligible_households).
    One statement."""
    if ballot.status is BallotStatus.CLOSED:
        frozen = [rules.Dwelling(hid, oid, area) for hid, oid, area in db.session.execute(
            select(BallotElector.household_id, BallotElector.owner_id, BallotElector.area)
            .where(BallotElector.ballot_id == ballot.id).order_by(BallotElector.household_id))]
        if frozen:
            return frozen
    return [rules.Dwelling(h.id, h.owner_id, h.area) for h in eligible_households(ballot)]


def ballot_tallies(ballot: Ballot) -> list[tuple[BallotItem, rules.ItemTally]]:
    """The art. 278 tally of each item of ``ballot`` over its dwellings (frozen at close for a closed
    ballot, see ballot_dwellings) and current votes (no vote can change after close). Three statements
    whatever the number of households."""
    dwellings = ballot_dwellings(ballot)
    votes = list(db.session.scalars(select(Vote).options(selectinload(Vote.choices)).where(
        Vote.ballot_id == ballot.id, Vote.is_current.is_(True))))
    per_item: dict[int, dict[int, str]] = {i.id: {} for i in ballot.items}
    for v in votes:
        for c in v.choices:
            per_item.setdefault(c.ballot_item_id, {})[v.household_id] = c.choice.value
    rule = ballot_rule(ballot)
    return [(item, rules.tally_item(dwellings, per_item[item.id], rule)) for item in ballot.items]


def close_ballot(user: User, ballot: Ballot, now: datetime | None = None) -> list[tuple[BallotItem, rules.ItemTally]]:
    """Close an open ballot, freeze its electorate (freeze_electorate: later roster changes do not move
    its figures), tally it and set each item's ProjectItem.status to ADOPTED or REJECTED.

    Returns the tallies. Raises PermissionDenied or DomainError (ballot not open).
    """
    if not can_edit_project(user, ballot.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以结束表决。"))
    if ballot.status is not BallotStatus.OPEN:
        raise DomainError(_("只有进行中的表决可以结束。"))
    db.session.execute(select(Ballot).where(Ballot.id == ballot.id).with_for_update()
                       .execution_options(populate_existing=True))
    if ballot.status is not BallotStatus.OPEN:
        raise DomainError(_("只有进行中的表决可以结束。"))
    ballot.status = BallotStatus.CLOSED
    ballot.closes_at = min(ballot.closes_at, now or utcnow()) if ballot.closes_at else (now or utcnow())
    electors = freeze_electorate(ballot)
    tallies = ballot_tallies(ballot)
    results = {}
    for item, tally in tallies:
        if item.project_item is not None:
            item.project_item.status = ProjectItemStatus.ADOPTED if tally.passed else ProjectItemStatus.REJECTED
        results[str(item.id)] = {"passed": tally.passed, "reason": tally.reason}
    audit.record(user, "ballot.close", ballot, before={"status": "open"},
                 after={"status": "closed", "electors": electors, "results": results})
    db.session.flush()
    return tallies


def can_see_tally(user: User, ballot: Ballot) -> bool:
    """Running tallies: after close everyone who can read the project; while open only the squad,
    administrators and leaders (residents only if the ballot does not hide its tally)."""
    if ballot.status is BallotStatus.CLOSED:
        return True
    if ballot.status is BallotStatus.DRAFT:
        return False
    return not user.is_resident_like() or not ballot.hide_tally


def can_view_receipt(user: User, vote: Vote) -> bool:
    """The household's own resident, or anyone who may edit the project (squad/admin)."""
    return (user.is_resident_like() and user.household_id == vote.household_id
            and can_view_project(user, vote.ballot.project)) or can_edit_project(user, vote.ballot.project)


def verify_chain(ballot: Ballot) -> int | None:
    """The id of the first Vote of ``ballot`` whose hash link is broken (changed, deleted or inserted
    records), or None if the chain holds. Two statements."""
    votes = db.session.scalars(select(Vote).options(selectinload(Vote.choices))
                               .where(Vote.ballot_id == ballot.id).order_by(Vote.id))
    records = [rules.VoteRecord(
        id=v.id, prev_hash=v.prev_hash, record_hash=v.record_hash, ballot_id=v.ballot_id,
        household_id=v.household_id, channel=v.channel.value, cast_at_iso=rules.iso_utc(v.cast_at),
        receipt_code=v.receipt_code, choices={c.ballot_item_id: c.choice.value for c in v.choices})
        for v in votes]
    return rules.first_broken_link(records)


# --- receipts, publication of results, objections ------------------------------------------------------


def normalise_receipt_code(code: str) -> str:
    """'ab cd-2345' -> 'ABCD2345': spaces and dashes dropped, capitals (read aloud, typed on a phone)."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


def find_receipt(user: User, code: str) -> Vote | None:
    """The vote version with receipt ``code`` if ``user`` may see it (its household's resident, or the
    project's squad/administrators), else None: others learn nothing, not even that the code exists."""
    code = normalise_receipt_code(code)
    if len(code) != rules.RECEIPT_LENGTH:
        return None
    vote = db.session.scalar(select(Vote).options(selectinload(Vote.choices)).where(Vote.receipt_code == code))
    if vote is None or not can_view_receipt(user, vote):
        return None
    return vote


#: Default public notice period of a ballot's results (结果公示), in days (local practice: 7 days).
RESULT_NOTICE_DAYS = 7


def publish_results(user: User, ballot: Ballot, notice_days: int = RESULT_NOTICE_DAYS,
                    now: datetime | None = None) -> Ballot:
    """Publish the results of a closed ballot (结果公示) for ``notice_days`` days (1-30), during which
    owners may object. Raises PermissionDenied, or DomainError (not closed, already published, bad days)."""
    now = now or utcnow()
    if not can_edit_project(user, ballot.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以公示表决结果。"))
    if ballot.status is not BallotStatus.CLOSED:
        raise DomainError(_("表决结束后才能公示结果。"))
    if ballot.published_at is not None:
        raise DomainError(_("表决结果已经公示。"))
    if not 1 <= int(notice_days) <= 30:
        raise DomainError(_("公示期应为1到30天。"))
    ballot.published_at = now
    ballot.notice_days = int(notice_days)
    ballot.notice_ends_at = now + timedelta(days=int(notice_days))
    results = {str(item.id): {"passed": t.passed, "reason": t.reason} for item, t in ballot_tallies(ballot)}
    audit.record(user, "ballot.publish", ballot, after={"notice_days": ballot.notice_days,
                                                        "notice_ends_at": ballot.notice_ends_at.isoformat(),
                                                        "results": results})
    db.session.flush()
    return ballot


def is_in_notice(ballot: Ballot, now: datetime | None = None) -> bool:
    """True while the published results are in their public notice period (objections accepted)."""
    now = now or utcnow()
    return ballot.published_at is not None and ballot.notice_ends_at is not None and now < ballot.notice_ends_at


def ballot_objections(ballot: Ballot) -> list[BallotObjection]:
    """The objections to ``ballot``'s results, oldest first, with household and answerer loaded."""
    return list(db.session.scalars(select(BallotObjection).options(
        joinedload(BallotObjection.household).joinedload(Household.building),
        joinedload(BallotObjection.household).joinedload(Household.entrance),
        joinedload(BallotObjection.answered_by)).where(BallotObjection.ballot_id == ballot.id)
        .order_by(BallotObjection.id)))


def can_object(user: User, ballot: Ballot) -> bool:
    """True if ``user`` may object to ``ballot``'s results: a resident (or supervisor) of its compound."""
    household = user.household if user.is_resident_like() else None
    return household is not None and household.compound_id == ballot.project.compound_id


def submit_objection(user: User, ballot: Ballot, content: str, now: datetime | None = None) -> BallotObjection:
    """A resident of the compound objects to the published results during the notice period.

    Raises PermissionDenied (not a resident of the compound) or DomainError (not published, notice
    period over, empty or over 1,000 characters)."""
    now = now or utcnow()
    if not can_object(user, ballot):
        raise PermissionDenied(_("只有本小区的业主可以对表决结果提出异议。"))
    household = user.household
    if ballot.published_at is None:
        raise DomainError(_("表决结果尚未公示。"))
    if not is_in_notice(ballot, now):
        raise DomainError(_("公示期已结束，不能再提出异议。"))
    content = (content or "").strip()
    if not content or len(content) > 1000:
        raise DomainError(_("请填写异议内容（不超过1000字）。"))
    objection = BallotObjection(ballot_id=ballot.id, household_id=household.id, author_id=user.id,
                                author_name=household.voter_name or user.display_name, content=content,
                                submitted_at=now)
    db.session.add(objection)
    db.session.flush()
    audit.record(user, "ballot.objection", objection, after={"ballot_id": ballot.id, "household_id": household.id},
                 project_id=ballot.project_id)
    return objection


def answer_objection(user: User, objection: BallotObjection, answer: str, now: datetime | None = None) -> BallotObjection:
    """The squad answers an objection (the answer is shown to everyone who can read the ballot).

    Raises PermissionDenied or DomainError (already answered, empty answer)."""
    ballot = objection.ballot
    if not can_edit_project(user, ballot.project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以答复异议。"))
    if objection.answer:
        raise DomainError(_("该异议已经答复。"))
    answer = (answer or "").strip()
    if not answer or len(answer) > 2000:
        raise DomainError(_("请填写答复内容（不超过2000字）。"))
    objection.answer = answer
    objection.answered_at = now or utcnow()
    objection.answered_by_id = user.id
    audit.record(user, "ballot.objection_answer", objection, after={"answer": answer[:200]},
                 project_id=ballot.project_id)
    db.session.flush()
    return objection
