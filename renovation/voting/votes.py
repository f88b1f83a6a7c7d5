"""Votes on a ballot: who may vote now and by which channel (online, paper, proxy), casting a vote into
the ballot's hash chain, receipts and their lookup, and the check of the chain.

Services take the acting user, flush (never commit), write an audit row per state change, and raise
PermissionDenied / DomainError with messages in the reader's language (Chinese sources).
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from renovation.accounts.models import User
from renovation.core import audit, events
from renovation.core.db import lock_row, utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.uploads import set_owner
from renovation.extensions import db
from renovation.org.models import Household
from renovation.projects.access import can_act_for_household, can_edit_project, can_view_project
from renovation.voting import rules
from renovation.voting.ballots import is_eligible, is_open_for_votes, scope_label
from renovation.voting.models import Ballot, BallotStatus, Choice, Vote, VoteChoice
from renovation.wishes.models import Channel

#: Told to a household whose vote lost the race with a concurrent submission of its own.
RACE_MESSAGE = _l("该户的选票刚刚已被提交（可能重复点击了提交），请返回投票页查看回执，如需修改请重新提交。")


def current_vote(ballot: Ballot, household_id: int) -> Vote | None:
    """The household's current vote on ``ballot`` (choices loaded), or None."""
    return db.session.scalar(select(Vote).options(selectinload(Vote.choices)).where(
        Vote.ballot_id == ballot.id, Vote.household_id == household_id, Vote.is_current.is_(True)))


def households_voted_online(ballot: Ballot) -> set[int]:
    """Ids of the households whose current vote on ``ballot`` is their own online vote (one statement).
    The squad sees who voted online (not how) so that a paper ballot over it is entered knowingly."""
    return set(db.session.scalars(select(Vote.household_id).where(
        Vote.ballot_id == ballot.id, Vote.is_current.is_(True), Vote.channel == Channel.ONLINE)))


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


#: Most characters of the reason for replacing a household's online vote with a paper ballot.
REASON_MAX = 200


def check_paper_replacement(ballot: Ballot, household: Household, *, has_scan: bool, reason: str | None,
                            old: Vote | None = None) -> None:
    """Raise DomainError when a paper ballot for ``household`` would replace its own online vote without
    the signed scan or without a reason (at most REASON_MAX characters). ``old``: the current vote if
    already loaded. Writes nothing; a paper ballot over a paper or proxy vote, or a first one, needs neither."""
    old = old if old is not None else current_vote(ballot, household.id)
    if old is None or old.channel is not Channel.ONLINE:
        return
    if not has_scan:
        raise DomainError(_("该户已在线投票：用纸质选票替换，须上传业主签字的纸质选票扫描件。"))
    if not (reason or "").strip():
        raise DomainError(_("该户已在线投票：用纸质选票替换，须填写替换原因（会告知该户）。"))
    if len(reason.strip()) > REASON_MAX:
        raise DomainError(_("替换原因不能超过%(max)d字。", max=REASON_MAX))


def _lock_ballot(ballot: Ballot) -> None:
    """Serialise the votes of one ballot until commit (core.db.lock_row: FOR UPDATE on PostgreSQL, the write
    lock taken first on SQLite), then re-read the ballot so a close that got in first is seen."""
    lock_row(db.session, Ballot, ballot.id)
    db.session.refresh(ballot)


def cast_vote(user: User, ballot: Ballot, household: Household, choices: dict[int, Choice], *,
              channel: Channel = Channel.ONLINE, scan_upload_id: int | None = None,
              proxy_name: str | None = None, letter_upload_id: int | None = None, reason: str | None = None,
              now: datetime | None = None) -> Vote:
    """Record ``household``'s vote on ``ballot``: one choice per ballot item (``choices`` maps
    BallotItem.id -> Choice). One household, one current vote: a new vote supersedes the current one
    (is_current False, superseded_at set); every version is kept. The vote gets a receipt code and a
    record_hash chained to the previous Vote of the ballot (rules.vote_record_hash).

    Online: only the resident bound to the household. Paper: a squad member of the project or an
    administrator, for any eligible household (``scan_upload_id`` optional, except that a paper ballot
    replacing the household's own online vote needs the scan and a ``reason``: it is then announced as
    ``vote.replaced_by_paper`` so the household is told). Proxy (委托投票): entered by
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
    reason = (reason or "").strip() or None
    if channel is Channel.PAPER:
        check_paper_replacement(ballot, household, has_scan=scan_upload_id is not None, reason=reason, old=old)
    replaces_online = channel is Channel.PAPER and old is not None and old.channel is Channel.ONLINE
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
                    letter_upload_id=letter_upload_id if channel is Channel.PROXY else None, prev_hash=prev_hash,
                    reason=reason if channel is not Channel.ONLINE else None)
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
    set_owner(scan_upload_id, "vote_scan", vote.id)
    set_owner(vote.letter_upload_id, "proxy_letter", vote.id)
    # Ballot secrecy: the audit row says that the household voted, how, and the record's hash (which
    # proves the record unchanged), never its choices or receipt code (readable by leaders).
    after = {"household_id": household.id, "channel": channel.value, "record_hash": vote.record_hash}
    if vote.reason:
        after["reason"] = vote.reason
    audit.record(user, "vote.change" if old is not None else "vote.cast", vote,
                 before={"vote_id": old.id, "record_hash": old.record_hash} if old is not None else None,
                 after=after, project_id=ballot.project_id)
    if replaces_online:
        events.announce("vote.replaced_by_paper", actor=user, ballot_id=ballot.id, project_id=ballot.project_id,
                        household_id=household.id, vote_id=vote.id, replaced_vote_id=old.id, reason=reason)
    return vote


def can_view_receipt(user: User, vote: Vote) -> bool:
    """The household's own resident, or anyone who may edit the project (squad/admin)."""
    return (user.is_resident_like() and user.household_id == vote.household_id
            and can_view_project(user, vote.ballot.project)) or can_edit_project(user, vote.ballot.project)


def may_see_choices(user: User, vote: Vote) -> bool:
    """Ballot secrecy: the household's own resident always sees its choices; anyone else who may see the
    receipt (the project's squad, administrators) only once the ballot is closed, to check disputes (each
    such view is logged: ``record_choices_view``). Nobody sees another household's choices while it is open."""
    if user.is_resident_like() and user.household_id == vote.household_id:
        return True
    return vote.ballot.status is BallotStatus.CLOSED and can_view_receipt(user, vote)


def record_choices_view(user: User, vote: Vote) -> None:
    """Write the audit row 'vote.choices_view' when ``user`` (not the household) is shown ``vote``'s choices.
    Flushes only."""
    if user.is_resident_like() and user.household_id == vote.household_id:
        return
    audit.record(user, "vote.choices_view", vote, after={"household_id": vote.household_id, "ballot_id": vote.ballot_id},
                 project_id=vote.ballot.project_id)


def may_fetch_vote_document(user: User, upload) -> bool:
    """Upload-access rule of a vote's signed paper ballot or proxy letter (``upload.owner_id`` is the Vote):
    the household's own resident, the project's squad and administrators (as for the receipt); leaders and
    other residents never (a household's choices are its own; a letter often carries an ID-card copy)."""
    vote = db.session.get(Vote, upload.owner_id) if upload.owner_id else None
    return vote is not None and can_view_receipt(user, vote)


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
