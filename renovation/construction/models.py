"""Construction oversight (过程监督): progress updates, problem reports with rectification, acceptance."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import str_enum, utcnow
from renovation.extensions import db
from renovation.projects.models import ProgressStatus


class ProgressUpdate(db.Model):
    """A progress report on one project item: percent complete (0-100), status, note, optional photo."""

    __tablename__ = "progress_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_item_id: Mapped[int] = mapped_column(ForeignKey("project_item.id"), index=True)
    percent: Mapped[int]
    status: Mapped[ProgressStatus] = mapped_column(str_enum(ProgressStatus))
    note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    project_item = relationship("ProjectItem")
    photo = relationship("Upload")
    author = relationship("User")
    __table_args__ = (CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),)


class ProblemStatus(enum.Enum):
    """The rectification loop: reported > assigned > rectified > verified; a rectified one may be reopened."""

    REPORTED = "reported"    # 已上报
    ASSIGNED = "assigned"    # 已交办
    RECTIFIED = "rectified"  # 已整改
    VERIFIED = "verified"    # 已核验(关闭)
    REOPENED = "reopened"    # 重新打开


PROBLEM_STATUS_LABELS = {
    ProblemStatus.REPORTED: "已上报",
    ProblemStatus.ASSIGNED: "已交办",
    ProblemStatus.RECTIFIED: "已整改",
    ProblemStatus.VERIFIED: "已核验",
    ProblemStatus.REOPENED: "重新打开",
}


class ProblemReport(db.Model):
    """A problem found during the works, by a resident, supervisor or squad member, with a location.

    ``deadline``: date by which the assigned firm must rectify; overdue when passed and not rectified.
    """

    __tablename__ = "problem_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"))
    project_item_id: Mapped[int | None] = mapped_column(ForeignKey("project_item.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[ProblemStatus] = mapped_column(str_enum(ProblemStatus), default=ProblemStatus.REPORTED)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"))
    deadline: Mapped[date | None]
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]

    project = relationship("Project")
    building = relationship("Building")
    entrance = relationship("Entrance")
    reporter = relationship("User")
    contractor = relationship("Contractor")
    project_item = relationship("ProjectItem")
    photo = relationship("Upload")
    steps: Mapped[list["Rectification"]] = relationship(back_populates="problem", order_by="Rectification.id")

    @property
    def status_label(self) -> str:
        return PROBLEM_STATUS_LABELS[self.status]


class Rectification(db.Model):
    """One step of a problem's rectification loop: who moved it to which status, with note and photo."""

    __tablename__ = "rectification"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem_report.id"), index=True)
    to_status: Mapped[ProblemStatus] = mapped_column(str_enum(ProblemStatus))
    note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    problem: Mapped[ProblemReport] = relationship(back_populates="steps")
    photo = relationship("Upload")
    user = relationship("User")


class Acceptance(db.Model):
    """Completion acceptance (竣工验收): the gate to aftercare when ``passed``.

    ``participants``: the parties present (client; design, construction, supervision firms;
    subdistrict, community and resident representatives), one per line.
    """

    __tablename__ = "acceptance"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    accepted_on: Mapped[date]
    passed: Mapped[bool]
    participants: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
