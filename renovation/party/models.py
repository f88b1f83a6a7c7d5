"""The temporary Party branch (临时党支部) leading a project: members, posts (党员先锋岗), weekly meetings
with attendance and decisions, follow-up tasks, members' activity log and the branch's own tags
(e.g. the five threads of 一针引五线)."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import str_enum, utcnow
from renovation.extensions import db
from renovation.projects.rules import Stage

#: The posts of a member (stored in Chinese, shown in the reader's language).
MEMBER_POSTS = {"书记": _l("书记"), "副书记": _l("副书记"), "委员": _l("委员"), "党员": _l("党员")}


class PartyBranch(db.Model):
    """The temporary Party branch of a project."""

    __tablename__ = "party_branch"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    founded_on: Mapped[date | None]
    members: Mapped[list["PartyMember"]] = relationship(back_populates="branch", order_by="PartyMember.id")
    meetings: Mapped[list["Meeting"]] = relationship(back_populates="branch", order_by="Meeting.held_on")


class PartyMember(db.Model):
    """A member of the branch: post (书记, 副书记, 委员, 党员), home unit (subdistrict office, which
    community), and whether a resident Party member (then optionally their household)."""

    __tablename__ = "party_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(32), default="党员")
    home_unit: Mapped[str | None] = mapped_column(String(128))
    is_resident: Mapped[bool] = mapped_column(Boolean, default=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    branch: Mapped[PartyBranch] = relationship(back_populates="members")
    household = relationship("Household")

    @property
    def post_label(self) -> str:
        """The post in the reader's language (a post typed outside the list is shown as is)."""
        return MEMBER_POSTS.get(self.post, self.post)


class VanguardPost(db.Model):
    """A Party member vanguard post (党员先锋岗), e.g. 燃气入户宣传岗: its holder and duty."""

    __tablename__ = "vanguard_post"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("party_member.id"))
    duty: Mapped[str | None] = mapped_column(Text)
    holder: Mapped[PartyMember | None] = relationship()


meeting_attendance = Table(
    "meeting_attendance", db.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("party_member.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(db.Model):
    """A branch meeting, e.g. the weekly meeting (周例会): attendance (people), agenda, minutes.

    ``attendees``/``expected`` are head counts (kept for meetings recorded without a name list);
    when ``present`` names the members who came, ``attendees`` equals its length.
    """

    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(128))
    attendees: Mapped[int] = mapped_column(default=0)
    expected: Mapped[int] = mapped_column(default=0)
    agenda: Mapped[str | None] = mapped_column(Text)
    minutes: Mapped[str | None] = mapped_column(Text)
    branch: Mapped[PartyBranch] = relationship(back_populates="meetings")
    present: Mapped[list[PartyMember]] = relationship(secondary=meeting_attendance, order_by="PartyMember.id")
    tasks: Mapped[list["BranchTask"]] = relationship(back_populates="meeting", order_by="BranchTask.id")
    __table_args__ = (CheckConstraint("attendees >= 0 AND attendees <= expected OR expected = 0",
                                      name="attendance_range"),)


class BranchTask(db.Model):
    """A decision of a meeting turned into a follow-up task (督办事项): owner, deadline, done or not.

    Shown on the branch page until done; overdue when the deadline has passed and it is not done.
    """

    __tablename__ = "branch_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    decision: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("party_member.id"))
    deadline: Mapped[date]
    done_on: Mapped[date | None]
    done_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    meeting: Mapped[Meeting | None] = relationship(back_populates="tasks")
    owner: Mapped[PartyMember | None] = relationship()


class BranchTag(db.Model):
    """A tag the branch defines for its own method, e.g. the five threads of 一针引五线
    (基层堡垒, 党群连心, 共驻共建, 民生实事, 居民自治); attachable to members' activities."""

    __tablename__ = "branch_tag"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(String(256))
    sort_order: Mapped[int] = mapped_column(default=0)
    __table_args__ = (UniqueConstraint("branch_id", "name"),)


class MemberActivityKind(enum.Enum):
    """What a Party member did: household visit, mediation, supervision, volunteer service, other."""

    VISIT = "visit"
    MEDIATION = "mediation"
    SUPERVISION = "supervision"
    VOLUNTEER = "volunteer"
    OTHER = "other"


MEMBER_ACTIVITY_LABELS = {MemberActivityKind.VISIT: _l("入户走访"), MemberActivityKind.MEDIATION: _l("矛盾调解"),
                          MemberActivityKind.SUPERVISION: _l("监督"), MemberActivityKind.VOLUNTEER: _l("志愿服务"),
                          MemberActivityKind.OTHER: _l("其他")}

member_activity_tag = Table(
    "member_activity_tag", db.metadata,
    Column("activity_id", ForeignKey("member_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("branch_tag.id", ondelete="CASCADE"), primary_key=True),
)


class MemberActivity(db.Model):
    """A Party member's activity in a stage of the project, optionally about a household or a problem report."""

    __tablename__ = "member_activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id"), index=True)
    kind: Mapped[MemberActivityKind] = mapped_column(str_enum(MemberActivityKind))
    stage: Mapped[Stage] = mapped_column(str_enum(Stage, name="member_activity_stage"))
    happened_on: Mapped[date] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(Text)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problem_report.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    member: Mapped[PartyMember] = relationship()
    household = relationship("Household")
    problem = relationship("ProblemReport")
    tags: Mapped[list[BranchTag]] = relationship(secondary=member_activity_tag, order_by="BranchTag.sort_order")

    @property
    def kind_label(self) -> str:
        """The kind in the reader's language."""
        return MEMBER_ACTIVITY_LABELS[self.kind]
