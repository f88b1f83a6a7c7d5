"""Write-side operations on the household register (花名册) and its read models.

Services take the acting user, flush (never commit), write an audit row per change (the household's
history) and raise PermissionDenied / DomainError with messages in the reader's language.
"""

import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from renovation.accounts.models import User
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.models import AuditLog
from renovation.extensions import db
from renovation.org import importer, rules
from renovation.org.models import (
    Building,
    Entrance,
    Household,
    HouseholdStatus,
    Owner,
    OwnerType,
)
from renovation.projects.access import can_edit_project
from renovation.projects.models import Project

PAGE_SIZE = 50


# --- reading -------------------------------------------------------------------------------------------


def roster_query(project: Project, *, building_id: int | None = None, entrance_id: int | None = None,
                 status: str | None = "active", q: str | None = None, by_name: bool = True) -> Select:
    """A SELECT of the compound's households in register order, with building, entrance and owner loaded
    in the same statement (no N+1), narrowed to a building / entrance / status ('active', 'moved_out',
    None = all) / owner, voter or room text ``q`` (room text only when ``by_name`` is False: a reader who
    sees names masked must not confirm a full name by searching for it)."""
    stmt = (select(Household).join(Building, Household.building_id == Building.id)
            .join(Entrance, Household.entrance_id == Entrance.id)
            .outerjoin(Owner, Household.owner_id == Owner.id)
            .options(joinedload(Household.building), joinedload(Household.entrance), joinedload(Household.owner))
            .where(Household.compound_id == project.compound_id)
            .order_by(Building.sort_order, Building.id, Entrance.sort_order, Entrance.id, Household.floor,
                      Household.room))
    if building_id:
        stmt = stmt.where(Household.building_id == building_id)
    if entrance_id:
        stmt = stmt.where(Household.entrance_id == entrance_id)
    if status in ("active", "moved_out"):
        stmt = stmt.where(Household.status == HouseholdStatus(status))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where((Owner.name.like(like) | Household.voter_name.like(like) | Household.room.like(like))
                          if by_name else Household.room.like(like))
    return stmt


@dataclass(frozen=True)
class RosterPage:
    """One page of the register: its households, the total count matching the filter, page numbers."""

    households: list[Household]
    total: int
    page: int
    pages: int


def roster_page(project: Project, page: int = 1, per_page: int = PAGE_SIZE, **filters) -> RosterPage:
    """Page ``page`` (1-based, clamped) of ``roster_query(project, **filters)``. Two statements."""
    stmt = roster_query(project, **filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    households = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return RosterPage(households, total, page, pages)


def shown_phone(user: User, project: Project, phone: str | None) -> str:
    """The phone as ``user`` may see it: in full for the project's staff (squad, administrators), masked
    ('138****0000', rules.mask_phone) for everyone else."""
    return (phone or "") if can_edit_project(user, project) else rules.mask_phone(phone)


def household_history(household: Household) -> list[AuditLog]:
    """The household's history (added, corrected, moved out, imported), newest first, with the acting user."""
    return list(db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == "Household", AuditLog.object_id == household.id).order_by(AuditLog.id.desc())))


