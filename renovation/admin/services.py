"""Personal-data requests (个人信息保护法 art. 45 copy, art. 47 deletion) and roster retention.

The data subject is an Owner (业主) of the roster, with the dwellings they hold and the resident
accounts bound to those dwellings. Erasure anonymises: names, phones and ID numbers are replaced,
nothing is deleted, so votes (rows, counts, receipts and their hash chain, which covers no name)
and the art. 278 headcount (by Owner row) stay exactly as they were.
"""

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from renovation.accounts import sessions
from renovation.accounts.models import Role, User
from renovation.core import audit
from renovation.core.db import utcnow
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.timeutil import to_local
from renovation.extensions import db
from renovation.org.models import Household, Owner
from renovation.projects.models import Project

#: What an anonymised owner is called: '已匿名业主#<id>' (unique, so rosters stay readable).
ANONYMOUS_OWNER = "已匿名业主#{id}"
ANONYMOUS_USER = "已注销居民"
#: What replaces an erased phone or ID number, or another person's name of the dwelling, in audit rows.
REMOVED = "[已删除]"


def _require_admin(user: User) -> None:
    if user.role is not Role.ADMIN:
        raise PermissionDenied(_("只有系统管理员可以办理个人信息查阅和删除。"))


def owner_households(owner: Owner) -> list[Household]:
    """The dwellings held by ``owner`` (with building and entrance loaded), in id order."""
    return list(db.session.scalars(
        select(Household).where(Household.owner_id == owner.id).order_by(Household.id)
        .options(selectinload(Household.building), selectinload(Household.entrance))))


def owner_accounts(owner: Owner) -> list[User]:
    """The resident and supervisor accounts bound to ``owner``'s dwellings."""
    ids = [h.id for h in owner_households(owner)]
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.household_id.in_(ids)).order_by(User.id)))


def is_anonymised(owner: Owner) -> bool:
    """True once ``owner`` has been erased (anonymised)."""
    return owner.name == ANONYMOUS_OWNER.format(id=owner.id)


def export_owner(user: User, owner: Owner) -> dict:
    """A copy of everything the app holds on ``owner`` (PIPL art. 45), as JSON-ready plain values:
    the owner, their dwellings (area in m²), accounts, wish answers, votes (with choices) and objections.

    Writes the audit row 'personal_data.export'. Raises PermissionDenied for non-administrators.
    """
    from renovation.planning.models import Objection
    from renovation.voting.models import Vote
    from renovation.wishes.models import WishResponse

    _require_admin(user)
    households = owner_households(owner)
    hh_ids = [h.id for h in households]
    votes = list(db.session.scalars(
        select(Vote).where(Vote.household_id.in_(hh_ids)).order_by(Vote.id)
        .options(selectinload(Vote.choices), selectinload(Vote.ballot)))) if hh_ids else []
    wishes = list(db.session.scalars(
        select(WishResponse).where(WishResponse.household_id.in_(hh_ids)).order_by(WishResponse.id))) if hh_ids else []
    objections = list(db.session.scalars(
        select(Objection).where(Objection.household_id.in_(hh_ids)).order_by(Objection.id))) if hh_ids else []

    def when(value):
        return to_local(value).isoformat() if value else None

    data = {
        "owner": {"id": owner.id, "name": owner.name, "owner_type": owner.owner_type.value,
                  "phone": owner.phone, "id_number": owner.id_number},
        "households": [{"id": h.id, "label": h.label, "floor": h.floor, "area_m2": str(h.area),
                        "voter_name": h.voter_name, "co_owner_names": getattr(h, "co_owner_names", None),
                        "status": h.status.value} for h in households],
        "accounts": [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role.value,
                      "active": u.is_active_account} for u in owner_accounts(owner)],
        "wish_answers": [{"id": w.id, "survey_id": w.survey_id, "household_id": w.household_id,
                          "comment": w.comment} for w in wishes],
        "votes": [{"id": v.id, "ballot": v.ballot.title, "household_id": v.household_id, "channel": v.channel.value,
                   "cast_at": when(v.cast_at), "is_current": v.is_current, "receipt_code": v.receipt_code,
                   "proxy_name": v.proxy_name,
                   "choices": {str(c.ballot_item_id): c.choice.value for c in v.choices}} for v in votes],
        "objections": [{"id": o.id, "author_name": o.author_name, "content": o.content} for o in objections],
        "exported_at": when(utcnow()),
    }
    audit.record(user, "personal_data.export", owner, after={"households": len(households), "votes": len(votes)})
    return data


def _identifiers(owner: Owner, households: list[Household], accounts: list[User]) -> dict[str, str]:
    """What identifies ``owner`` in the audit trail, and what replaces it: their name, the dwellings' voter
    and co-owner names, the accounts' display names and usernames -> pseudonyms; phone and ID number ->
    REMOVED. Values shorter than 2 characters are left (they would match unrelated text)."""
    from renovation.core.privacy import split_names

    pseudonym = ANONYMOUS_OWNER.format(id=owner.id)
    out: dict[str, str] = {}

    def add(value: str | None, replacement: str) -> None:
        value = (value or "").strip()
        if len(value) >= 2 and value not in out:
            out[value] = replacement

    add(owner.name, pseudonym)
    add(owner.phone, REMOVED)
    add(owner.id_number, REMOVED)
    for h in households:
        add(h.voter_name, pseudonym)
        for name in split_names(getattr(h, "co_owner_names", None)):
            add(name, REMOVED)
    for u in accounts:
        add(u.display_name, ANONYMOUS_USER)
        add(u.username, f"erased-{u.id}")
    return out


