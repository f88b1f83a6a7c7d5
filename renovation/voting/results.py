"""Results of a ballot: closing it with its electorate frozen, the art. 278 tallies, who sees them, the
publication of the results with a notice period (结果公示), and owners' objections with the squad's answers.
Closing sits here rather than with the ballots because it tallies (the tallies read the ballot's rule and
electorate from renovation.voting.ballots).

Services take the acting user, flush (never commit), write an audit row per state change, and raise
PermissionDenied / DomainError with messages in the reader's language (Chinese sources).
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.extensions import db
from renovation.org.models import Household
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProjectItemStatus
from renovation.voting import rules
from renovation.voting.ballots import ballot_rule, eligible_households
from renovation.voting.models import Ballot, BallotElector, BallotItem, BallotObjection, BallotStatus, Vote


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