def compound_buildings(project: Project) -> list[Building]:
    """The compound's buildings with their entrances, in order. Two statements."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(select(Building).options(selectinload(Building.entrances))
                                   .where(Building.compound_id == project.compound_id)
                                   .order_by(Building.sort_order, Building.id)))


# --- writing -------------------------------------------------------------------------------------------


def _require_edit(user: User, project: Project) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以维护花名册。"))


def _snapshot(h: Household) -> dict:
    owner = h.owner
    return {"label": h.label, "floor": h.floor, "room": h.room, "area": str(h.area),
            "owner": owner.name if owner else None, "owner_type": owner.owner_type.value if owner else None,
            "phone": owner.phone if owner else None, "voter": h.voter_name, "co_owners": h.co_owner_names,
            "status": h.status.value}


def _resolve_owner(project: Project, *, name: str, owner_type: OwnerType, phone: str | None,
                   id_number: str | None, current: Owner | None, cache: dict | None = None) -> Owner:
    """The Owner row for a dwelling (民法典 art. 278 headcount): all unsold developer dwellings share the
    compound's one DEVELOPER owner; a buyer is the same Owner when the ID number matches, or name and
    phone match; the dwelling's current owner is kept (and corrected) when the name is unchanged."""
    cache = cache if cache is not None else {}
    cid = project.compound_id
    if owner_type is OwnerType.DEVELOPER:
        key = ("developer",)
        if key not in cache:
            cache[key] = db.session.scalar(select(Owner).where(
                Owner.compound_id == cid, Owner.owner_type == OwnerType.DEVELOPER).limit(1))
        if cache[key] is None:
            cache[key] = Owner(compound_id=cid, name=name, owner_type=OwnerType.DEVELOPER, phone=phone)
            db.session.add(cache[key])
        return cache[key]
    owner = None
    if id_number:
        key = ("id", id_number)
        owner = cache.get(key) or db.session.scalar(select(Owner).where(
            Owner.compound_id == cid, Owner.id_number == id_number).limit(1))
    if owner is None and phone:
        key = ("name_phone", name, phone)
        owner = cache.get(key) or db.session.scalar(select(Owner).where(
            Owner.compound_id == cid, Owner.name == name, Owner.phone == phone).limit(1))
    if owner is None and current is not None and current.name == name and current.owner_type is not OwnerType.DEVELOPER:
        owner = current
    if owner is None:
        owner = Owner(compound_id=cid, name=name, owner_type=owner_type)
        db.session.add(owner)
    owner.owner_type = owner_type
    if phone:
        owner.phone = phone
    if id_number:
        owner.id_number = id_number
    if owner.id_number:
        cache[("id", owner.id_number)] = owner
    if owner.phone:
        cache[("name_phone", owner.name, owner.phone)] = owner
    return owner


def _entrance_of(project: Project, entrance_id: int) -> Entrance:
    entrance = db.session.get(Entrance, entrance_id)
    if entrance is None or entrance.building.compound_id != project.compound_id:
        raise DomainError(_("请选择本小区的单元。"))
    return entrance


def _check_room_free(entrance: Entrance, room: str, household_id: int | None = None) -> None:
    clash = db.session.scalar(select(Household.id).where(Household.entrance_id == entrance.id, Household.room == room))
    if clash is not None and clash != household_id:
        label = f"{entrance.building.number}{entrance.number}{room}"
        raise DomainError(_("%(label)s 已在花名册中，不能重复登记。", label=label))


def add_household(user: User, project: Project, *, entrance_id: int, floor: int, room: str, area: Decimal,
                  owner_name: str, owner_type: OwnerType = OwnerType.PRIVATE, phone: str | None = None,
                  id_number: str | None = None, voter_name: str | None = None,
                  co_owner_names: str | None = None) -> Household:
    """Add a dwelling to the compound's register (area in m², property register). The designated voter
    defaults to the owner. Raises PermissionDenied (not the project's squad/admin) or DomainError
    (entrance not in the compound, room already registered, area not positive)."""
    _require_edit(user, project)
    entrance = _entrance_of(project, entrance_id)
    room = rules.room_text(room)
    if not room:
        raise DomainError(_("请填写房号。"))
    if area is None or area <= 0:
        raise DomainError(_("面积应为大于0的平方米数。"))
    _check_room_free(entrance, room)
    owner = _resolve_owner(project, name=owner_name.strip(), owner_type=owner_type, phone=phone or None,
                           id_number=id_number or None, current=None)
    h = Household(compound_id=project.compound_id, building_id=entrance.building_id, entrance_id=entrance.id,
                  floor=floor, room=room, area=area, owner=owner, voter_name=(voter_name or owner_name).strip(),
                  co_owner_names=co_owner_names or None, status=HouseholdStatus.ACTIVE)
    db.session.add(h)
    db.session.flush()
    audit.record(user, "household.add", h, after=_snapshot(h), project_id=project.id)
    return h


