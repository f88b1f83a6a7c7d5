"""The audit trail: every state change that matters writes one row (design.md). Append-only.

Append-only is enforced in the ORM for everyone: changing or deleting an AuditLog row through a session
(``row.action = ...``, ``session.delete(row)``, ``update(AuditLog)``, ``delete(AuditLog)``) raises
``AuditLogIsAppendOnly`` before anything reaches the database; the app has no route that edits or
deletes it. (Removing rows with plain SQL as the database owner is outside the app's reach: see
docs/security.md for the database grants that close it in production.)
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, event, func, select
from sqlalchemy.orm import Session

from renovation.core.models import AuditLog
from renovation.extensions import db


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


def record(user, action: str, obj, *, before: dict | None = None, after: dict | None = None,
           project_id: int | None = None) -> AuditLog:
    """Add an audit row for ``action`` on ``obj`` by ``user`` (None for the system); flushes, never commits.

    ``obj`` is an ORM instance with an ``id`` (flushed first if needed). ``project_id`` defaults to the
    object's own ``project_id``, or its id when ``obj`` is a Project.
    """
    if getattr(obj, "id", None) is None:
        db.session.flush()
    if project_id is None:
        # A project's own rows belong to it; other objects carry their project_id (or have none).
        project_id = obj.id if type(obj).__name__ == "Project" else getattr(obj, "project_id", None)
    row = AuditLog(
        user_id=getattr(user, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        project_id=project_id,
        before=before,
        after=after,
    )
    db.session.add(row)
    return row


@event.listens_for(Session, "before_flush")
def _no_audit_changes(session, _flush_context, _instances):
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            raise AuditLogIsAppendOnly("审计日志只能追加，不能删除。")
    for obj in session.dirty:
        if isinstance(obj, AuditLog) and session.is_modified(obj, include_collections=False):
            raise AuditLogIsAppendOnly("审计日志只能追加，不能修改。")


@event.listens_for(Session, "do_orm_execute")
def _no_audit_bulk_changes(state):
    if (state.is_update or state.is_delete) and state.is_orm_statement and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditLog:
        raise AuditLogIsAppendOnly("审计日志只能追加，不能修改或删除。")


def _rewrite(value, pattern: re.Pattern, replacements: dict[str, str]):
    if isinstance(value, str):
        return pattern.sub(lambda m: replacements[m.group(0)], value)
    if isinstance(value, dict):
        return {k: _rewrite(v, pattern, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, pattern, replacements) for v in value]
    return value


def pseudonymise(where: ColumnElement, replacements: dict[str, str]) -> int:
    """Erasure inside the audit trail (PIPL art. 47): in the ``before``/``after`` of the audit rows matching
    ``where``, replace every occurrence of each key of ``replacements`` (a person's name, phone, ID number;
    at least 2 characters) by its value (e.g. '已匿名业主#12'). Rows, actions, times, actors and objects stay,
    so the trail still tells what happened; only the person's identifiers go. Returns the number of rows
    changed. Flushes.

    This is the one change to audit rows the app makes, through the table (the ORM guards above refuse
    changes to AuditLog objects); loaded AuditLog objects are expired so they are read again.
    """
    secrets = sorted((k for k in replacements if k and len(k) >= 2), key=len, reverse=True)
    if not secrets:
        return 0
    db.session.flush()
    pattern = re.compile("|".join(re.escape(k) for k in secrets))
    table = AuditLog.__table__
    changed = 0
    for row_id, before, after in db.session.execute(select(table.c.id, table.c.before, table.c.after).where(where)):
        new_before, new_after = _rewrite(before, pattern, replacements), _rewrite(after, pattern, replacements)
        if (new_before, new_after) != (before, after):
            db.session.execute(table.update().where(table.c.id == row_id).values(before=new_before, after=new_after))
            changed += 1
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, AuditLog):
            db.session.expire(obj)
    return changed


def rows_about(objects: Iterable[tuple[str, list[int]]], *, project_ids: list[int] = (),
               user_ids: list[int] = ()) -> ColumnElement:
    """A WHERE clause for ``pseudonymise``: audit rows about any of ``objects`` ((object type, ids) pairs, e.g.
    ('Household', [3, 4])), of ``project_ids``, or written by ``user_ids``."""
    from sqlalchemy import and_, false, or_

    clauses = [and_(AuditLog.object_type == kind, AuditLog.object_id.in_(ids)) for kind, ids in objects if ids]
    if project_ids:
        clauses.append(AuditLog.project_id.in_(project_ids))
    if user_ids:
        clauses.append(AuditLog.user_id.in_(user_ids))
    return or_(*clauses) if clauses else false()


@dataclass
class AuditFilter:
    """Filters of the audit log page; None means 'any'. Dates are Asia/Shanghai calendar days,
    converted by the caller into UTC bounds ``since`` (inclusive) and ``until`` (exclusive)."""

    project_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_query(flt: AuditFilter, project_ids: Select | None = None) -> Select:
    """A SELECT of AuditLog rows matching ``flt``, newest first. ``project_ids``, when given, is a
    SELECT of project ids the reader may see (a leader's jurisdiction): rows of other projects and rows
    without a project are left out."""
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if project_ids is not None:
        stmt = stmt.where(AuditLog.project_id.in_(project_ids))
    if flt.project_id is not None:
        stmt = stmt.where(AuditLog.project_id == flt.project_id)
    if flt.user_id is not None:
        stmt = stmt.where(AuditLog.user_id == flt.user_id)
    if flt.action:
        stmt = stmt.where(func.lower(AuditLog.action).startswith(flt.action.lower(), autoescape=True))
    if flt.since is not None:
        stmt = stmt.where(AuditLog.at >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(AuditLog.at < flt.until)
    return stmt