def _audit_scope(owners_households: list[Household], accounts: list[User], owners: list[Owner]):
    """The audit rows that may name these owners: rows about them, their dwellings and accounts, rows their
    accounts wrote, and every row of the projects of their compounds (votes, objections, problems)."""
    compound_ids = {h.compound_id for h in owners_households} | {o.compound_id for o in owners}
    project_ids = list(db.session.scalars(select(Project.id).where(Project.compound_id.in_(compound_ids)))) \
        if compound_ids else []
    return audit.rows_about([("Owner", [o.id for o in owners]), ("Household", [h.id for h in owners_households]),
                             ("User", [u.id for u in accounts])], project_ids=project_ids,
                            user_ids=[u.id for u in accounts])


def _anonymise(owner: Owner, identifiers: dict[str, str] | None = None) -> tuple[int, int]:
    """Blank ``owner``'s personal fields, their dwellings' names and their accounts; returns
    (dwellings touched, accounts closed). ``identifiers``, when given, receives what identified the owner
    (``_identifiers``) before it was blanked, for the audit trail."""
    households = owner_households(owner)
    if identifiers is not None:
        identifiers.update(_identifiers(owner, households, owner_accounts(owner)))
    owner.name = ANONYMOUS_OWNER.format(id=owner.id)
    owner.phone = None
    owner.id_number = None
    for h in households:
        h.voter_name = None
        if hasattr(h, "co_owner_names"):
            h.co_owner_names = None
    accounts = owner_accounts(owner)
    for u in accounts:
        u.display_name = ANONYMOUS_USER
        u.username = f"erased-{u.id}"
        u.is_active_account = False
        u.set_password(secrets.token_urlsafe(32))  # nobody can log in as the erased account
        sessions.end_all(u, "erased")  # and a browser still logged in as it is logged out
    return len(households), len(accounts)


def erase_owner(user: User, owner: Owner) -> dict:
    """Anonymise ``owner`` (PIPL art. 47): name -> '已匿名业主#<id>', phone and ID number removed, the
    voter names of their dwellings removed, their accounts renamed and closed; inside the audit trail the
    same names and numbers are replaced (core.audit.pseudonymise: rows and actions kept). Votes, wish
    answers and the vote hash chain are untouched (counts and tallies do not change).

    Returns {'households': n, 'accounts': n, 'audit_rows': n}. Writes 'personal_data.erase' (no personal
    data in it). Raises PermissionDenied for non-administrators, DomainError if already anonymised.
    """
    _require_admin(user)
    if is_anonymised(owner):
        raise DomainError(_("该业主的个人信息已经匿名处理过了。"))
    dwellings, accounts = owner_households(owner), owner_accounts(owner)
    identifiers: dict[str, str] = {}
    households, closed = _anonymise(owner, identifiers)
    rows = audit.pseudonymise(_audit_scope(dwellings, accounts, [owner]), identifiers)
    audit.record(user, "personal_data.erase", owner,
                 after={"households": households, "accounts": closed, "audit_rows": rows})
    return {"households": households, "accounts": closed, "audit_rows": rows}


def purge_rosters(now: datetime | None = None, retention_days: int = 365) -> dict:
    """Anonymise the rosters (every Owner, as ``erase_owner`` does) of compounds whose project closed more
    than ``retention_days`` days before ``now`` (PIPL art. 19). Idempotent: owners already anonymised
    are skipped. Returns {'projects': n, 'owners': n}. Audit rows are written by the system (user None).
    """
    if retention_days < 0:
        raise DomainError(_("保存期限不能为负数。"))
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    projects = list(db.session.scalars(
        select(Project).where(Project.closed_at.is_not(None), Project.closed_at < cutoff).order_by(Project.id)))
    owners_done = 0
    for project in projects:
        owners = db.session.scalars(select(Owner).where(Owner.compound_id == project.compound_id).order_by(Owner.id))
        count, identifiers, erased = 0, {}, []
        for owner in owners:
            if not is_anonymised(owner):
                erased.append((owner, owner_households(owner), owner_accounts(owner)))
                _anonymise(owner, identifiers)
                count += 1
        if count:
            rows = audit.pseudonymise(_audit_scope([h for _o, hs, _a in erased for h in hs],
                                                   [u for _o, _h, us in erased for u in us],
                                                   [o for o, _h, _a in erased]), identifiers)
            audit.record(None, "personal_data.retention_purge", project,
                         after={"owners": count, "retention_days": retention_days, "audit_rows": rows},
                         project_id=project.id)
        owners_done += count
    return {"projects": len(projects), "owners": owners_done}