def update_household(user: User, project: Project, household: Household, *, entrance_id: int, floor: int,
                     room: str, area: Decimal, owner_name: str, owner_type: OwnerType, phone: str | None,
                     id_number: str | None, voter_name: str | None, co_owner_names: str | None,
                     reason: str) -> Household:
    """Correct a dwelling of the register; the audit row keeps before and after and the reason (required).
    Raises PermissionDenied, or DomainError (household not in the compound, no reason, room clash)."""
    _require_edit(user, project)
    if household.compound_id != project.compound_id:
        raise DomainError(_("该房屋不属于本小区。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写更正原因。"))
    before = _snapshot(household)
    entrance = _entrance_of(project, entrance_id)
    room = rules.room_text(room)
    if not room:
        raise DomainError(_("请填写房号。"))
    _check_room_free(entrance, room, household.id)
    owner = _resolve_owner(project, name=owner_name.strip(), owner_type=owner_type, phone=phone or None,
                           id_number=id_number or None, current=household.owner)
    household.building_id, household.entrance_id = entrance.building_id, entrance.id
    household.floor, household.room, household.area = floor, room, area
    household.owner = owner
    household.voter_name = (voter_name or owner_name).strip()
    household.co_owner_names = co_owner_names or None
    db.session.flush()
    db.session.refresh(household, ["building", "entrance"])
    after = _snapshot(household)
    audit.record(user, "household.update", household, before=before, after={**after, "reason": reason.strip()},
                 project_id=project.id)
    return household


def move_out(user: User, project: Project, household: Household, *, reason: str, on: date) -> Household:
    """Mark a dwelling moved out (迁出) of the register from ``on``: it no longer counts in surveys or
    ballots (art. 278 totals); its votes and answers are kept. Raises PermissionDenied or DomainError
    (not in the compound, already moved out, no reason)."""
    _require_edit(user, project)
    if household.compound_id != project.compound_id:
        raise DomainError(_("该房屋不属于本小区。"))
    if household.status is HouseholdStatus.MOVED_OUT:
        raise DomainError(_("%(label)s 已标记为迁出。", label=household.label))
    if not (reason or "").strip():
        raise DomainError(_("请填写迁出原因。"))
    before = _snapshot(household)
    household.status = HouseholdStatus.MOVED_OUT
    household.moved_out_on = on
    audit.record(user, "household.move_out", household, before=before,
                 after={"status": "moved_out", "on": on.isoformat(), "reason": reason.strip()}, project_id=project.id)
    db.session.flush()
    return household


def reinstate(user: User, project: Project, household: Household, *, reason: str) -> Household:
    """Put a moved-out dwelling back on the register (a mistaken move-out). Raises PermissionDenied or
    DomainError (not moved out, no reason)."""
    _require_edit(user, project)
    if household.compound_id != project.compound_id or household.status is not HouseholdStatus.MOVED_OUT:
        raise DomainError(_("只有已迁出的房屋可以恢复。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写恢复原因。"))
    household.status = HouseholdStatus.ACTIVE
    household.moved_out_on = None
    audit.record(user, "household.reinstate", household, before={"status": "moved_out"},
                 after={"status": "active", "reason": reason.strip()}, project_id=project.id)
    db.session.flush()
    return household


# --- import --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
#: Uploaded files waiting for confirmation are deleted after this many seconds (1 day).
IMPORT_TTL = 24 * 3600


def register_snapshot(project: Project) -> importer.Register:
    """The compound's buildings, entrances and registered rooms as plain values. Three statements."""
    buildings = {}
    for b in compound_buildings(project):
        rb = importer.RegisterBuilding(b.id, b.number, floors=b.floors)
        for e in b.entrances:
            rb.entrances[rules.entrance_key(e.number)] = importer.RegisterEntrance(e.id, e.number)
        buildings[rules.building_key(b.number)] = rb
    rooms = {(eid, room): hid for hid, eid, room in db.session.execute(
        select(Household.id, Household.entrance_id, Household.room).where(Household.compound_id == project.compound_id))}
    return importer.Register(buildings, rooms)


def store_import_file(folder: str | Path, data: bytes, filename: str, *, project: Project, user: User) -> str:
    """Keep an uploaded register under a random token in ``folder`` (the instance folder's imports/, not
    the session cookie) until the squad confirms; returns the token. Files older than IMPORT_TTL go."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.json"):
        if now - old.stat().st_mtime > IMPORT_TTL:
            old.with_suffix(".bin").unlink(missing_ok=True)
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(
        {"filename": filename, "project_id": project.id, "user_id": user.id, "stored_at": now}), "utf-8")
    return token


def load_import_file(folder: str | Path, token: str, *, project: Project, user: User) -> tuple[bytes, str]:
    """The (bytes, filename) stored under ``token`` by the same user for the same project.

    Raises DomainError when the token is malformed, unknown, expired or someone else's."""
    expired = DomainError(_("导入文件已失效（超过一天或已导入），请重新上传。"))
    if not _TOKEN.match(token or ""):
        raise expired
    meta_path = Path(folder) / f"{token}.json"
    data_path = Path(folder) / f"{token}.bin"
    if not meta_path.exists() or not data_path.exists():
        raise expired
    meta = json.loads(meta_path.read_text("utf-8"))
    if meta.get("project_id") != project.id or meta.get("user_id") != user.id:
        raise expired
    if time.time() - meta.get("stored_at", 0) > IMPORT_TTL:
        raise expired
    return data_path.read_bytes(), meta.get("filename") or ""


