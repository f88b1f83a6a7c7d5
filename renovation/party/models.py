"""The temporary Party branch (临时党支部) leading a project, its members and its meetings."""

from datetime import date

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.extensions import db


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
    """A member of the branch: post (书记, 副书记, 委员, 党员), home unit, and whether a resident."""

    __tablename__ = "party_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    post: Mapped[str] = mapped_column(String(32), default="党员")
    home_unit: Mapped[str | None] = mapped_column(String(128))
    is_resident: Mapped[bool] = mapped_column(Boolean, default=False)
    branch: Mapped[PartyBranch] = relationship(back_populates="members")


class Meeting(db.Model):
    """A branch meeting, e.g. the weekly meeting (周例会): attendance (people) and minutes."""

    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("party_branch.id"), index=True)
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(128))
    attendees: Mapped[int] = mapped_column(default=0)
    expected: Mapped[int] = mapped_column(default=0)
    minutes: Mapped[str | None] = mapped_column(Text)
    branch: Mapped[PartyBranch] = relationship(back_populates="meetings")
