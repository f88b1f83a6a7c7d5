"""User accounts, roles and jurisdictions."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from renovation.core.db import str_enum, utcnow
from renovation.extensions import db
from renovation.org.models import Community, District, Household, Subdistrict


class Role(enum.Enum):
    """What a user is in the project (domain.md, 'Who uses the product')."""

    ADMIN = "admin"            # 系统管理员
    LEADER = "leader"          # 街道党工委 / 区领导: reads what lies under a jurisdiction node
    SQUAD = "squad"            # 专班成员: works on the projects assigned to them
    RESIDENT = "resident"      # 居民 / 业主: acts for their own household
    SUPERVISOR = "supervisor"  # 居民监督员: a resident who also watches the works


#: Role names, lazy: shown in the reader's language (``str()`` them under core.i18n.chinese() for documents).
ROLE_LABELS = {
    Role.ADMIN: _l("系统管理员"),
    Role.LEADER: _l("领导"),
    Role.SQUAD: _l("专班成员"),
    Role.RESIDENT: _l("居民"),
    Role.SUPERVISOR: _l("居民监督员"),
}


class User(UserMixin, db.Model):
    """A login. Residents and supervisors are bound to one household; leaders to one jurisdiction node.

    A leader's node is exactly one of district, subdistrict or community (CHECK constraint).
    """

    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("subdistrict.id"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"))

    household: Mapped[Household | None] = relationship()
    district: Mapped[District | None] = relationship()
    subdistrict: Mapped[Subdistrict | None] = relationship()
    community: Mapped[Community | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "role NOT IN ('resident', 'supervisor') OR household_id IS NOT NULL", name="resident_has_household"
        ),
        CheckConstraint(
            "role != 'leader' OR ((CASE WHEN district_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN subdistrict_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN community_id IS NULL THEN 0 ELSE 1 END)) = 1",
            name="leader_has_one_node",
        ),
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash (werkzeug's scrypt) of ``password``."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True if ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    #: The key of the login session this object was loaded for (set by accounts.sessions); not a column.
    session_key = None

    def get_id(self) -> str:  # Flask-Login: what the session and remember-me cookies carry
        """``'<id>.<session key>'`` once a login session is started (accounts.sessions.start), else the id."""
        return f"{self.id}.{self.session_key}" if self.session_key else str(self.id)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    @property
    def role_label(self) -> str:
        """The role's name in the reader's language (Chinese by default), as a plain string."""
        return str(ROLE_LABELS[self.role])

    def is_resident_like(self) -> bool:
        """True for residents and resident supervisors (both act for one household)."""
        return self.role in (Role.RESIDENT, Role.SUPERVISOR)

    @property
    def jurisdiction_label(self) -> str:
        """The leader's node name, e.g. '桐柏路街道'; '' for others."""
        node = self.community or self.subdistrict or self.district
        return node.name if node else ""


class ProjectAssignment(db.Model):
    """A squad member (专班成员) assigned to a project; they may edit only assigned projects."""

    __tablename__ = "project_assignment"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    duty: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)


class LoginSession(db.Model):
    """One login of a user on one device, held on the server so it can be ended (logout, password change,
    deactivation, erasure) whatever the browser still holds.

    The cookie (Flask-Login's session id and remember-me cookie) carries ``<user id>.<key>``; only the
    SHA-256 of the key is stored. A session ends at ``ended_at`` or at ``expires_at`` (the remember-me
    duration, RENOVATION_SESSION_DAYS days after the last use).
    """

    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(32))
    user_agent: Mapped[str | None] = mapped_column(String(255))
