"""The audit trail: every state change that matters writes one row (design.md)."""

from renovation.core.models import AuditLog
from renovation.extensions import db


def record(user, action: str, obj, *, before: dict | None = None, after: dict | None = None,
           project_id: int | None = None) -> AuditLog:
    """Add an audit row for ``action`` on ``obj`` by ``user`` (None for the system); flushes, never commits.

    ``obj`` is an ORM instance with an ``id`` (flushed first if needed).
    """
    if getattr(obj, "id", None) is None:
        db.session.flush()
    row = AuditLog(
        user_id=getattr(user, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=obj.id,
        project_id=project_id if project_id is not None else getattr(obj, "project_id", None),
        before=before,
        after=after,
    )
    db.session.add(row)
    return row
