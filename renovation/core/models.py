"""Models every area uses: the audit log, stored uploads and runtime settings."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from renovation.core.db import utcnow
from renovation.extensions import db


class AuditLog(db.Model):
    """One state change that matters: who, when, what, before and after. Append-only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)


class Upload(db.Model):
    """A stored file (photo, scan): kept under its content hash, shown under its original name.

    ``size`` in bytes; ``width``/``height`` in pixels of the original (after EXIF orientation).
    ``owner_kind``/``owner_id``: what the file belongs to (a 'vote_scan' of Vote 12, a 'repair' photo of
    RepairRequest 3...), set by the owning area (``core.uploads.set_owner``); who may fetch it is that
    kind's rule (``core.hooks.register_upload_access``). No owner: a project file ('project').
    """

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    extension: Mapped[str] = mapped_column(String(8))
    size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    caption: Mapped[str | None] = mapped_column(Text)
    owner_kind: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int | None]

    __table_args__ = (Index("ix_upload_owner", "owner_kind", "owner_id"),)
