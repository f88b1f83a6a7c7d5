"""Ballots (内容协商) before their votes: creating a draft on candidate items with its rule (民法典 art. 278),
opening it, and who may vote on it (its scope: the compound, some buildings or one entrance).

Services take the acting user, flush (never commit), write an audit row per state change, and raise
PermissionDenied / DomainError with messages in the reader's language (Chinese sources).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import DEFAULT_LOCALE, current_language
from renovation.extensions import db
from renovation.org.models import Building, Entrance, Household, HouseholdStatus
from renovation.projects.access import can_edit_project
from renovation.projects.models import Project, ProjectItem, ProjectItemStatus
from renovation.voting import rules
from renovation.voting.models import Ballot, BallotItem, BallotScope, BallotStatus, MatterClass


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


def is_open_for_votes(ballot: Ballot, now: datetime | None = None) -> bool:
    """True if the ballot is open and its closing time (if any) has not passed."""
    now = now or utcnow()
    return ballot.status is BallotStatus.OPEN and (ballot.closes_at is None or now < ballot.closes_at)