def discard_import_file(folder: str | Path, token: str) -> None:
    """Delete a stored upload (after the import or when cancelled)."""
    if _TOKEN.match(token or ""):
        (Path(folder) / f"{token}.bin").unlink(missing_ok=True)
        (Path(folder) / f"{token}.json").unlink(missing_ok=True)


def preview_import(user: User, project: Project, data: bytes, filename: str) -> importer.Preview:
    """Read and check a register file against the compound (writes nothing).

    Raises PermissionDenied, or DomainError when the file cannot be read at all."""
    _require_edit(user, project)
    return importer.build_preview(importer.read_table(data, filename), register_snapshot(project))


def apply_import(user: User, project: Project, data: bytes, filename: str) -> importer.Preview:
    """Check the file again against the register as it is now and write all of it, or nothing: new
    dwellings are added, registered ones corrected, each with an audit row, plus one 'roster.import' row.
    A registered dwelling counts as corrected (and gets a 'household.import_update' row with before/after)
    only when its data changed; the returned preview's ``added``/``corrected`` are those counts.

    Raises PermissionDenied, or DomainError (nothing written) when the file now has problems.
    """
    preview = preview_import(user, project, data, filename)
    if not preview.ok:
        first = preview.problems[0] if preview.problems else None
        detail = _("第 %(line)d 行 %(column)s：%(message)s", line=first.line, column=first.column,
                   message=first.message) if first else _("文件中没有数据。")
        raise DomainError(ngettext("导入文件有 %(num)d 个问题，未导入任何数据。%(detail)s",
                                   "导入文件有 %(num)d 个问题，未导入任何数据。%(detail)s", len(preview.problems),
                                   detail=detail))
    by_id = {h.id: h for h in db.session.scalars(select(Household).options(
        joinedload(Household.owner), joinedload(Household.building), joinedload(Household.entrance))
        .where(Household.compound_id == project.compound_id))}
    # Snapshots before anything changes: _resolve_owner corrects the Owner row (phone, ID number) in place,
    # and an owner may hold several dwellings of the file.
    befores = {row.household_id: _snapshot(by_id[row.household_id]) for row in preview.rows if row.household_id}
    cache: dict = {}
    added = corrected = 0
    for row in preview.rows:
        current = by_id[row.household_id] if row.household_id else None
        owner = _resolve_owner(project, name=row.owner, owner_type=OwnerType(row.owner_type), phone=row.phone,
                               id_number=row.id_number, current=current.owner if current else None, cache=cache)
        if current is None:
            h = Household(compound_id=project.compound_id, building_id=row.building_id, entrance_id=row.entrance_id,
                          floor=row.floor, room=row.room, area=row.area, owner=owner,
                          voter_name=row.voter or row.owner, co_owner_names=row.co_owners,
                          status=HouseholdStatus.ACTIVE)
            db.session.add(h)
            db.session.flush()
            audit.record(user, "household.import", h, after={"label": row.label, "area": str(row.area),
                                                              "owner": row.owner, "line": row.line,
                                                              "file": filename[:100]}, project_id=project.id)
            added += 1
        else:
            before = befores[current.id]
            current.floor, current.area, current.owner = row.floor, row.area, owner
            current.voter_name = row.voter or row.owner
            if row.co_owners:
                current.co_owner_names = row.co_owners
            after = _snapshot(current)
            if after != before:
                audit.record(user, "household.import_update", current, before=before,
                             after={**after, "line": row.line, "file": filename[:100]}, project_id=project.id)
                corrected += 1
    db.session.flush()
    audit.record(user, "roster.import", project, after={"file": filename[:100], "rows": len(preview.rows),
                                                        "added": added, "corrected": corrected},
                 project_id=project.id)
    preview.added, preview.corrected = added, corrected
    return preview
