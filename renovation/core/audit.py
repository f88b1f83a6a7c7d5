"""The audit trail: every state change that matters writes one row (design.md). Append-only.

Append-only is enforced in the ORM for everyone: changing or deleting an AuditLog row through a session
(``row.action = ...``, ``session.delete(row)``, ``update(AuditLog)``, ``delete(AuditLog)``) raises
``AuditLogIsAppendOnly`` before anything reaches the database; the app has no route that edits or
deletes it. (Removing rows with plain SQL as the database owner is outside the app's reach: see
docs/security.md for the database grants that close it in production.)
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, event, func, select
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
